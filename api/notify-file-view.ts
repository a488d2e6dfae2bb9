// What the console may show of notify.yml: each channel's kind, unit, language, rate and
// a redacted target (an email's domain, a webhook's host, a Telegram chat id — never a
// URL path, a secret or a token), and the routing rules as written. Read leniently from
// the file this api process can see (the notify stage's own parser, in notify/, is the
// judge of validity; a stage does not import another). `${NAME}` references are never
// expanded here, so a secret kept in the environment is never even read.
import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

/** One value or a list: `unit: a` and `unit: [a, b]` read alike. */
const list = z
  .union([z.string(), z.number().transform(String), z.array(z.union([z.string(), z.number().transform(String)]))])
  .transform((value) => (Array.isArray(value) ? value : [value]))
  .optional()
  .catch(undefined);
const text = z.union([z.string(), z.number().transform(String)]).optional().catch(undefined);

const channelSchema = z.looseObject({
  type: z.string().catch('unknown'),
  unit: text,
  language: text,
  to: list,
  url: text,
  chat_id: text,
  rate_limit: z.looseObject({ per_minute: z.number().optional().catch(undefined), digest_minutes: z.number().optional().catch(undefined) }).optional().catch(undefined),
});

const ruleSchema = z.looseObject({
  name: z.string().catch('(unnamed)'),
  match: z
    .looseObject({ severity: text, unit: list, rule: list, tactic: list, kind: list })
    .optional()
    .catch(undefined),
  channels: list,
  unit_channels: z.boolean().optional().catch(undefined),
});

const fileSchema = z.looseObject({
  channels: z.record(z.string(), z.unknown()).optional().catch(undefined),
  rules: z.array(z.unknown()).optional().catch(undefined),
});

export interface ChannelView {
  name: string;
  type: string;
  unit: string | null;
  language: string;
  /** Where it goes, with nothing secret in it; null when the file does not say. */
  target: string | null;
  perMinute: number;
  digestMinutes: number;
}

export interface RuleMatchView {
  severity?: string;
  unit?: string[];
  rule?: string[];
  tactic?: string[];
  kind?: string[];
}

export interface RuleView {
  name: string;
  match: RuleMatchView;
  channels: string[];
  unitChannels: boolean;
}

export type NotifyFileView =
  | { readable: true; channels: ChannelView[]; rules: RuleView[] }
  | { readable: false; problem: 'missing' | 'unreadable' | 'invalid'; channels: []; rules: [] };

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/;

/** `i…@soyte.gov.vn`: enough to recognise a mailbox, not to harvest it. */
function maskAddress(address: string): string {
  const reference = ENV_REFERENCE.exec(address);
  if (reference) return `\${${reference[1]}}`;
  const at = address.lastIndexOf('@');
  if (at <= 0) return '…';
  return `${address[0]}…${address.slice(at)}`;
}

/** `https://hooks.slack.com/…`: the host only; Slack, Teams and many webhooks carry their secret in the path. */
function maskUrl(url: string): string {
  const reference = ENV_REFERENCE.exec(url);
  if (reference) return `\${${reference[1]}}`;
  try {
    const parsed = new URL(url);
    const hidden = parsed.pathname.length > 1 || parsed.search !== '' ? '/…' : '';
    return `${parsed.protocol}//${parsed.host}${hidden}`;
  } catch {
    return '…';
  }
}

function redactedTarget(channel: z.output<typeof channelSchema>): string | null {
  switch (channel.type) {
    case 'email':
      return channel.to && channel.to.length > 0 ? channel.to.map(maskAddress).join(', ') : null;
    case 'telegram':
      return channel.chat_id === undefined ? null : `chat ${ENV_REFERENCE.test(channel.chat_id) ? maskUrl(channel.chat_id) : channel.chat_id}`;
    default:
      return channel.url === undefined ? null : maskUrl(channel.url);
  }
}

function channelView(name: string, raw: unknown): ChannelView {
  const channel = channelSchema.catch({ type: 'unknown' }).parse(raw ?? {});
  return {
    name,
    type: channel.type,
    unit: channel.unit ?? null,
    language: channel.language ?? 'vi',
    target: redactedTarget(channel),
    perMinute: channel.rate_limit?.per_minute ?? 20,
    digestMinutes: channel.rate_limit?.digest_minutes ?? 5,
  };
}

function ruleView(raw: unknown): RuleView | null {
  const parsed = ruleSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { match = {}, channels = [], unit_channels: unitChannels = false, name } = parsed.data;
  const view: RuleMatchView = {};
  for (const key of ['unit', 'rule', 'tactic', 'kind'] as const) if (match[key] !== undefined) view[key] = match[key];
  if (match.severity !== undefined) view.severity = match.severity;
  return { name, match: view, channels, unitChannels };
}

export function viewNotifyText(source: string): NotifyFileView {
  let raw: unknown;
  try {
    raw = parse(source);
  } catch {
    return { readable: false, problem: 'invalid', channels: [], rules: [] };
  }
  const file = fileSchema.safeParse(raw ?? {});
  if (!file.success) return { readable: false, problem: 'invalid', channels: [], rules: [] };
  return {
    readable: true,
    channels: Object.entries(file.data.channels ?? {}).map(([name, channel]) => channelView(name, channel)),
    rules: (file.data.rules ?? []).flatMap((rule) => ruleView(rule) ?? []),
  };
}

/** Reads the routing file as this process sees it; in a cluster it may live on the notify host only. */
export function viewNotifyFile(file: string): NotifyFileView {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { readable: false, problem: missing ? 'missing' : 'unreadable', channels: [], rules: [] };
  }
  return viewNotifyText(source);
}
