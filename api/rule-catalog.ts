// What an analyst reads about a rule: for the alert detail, its description, known false
// positives, references and tags; for the Rules page, every rule (detection and
// correlation) with its level, tags, file and YAML. The api stage cannot ask detect
// (another stage, maybe another process), so it reads the same rules directory itself:
// every `.yml` rule file (test cases, pipelines, decoders and dot-folders left out),
// each YAML document with an id and a title, cached and re-read at most every RELOAD_MS
// so an edited rule shows its new text soon after.
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

export interface RuleInfo {
  id: string;
  title: string;
  description: string | null;
  falsepositives: string[];
  references: string[];
  tags: string[];
  level: string | null;
  author: string | null;
  /** Path of the Sigma file, relative to the rules directory. */
  file: string;
  /** 1-based line of the rule's document in its file. */
  line: number;
  /** A Sigma meta filter (`filter:`) changes other rules and raises nothing itself. */
  kind: 'detection' | 'correlation' | 'filter';
  /** The rule's own YAML document, as written. */
  yaml: string;
}

const RELOAD_MS = 5_000;
const SKIPPED_DIRS = new Set(['pipelines', 'decoders', 'node_modules']);

const textList = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.coerce.string())).catch([]);
const ruleDocSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  description: z.string().nullish().catch(null),
  falsepositives: textList.optional(),
  references: textList.optional(),
  tags: textList.optional(),
  level: z.string().nullish().catch(null),
  author: z.string().nullish().catch(null),
  correlation: z.unknown().optional(),
  filter: z.unknown().optional(),
});

export interface RuleCatalog {
  get(ruleId: string): Promise<RuleInfo | null>;
  /** Every detection and correlation rule (filters left out), in file order. */
  list(): Promise<RuleInfo[]>;
}

export function ruleCatalog(rulesDir: string): RuleCatalog {
  let loaded: { at: number; rules: Promise<Map<string, RuleInfo>> } | null = null;
  const rules = () => {
    if (loaded === null || Date.now() - loaded.at > RELOAD_MS) loaded = { at: Date.now(), rules: readRules(rulesDir) };
    return loaded.rules;
  };
  return {
    async get(ruleId) {
      return (await rules()).get(ruleId) ?? null;
    },
    async list() {
      return [...(await rules()).values()].filter((rule) => rule.kind !== 'filter');
    },
  };
}

async function readRules(rulesDir: string): Promise<Map<string, RuleInfo>> {
  const rules = new Map<string, RuleInfo>();
  for (const file of await ruleFiles(rulesDir)) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      continue; // removed while we listed; the next reload will not list it
    }
    for (const doc of parseAllDocuments(text)) {
      if (!('toJS' in doc) || doc.errors.length > 0) continue;
      const parsed = ruleDocSchema.safeParse(doc.toJS());
      if (!parsed.success) continue;
      const r = parsed.data;
      const range = doc.range ?? [0, text.length, text.length];
      const end = range[2];
      let start = range[0];
      // A later document's range opens with its `---` marker, which is not the rule.
      if (text.startsWith('---', start)) start = text.indexOf('\n', start) + 1 || end;
      rules.set(r.id, {
        id: r.id,
        title: r.title,
        description: r.description?.trim() || null,
        falsepositives: r.falsepositives ?? [],
        references: (r.references ?? []).filter((ref) => /^https?:\/\//.test(ref)),
        tags: r.tags ?? [],
        level: r.level ?? null,
        author: r.author ?? null,
        file: path.relative(rulesDir, file),
        line: lineAt(text, start),
        kind: r.correlation !== undefined ? 'correlation' : r.filter !== undefined ? 'filter' : 'detection',
        yaml: text.slice(start, end).trimEnd(),
      });
    }
  }
  return rules;
}

async function ruleFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) files.push(...(await ruleFiles(full)));
    } else if (/\.ya?ml$/.test(entry.name) && !/\.test\.ya?ml$/.test(entry.name)) {
      files.push(full);
    }
  }
  return files.sort();
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}
