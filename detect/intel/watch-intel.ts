// Watches the intel folder for changes and calls `onChange` once things settle (a
// feed sync rewrites many files at once; debounced-watch.ts makes that one reload). The
// folder's parent is watched, recursively, so an intel folder created (or replaced
// by a sync tool's rename) after the start is seen too.
import { basename, dirname } from 'node:path';
import { watchFolder, type FolderWatcher } from '../debounced-watch.ts';

export type IntelWatcher = FolderWatcher;

export const INTEL_DEBOUNCE_MS = 500;

export function watchIntel(intelDir: string, onChange: () => void, onError: (error: Error) => void, debounceMs = INTEL_DEBOUNCE_MS): IntelWatcher {
  const name = basename(intelDir);
  return watchFolder(
    dirname(intelDir),
    (filename) => {
      if (filename === null) return true;
      const first = filename.split(/[\\/]/)[0];
      const leaf = filename.split(/[\\/]/).pop() ?? '';
      // Editors' and sync tools' temporary files settle into a real name, which is seen then.
      return first === name && !leaf.startsWith('.') && !leaf.endsWith('~') && !leaf.endsWith('.swp');
    },
    onChange,
    onError,
    debounceMs,
  );
}
