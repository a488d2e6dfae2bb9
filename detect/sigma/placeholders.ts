// The site's values for the `expand` modifier's `%name%` placeholders, from
// `placeholders.yml` at the top of the rules folder: lists a SOC engineer keeps per site
// (domain controllers, admin accounts, the workstation subnets), so shared rules need
// no edits. Validated with zod; a problem is a located error like any rule's.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { intelPlaceholders } from '../intel/intel-placeholders.ts';
import { RuleError } from './rule-error.ts';

export const PLACEHOLDERS_FILE = 'placeholders.yml';

const placeholdersSchema = z.record(
  z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a placeholder name is letters, digits, _ . -'),
  z.array(z.union([z.string(), z.number()]).transform(String)).min(1, 'give at least one value'),
);

export type Placeholders = Readonly<Record<string, readonly string[]>>;

/**
 * The folder's placeholders (none when the file is absent), and any problem with the
 * file; plus `%intel_<list>%` for each list of its intel/ folder (detect/intel/), which
 * placeholders.yml may override by name.
 */
export function loadPlaceholders(rulesDir: string, displayName: string): { placeholders: Placeholders; errors: RuleError[] } {
  const site = loadSitePlaceholders(rulesDir, displayName);
  const placeholders = intelPlaceholders(rulesDir);
  Object.defineProperties(placeholders, Object.getOwnPropertyDescriptors(site.placeholders));
  return { placeholders, errors: site.errors };
}

function loadSitePlaceholders(rulesDir: string, displayName: string): { placeholders: Placeholders; errors: RuleError[] } {
  const path = join(rulesDir, PLACEHOLDERS_FILE);
  if (!existsSync(path)) return { placeholders: {}, errors: [] };
  const file = join(displayName, PLACEHOLDERS_FILE);
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(path, 'utf8'), { lineCounter });
  const [yamlError] = document.errors;
  if (yamlError !== undefined) {
    const at = yamlError.linePos?.[0] ?? { line: 1, col: 1 };
    return { placeholders: {}, errors: [new RuleError('rule_yaml', yamlError.message, { file, ...at })] };
  }
  const parsed = placeholdersSchema.safeParse(document.toJS() ?? {});
  if (parsed.success) return { placeholders: parsed.data, errors: [] };
  const errors = parsed.error.issues.map((issue) => {
    const node = document.getIn(issue.path, true) as { range?: [number, number] } | undefined;
    const at = node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
    return new RuleError('rule_schema', `placeholders ${issue.path.join('.')}: ${issue.message}`, { file, ...at });
  });
  return { placeholders: {}, errors };
}
