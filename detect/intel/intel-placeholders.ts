// Sigma rules may name an intel list as a placeholder of the `expand` modifier:
// `%intel_<list>%` stands for every value of the list `<list>` in the intel folder
// (`bad-ips.txt` → `%intel_bad_ips%`: characters other than letters, digits and `_` in
// the list's name become `_`, as the placeholder syntax allows only those). A list is
// read only when a rule uses it. The expand modifier caps one value at 4,096
// expansions: large lists are for the stream matcher, not for rules.
import { join } from 'node:path';
import { listNames, loadIntelList } from './load-intel-folder.ts';

export const INTEL_FOLDER = 'intel';
export const INTEL_PLACEHOLDER_PREFIX = 'intel_';

export function intelPlaceholderName(list: string): string {
  return `${INTEL_PLACEHOLDER_PREFIX}${list.replace(/\W/g, '_')}`;
}

/**
 * The intel folder's lists as placeholders: an object whose properties read their
 * list when first accessed, so compiling rules that use none reads no list.
 */
export function intelPlaceholders(rulesDir: string): Record<string, readonly string[]> {
  const intelDir = join(rulesDir, INTEL_FOLDER);
  const placeholders: Record<string, readonly string[]> = {};
  for (const [list, path] of listNames(intelDir)) {
    let values: readonly string[] | undefined;
    Object.defineProperty(placeholders, intelPlaceholderName(list), {
      enumerable: true,
      configurable: true, // placeholders.yml may define the same name, and wins
      get: () => (values ??= [...new Set(loadIntelList(list, path, intelDir).indicators.map((indicator) => indicator.value))]),
    });
  }
  return placeholders;
}
