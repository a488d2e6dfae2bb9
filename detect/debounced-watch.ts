// Watches a folder recursively and calls `onChange` once things settle: an editor's save
// is several events (temp file, rename, chmod) and copying or syncing a folder is dozens,
// so a debounce turns them into one reload. `isRelevant` gets the changed path relative
// to the folder (null when the platform does not say) and decides whether it counts.
import { watch, type FSWatcher } from 'node:fs';

export interface FolderWatcher {
  close(): void;
}

export function watchFolder(
  dir: string,
  isRelevant: (filename: string | null) => boolean,
  onChange: () => void,
  onError: (error: Error) => void,
  debounceMs: number,
): FolderWatcher {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const schedule = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
  };
  try {
    watcher = watch(dir, { recursive: true }, (_event, filename) => {
      if (isRelevant(filename)) schedule();
    });
    watcher.on('error', onError);
  } catch (error) {
    onError(error as Error);
  }
  return {
    close() {
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
    },
  };
}
