// Watches a rules folder (recursively, pipelines included) and calls `onChange` once
// things settle (debounced-watch.ts), for rule files and folders only.
import { watchFolder, type FolderWatcher } from './debounced-watch.ts';

export type RulesWatcher = FolderWatcher;

export const RELOAD_DEBOUNCE_MS = 300;

/** Files whose change can alter the rule set; editors' swap and backup files are not. */
const RELEVANT = /(\.ya?ml$)|(^[^.]*$)/i;

export function watchRules(
  dir: string,
  onChange: () => void,
  onError: (error: Error) => void,
  debounceMs = RELOAD_DEBOUNCE_MS,
): RulesWatcher {
  return watchFolder(
    dir,
    (filename) => {
      // No name (some platforms) or a folder (no extension): reload to be safe.
      const name = filename === null ? '' : (filename.split(/[\\/]/).pop() ?? '');
      return name === '' || RELEVANT.test(name);
    },
    onChange,
    onError,
    debounceMs,
  );
}
