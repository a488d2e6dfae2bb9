// Reads the intel folder: every file or sub-folder directly inside it is one list,
// named after it without its extension (`bad-ips.txt` → `bad-ips`). Files are parsed by
// extension: `.txt`/`.list` plain, `.csv` CSV, `.json` STIX bundle or MISP event
// (sniffed). A sub-folder with a `manifest.json` is a MISP feed (the events it names);
// any other sub-folder is one list made of the files in it. Other files (README, YAML)
// are ignored. An unreadable file is a problem in the answer, never a throw.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { addProblem, type Indicator, type ParseContext, type ParseResult } from './indicator.ts';
import { parseCsv } from './parse-csv.ts';
import { mispManifestSchema, parseMispEvent } from './parse-misp.ts';
import { parsePlain } from './parse-plain.ts';
import { parseStix } from './parse-stix.ts';

export interface IntelList extends ParseResult {
  readonly name: string;
  /** Files read for it. */
  readonly files: number;
}

const PLAIN = new Set(['.txt', '.list', '.lst']);

/** Every list in the folder, by name; none when the folder does not exist. */
export function listNames(intelDir: string): Map<string, string> {
  const names = new Map<string, string>();
  if (!existsSync(intelDir)) return names;
  for (const entry of readdirSync(intelDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(intelDir, entry.name);
    if (entry.isDirectory()) names.set(entry.name, path);
    else if (entry.isFile() && formatOf(entry.name) !== undefined) names.set(basename(entry.name, extname(entry.name)), path);
  }
  return names;
}

/** One list from its file or folder. */
export function loadIntelList(name: string, path: string, intelDir: string): IntelList {
  const indicators: Indicator[] = [];
  const problems: string[] = [];
  let skipped = 0;
  let files = 0;
  const add = (result: ParseResult) => {
    for (const indicator of result.indicators) indicators.push(indicator);
    skipped += result.skipped;
    for (const problem of result.problems) addProblem(problems, problem);
  };
  const read = (file: string) => {
    const context: ParseContext = { list: name, file: file.startsWith(intelDir) ? `intel${file.slice(intelDir.length)}` : file };
    try {
      add(parseFile(readFileSync(file, 'utf8'), file, context));
      files += 1;
    } catch (error) {
      addProblem(problems, `${context.file}: cannot read: ${(error as Error).message}`);
    }
  };
  try {
    if (statSync(path).isDirectory()) {
      const manifest = join(path, 'manifest.json');
      if (existsSync(manifest)) {
        const parsed = mispManifestSchema.safeParse(JSON.parse(readFileSync(manifest, 'utf8')));
        if (!parsed.success) addProblem(problems, `intel/${name}/manifest.json: not a MISP feed manifest`);
        else for (const uuid of Object.keys(parsed.data).sort()) if (/^[\w-]+$/.test(uuid)) read(join(path, `${uuid}.json`));
      } else {
        for (const file of readdirSync(path).sort()) if (!file.startsWith('.') && formatOf(file) !== undefined) read(join(path, file));
      }
    } else {
      read(path);
    }
  } catch (error) {
    addProblem(problems, `intel/${name}: cannot read: ${(error as Error).message}`);
  }
  return { name, indicators, skipped, problems, files };
}

function formatOf(file: string): 'plain' | 'csv' | 'json' | undefined {
  const ext = extname(file).toLowerCase();
  if (PLAIN.has(ext)) return 'plain';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  return undefined;
}

function parseFile(text: string, file: string, context: ParseContext): ParseResult {
  const format = formatOf(file);
  if (format === 'plain') return parsePlain(text, context);
  if (format === 'csv') return parseCsv(text, context);
  // JSON: a STIX bundle says "type": "bundle"; a MISP event file holds "Event".
  const head = text.slice(0, 4096);
  if (/"Event"\s*:/.test(head) && !/"type"\s*:\s*"bundle"/.test(head)) return parseMispEvent(text, context);
  return parseStix(text, context);
}
