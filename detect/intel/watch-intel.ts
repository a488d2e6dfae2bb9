// Watches the intel folder for changes and calls `onChange` once things settle (a
// feed sync rewrites many files at once; a debounce makes that one reload). The
// folder's parent is watched, recursively, so an intel folder created (or replaced
// by a sync tool's rename) after the start is seen too.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface IntelWatcher {
  close(): void;
}

export const INTEL_DEBOUNCE_MS = 500;

export function watchIntel(intelDir: string, onChange: () => void, onError: (error: Error) => void, debounceMs = INTEL_DEBOUNCE_MS): IntelWatcher {
  const name = basename(intelDir);
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
    watcher = watch(dirname(intelDir), { recursive: true }, (_event, filename) => {
      if (filename === null) return schedule();
      const first = filename.split(/[\\/]/)[0];
      const leaf = filename.split(/[\\/]/).pop() ?? '';
      // Editors' and sync tools' temporary files settle into a real name, which is seen then.
      if (first === name && !leaf.startsWith('.') && !leaf.endsWith('~') && !leaf.endsWith('.swp')) schedule();
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
