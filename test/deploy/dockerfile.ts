// Reads a Dockerfile into its stages and instructions (continuation lines joined,
// comments dropped, `ARG` defaults before the first FROM applied to FROM lines), so the
// compose test can check what the image contains and who it runs as.
import fs from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The base image, with ARG defaults substituted. */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  stages: Stage[];
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') && pending === '') continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full !== '') lines.push(full);
  }
  return lines;
}

export function readDockerfile(file: string): Dockerfile {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logicalLines(fs.readFileSync(file, 'utf8'))) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    const upper = keyword.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [name, value] = args.split('=');
      if (name !== undefined && value !== undefined) globalArgs.set(name, value);
      continue;
    }
    if (upper === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      const image = (match?.[1] ?? args).replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => globalArgs.get(name) ?? '');
      stages.push({ from: image, name: match?.[2], instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push({ keyword: upper, args });
  }
  return { stages };
}

export interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  destination: string;
}

/** A COPY's `--from=` stage (if any), its sources and its destination (JSON or shell form). */
export function parseCopy(args: string): CopyInstruction {
  const words = args.split(/\s+/);
  let from: string | undefined;
  const rest: string[] = [];
  for (const word of words) {
    if (word.startsWith('--from=')) from = word.slice('--from='.length);
    else if (!word.startsWith('--')) rest.push(word);
  }
  const joined = rest.join(' ');
  const parts = joined.startsWith('[') ? (JSON.parse(joined) as string[]) : rest;
  return { from, sources: parts.slice(0, -1), destination: parts.at(-1) ?? '' };
}

/** ENTRYPOINT/CMD in the JSON (exec) form, or the shell form wrapped as `sh -c`. */
export function execForm(args: string): string[] {
  return args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
}

/** `ENV a=b c=d` and the legacy `ENV a b` form. */
export function parseEnv(args: string): Record<string, string> {
  if (!args.includes('=')) {
    const [name = '', ...value] = args.split(/\s+/);
    return { [name]: value.join(' ') };
  }
  const env: Record<string, string> = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) env[match[1]!] = match[3] ?? match[2]!;
  return env;
}
