// Reads the antivirus console mappings (`*.yaml` / `*.yml` in rules/decoders/, the
// shipped ones and then the rules folder's own, which replace shipped ones by name)
// into decoders named `av:<name>`. Files whose name starts with `_` (the template) are
// documentation, not mappings. Every problem in every file is reported in one error,
// naming the file, so a broken mapping stops ingest at start, not on the first post.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { VigilError } from '../../core/errors.ts';
import { describeIssues } from '../../core/schemas/describe-issues.ts';
import { avMappingDecoder } from './av-mapping.ts';
import { avMappingSchema } from './av-mapping-schema.ts';
import type { Decoder } from './decoder.ts';

/** The mappings shipped with Vigil. */
export const SHIPPED_DECODERS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules', 'decoders');

const MAPPING_FILE = /^[^_.].*\.ya?ml$/i;

export class DecoderMappingError extends VigilError {
  constructor(readonly problems: string[]) {
    super('bad_decoder_mapping', `invalid antivirus console mapping:\n  ${problems.join('\n  ')}`, 'config', 500, { problems });
    this.name = 'DecoderMappingError';
  }
}

/** The decoders of the mapping folders that exist, later folders replacing earlier ones by name. */
export function loadAvMappings(folders: readonly string[]): Decoder[] {
  const byName = new Map<string, Decoder>();
  const problems: string[] = [];
  for (const folder of [...new Set(folders.map((f) => path.resolve(f)))]) {
    if (!fs.existsSync(folder)) continue;
    for (const file of fs.readdirSync(folder).filter((name) => MAPPING_FILE.test(name)).sort()) {
      const decoder = loadMappingFile(path.join(folder, file), problems);
      if (decoder) byName.set(decoder.name, decoder);
    }
  }
  if (problems.length > 0) throw new DecoderMappingError(problems);
  return [...byName.values()];
}

/** The mapping folders for a rules folder: the shipped one, then `<rulesDir>/decoders`. */
export function mappingFolders(rulesDir: string | undefined): string[] {
  return rulesDir === undefined ? [SHIPPED_DECODERS_DIR] : [SHIPPED_DECODERS_DIR, path.join(rulesDir, 'decoders')];
}

export function loadMappingFile(file: string, problems: string[]): Decoder | undefined {
  let document: unknown;
  try {
    document = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
    return undefined;
  }
  const parsed = avMappingSchema.safeParse(document);
  if (!parsed.success) {
    problems.push(`${file}: ${describeIssues(parsed.error)}`);
    return undefined;
  }
  try {
    return avMappingDecoder(parsed.data);
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
    return undefined;
  }
}
