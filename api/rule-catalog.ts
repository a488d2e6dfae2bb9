// What an analyst reads about the rule behind an alert: its description, known false
// positives, references and tags, from the rule's Sigma file. The api stage cannot ask
// detect (another stage, maybe another process), so it reads the same rules directory
// itself: every `.yml` rule file (test cases, pipelines and decoders left out), each
// YAML document with an id and a title, cached and re-read at most every RELOAD_MS so
// an edited rule shows its new text soon after.
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
}

const RELOAD_MS = 30_000;
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
});

export interface RuleCatalog {
  get(ruleId: string): Promise<RuleInfo | null>;
}

export function ruleCatalog(rulesDir: string): RuleCatalog {
  let loaded: { at: number; rules: Promise<Map<string, RuleInfo>> } | null = null;
  return {
    async get(ruleId) {
      if (loaded === null || Date.now() - loaded.at > RELOAD_MS) loaded = { at: Date.now(), rules: readRules(rulesDir) };
      return (await loaded.rules).get(ruleId) ?? null;
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
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...(await ruleFiles(full)));
    } else if (/\.ya?ml$/.test(entry.name) && !/\.test\.ya?ml$/.test(entry.name)) {
      files.push(full);
    }
  }
  return files.sort();
}
