// Reads notify.yml into a NotifyConfig. Secrets may stay out of the file: any string in
// `channels` may say `${NAME}` and is filled from the environment. Every problem is
// reported at once, each naming where it is (file:line:col), which rule or channel and
// which key, so a broken routing file is fixed in one go. Secrets never appear in them.
import fs from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { VigilError } from '../core/errors.ts';
import { notifyFileSchema, type NotifyConfig } from './notify-config.ts';

export class NotifyConfigError extends VigilError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super('bad_notify_config', `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`, 'notify');
    this.name = 'NotifyConfigError';
  }
}

type PathPart = string | number;

/** `rules[2] "critical to SOC" → match.severity`, or `channel "soc-mail" → to[0]`. */
function describePath(raw: unknown, pathParts: readonly PathPart[]): string {
  const [section, index, ...rest] = pathParts;
  const key = rest.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${part}`)).join('');
  if (section === 'rules' && typeof index === 'number') {
    const rules = (raw as { rules?: unknown[] } | null)?.rules;
    const name = (rules?.[index] as { name?: unknown } | undefined)?.name;
    const label = `rules[${index}]${typeof name === 'string' ? ` "${name}"` : ''}`;
    return key ? `${label} → ${key}` : label;
  }
  if (section === 'channels' && index !== undefined) return key ? `channel "${index}" → ${key}` : `channel "${index}"`;
  return pathParts.map(String).join('.') || '(top level)';
}

function locate(doc: Document, lines: LineCounter, pathParts: readonly PathPart[]): string {
  // The deepest node that exists along the path: a missing key points at its parent.
  for (let depth = pathParts.length; depth >= 0; depth -= 1) {
    const node = doc.getIn(pathParts.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `${line}:${col}`;
    }
  }
  return '1:1';
}

/** Fills `${NAME}` in every string under `channels` from `env`; names the unset ones. */
function expandSecrets(value: unknown, env: NodeJS.ProcessEnv, at: PathPart[], missing: Array<{ path: PathPart[]; name: string }>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_whole, name: string) => {
      const found = env[name];
      if (found === undefined || found === '') {
        missing.push({ path: at, name });
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => expandSecrets(item, env, [...at, i], missing));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandSecrets(v, env, [...at, k], missing)]));
  }
  return value;
}

export function parseNotifyConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    // The first few: after one syntax error the rest are usually its echoes.
    throw new NotifyConfigError(
      file,
      doc.errors.slice(0, 3).map((error) => {
        const pos = error.linePos?.[0];
        return `${file}:${pos ? `${pos.line}:${pos.col}` : '1:1'}: not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
      }),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  const problems: string[] = [];
  const where = (pathParts: readonly PathPart[]) => `${file}:${locate(doc, lines, pathParts)}: ${describePath(raw, pathParts)}`;

  const missing: Array<{ path: PathPart[]; name: string }> = [];
  const expanded =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'channels' in raw
      ? { ...raw, channels: expandSecrets((raw as { channels: unknown }).channels, env, ['channels'], missing) }
      : raw;
  for (const { path: at, name } of missing) problems.push(`${where(at)}: the environment variable ${name} is not set`);

  const parsed = notifyFileSchema.safeParse(expanded);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // An unknown key is pointed at where it is written, under the path of its parent.
      const at = issue.path as PathPart[];
      const position = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...at, issue.keys[0]] : at;
      problems.push(`${file}:${locate(doc, lines, position)}: ${describePath(raw, at)}: ${issue.message}`);
    }
    throw new NotifyConfigError(file, problems);
  }
  const channels = Object.entries(parsed.data.channels).map(([name, channel]) => ({ ...channel, name }));
  const names = new Set(channels.map((channel) => channel.name));
  parsed.data.rules.forEach((rule, index) => {
    rule.channels.forEach((channel, i) => {
      if (!names.has(channel)) problems.push(`${where(['rules', index, 'channels', i])}: no channel "${channel}" (channels: ${[...names].join(', ') || 'none'})`);
    });
  });
  if (problems.length > 0) throw new NotifyConfigError(file, problems);
  return { channels, rules: parsed.data.rules };
}

/** Reads the file; a missing file is an empty configuration (notifications off), said so by the caller. */
export function loadNotifyConfig(file: string, env: NodeJS.ProcessEnv = process.env): NotifyConfig | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseNotifyConfig(text, file, env);
}

