// Watches a rules folder (recursively, pipelines included) and calls `onChange` once
// things settle: an editor's save is several events (temp file, rename, chmod), and
// copying a folder of rules is dozens, so a debounce turns them into one reload.
import { watch, type FSWatcher } from 'node:fs';

export interface RulesWatcher {
  close(): void;
}

export const RELOAD_DEBOUNCE_MS = 300;

/** Files whose change can alter the rule set; editors' swap and backup files are not. */
const RELEVANT = /(\.ya?ml$)|(^[^.]*$)/i;

export function watchRules(
  dir: string,
  onChange: () => void,
  onError: (error: Error) => void,
  debounceMs = RELOAD_DEBOUNCE_MS,
): RulesWatcher {
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
      // No name (some platforms) or a folder (no extension): reload to be safe.
      const name = filename === null ? '' : (filename.split(/[\\/]/).pop() ?? '');
      if (name === '' || RELEVANT.test(name)) schedule();
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
