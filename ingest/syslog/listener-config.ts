// VIGIL_SYSLOG_LISTENERS: which syslog ports to open and which unit each one feeds.
// Either JSON, [{"protocol":"udp","host":"0.0.0.0","port":5514,"unit":"so-tttt","format":"cef"}],
// or the compact form "udp:0.0.0.0:5514=so-tttt/cef,tcp:1514=dc-firewall" (host
// optional, "[::]" for IPv6, "/format" optional). Syslog over TLS (RFC 5425, "tls") needs
// tls_cert_file and tls_key_file (PEM files), so it is written in the JSON form. The unit
// comes only from here: a device on the port can never choose it. Every problem is reported in one ConfigError
// naming the entry and what is wrong with it.
import { z } from 'zod';
import { unitIdSchema } from '../../core/accounts/accounts.ts';
import { ConfigError } from '../../core/config.ts';
import { SYSLOG_FORMATS } from './decode-syslog.ts';

export const SYSLOG_VARIABLE = 'VIGIL_SYSLOG_LISTENERS';

const listenerSchema = z
  .strictObject({
  protocol: z.enum(['udp', 'tcp', 'tls'], { error: 'must be "udp", "tcp" or "tls"' }),
  host: z
    .string()
    .regex(/^[A-Za-z0-9.:_-]+$/, 'must be an IP address or host name')
    .default('0.0.0.0'),
  port: z.number({ error: 'must be a port number' }).int('must be a whole number').min(0, 'must be 0..65535').max(65_535, 'must be 0..65535'),
  unit: unitIdSchema,
  format: z.enum(SYSLOG_FORMATS, { error: `must be one of ${SYSLOG_FORMATS.join(', ')}` }).default('auto'),
  /** Shown in metrics and logs; defaults to protocol:host:port. */
  name: z.string().regex(/^[A-Za-z0-9.:_[\]-]{1,80}$/, 'must be 1-80 letters, digits and . : _ - [ ]').optional(),
  /** Largest message accepted, in bytes; a TCP frame larger than this closes the connection. */
  max_message_bytes: z.number().int().min(256, 'must be at least 256').max(1_048_576, 'must be at most 1048576').default(64 * 1024),
  /** Keep each message as received in event.original. */
  keep_original: z.boolean().default(false),
  /** TLS only: the server's certificate chain and private key, PEM files read at start. */
  tls_cert_file: z.string().min(1).optional(),
  tls_key_file: z.string().min(1).optional(),
  })
  .superRefine((listener, context) => {
    const files = listener.tls_cert_file !== undefined || listener.tls_key_file !== undefined;
    if (listener.protocol === 'tls' && (listener.tls_cert_file === undefined || listener.tls_key_file === undefined)) {
      context.addIssue({ code: 'custom', message: 'syslog over TLS needs tls_cert_file and tls_key_file (PEM files; use the JSON form)' });
    } else if (listener.protocol !== 'tls' && files) {
      context.addIssue({ code: 'custom', message: 'tls_cert_file and tls_key_file are for protocol "tls" only' });
    }
  });

export type SyslogListenerConfig = z.output<typeof listenerSchema> & { name: string };

/** The listeners VIGIL_SYSLOG_LISTENERS asks for ([] when unset); ConfigError naming each bad entry. */
export function parseSyslogListeners(value: string | undefined): SyslogListenerConfig[] {
  const text = value?.trim() ?? '';
  if (text === '') return [];
  const problems: string[] = [];
  const entries: Array<{ label: string; raw: unknown }> = [];
  if (text.startsWith('[') || text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ConfigError([`${SYSLOG_VARIABLE}: not valid JSON (${(error as Error).message})`]);
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    list.forEach((raw, index) => entries.push({ label: `entry ${index + 1}`, raw }));
  } else {
    text.split(',').map((item) => item.trim()).filter((item) => item !== '').forEach((item, index) => {
      const label = `entry ${index + 1} ("${item}")`;
      const compact = readCompact(item);
      if (typeof compact === 'string') problems.push(`${SYSLOG_VARIABLE} ${label}: ${compact}`);
      else entries.push({ label, raw: compact });
    });
  }
  const listeners: SyslogListenerConfig[] = [];
  for (const { label, raw } of entries) {
    const result = listenerSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        problems.push(`${SYSLOG_VARIABLE} ${label}: ${where}${issue.message}`);
      }
      continue;
    }
    const listener = { ...result.data, name: result.data.name ?? `${result.data.protocol}:${hostPart(result.data.host)}:${result.data.port}` };
    const clash = listeners.find((other) => other.protocol === listener.protocol && other.port === listener.port && other.port !== 0 && other.host === listener.host);
    if (clash) problems.push(`${SYSLOG_VARIABLE} ${label}: ${listener.protocol} ${listener.host}:${listener.port} is already used by ${clash.name}`);
    else if (listeners.some((other) => other.name === listener.name)) problems.push(`${SYSLOG_VARIABLE} ${label}: the name "${listener.name}" is used twice`);
    else listeners.push(listener);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return listeners;
}

const hostPart = (host: string) => (host.includes(':') ? `[${host}]` : host);

const COMPACT = /^(udp|tcp|tls):(?:(\[[0-9A-Fa-f:.]+\]|[^:=/\s]+):)?(\d{1,5})=([^/\s]+)(?:\/(\S+))?$/i;

/** "udp:0.0.0.0:5514=unit/cef" → the JSON form, or what is wrong with it. */
function readCompact(item: string): Record<string, unknown> | string {
  const match = COMPACT.exec(item);
  if (!match) return 'expected protocol:[host:]port=unit[/format], e.g. udp:0.0.0.0:5514=so-tttt/cef';
  const [, protocol, host, port, unit, format] = match;
  const entry: Record<string, unknown> = { protocol: protocol!.toLowerCase(), port: Number(port), unit };
  if (host !== undefined) entry.host = host.replace(/^\[|\]$/g, '');
  if (format !== undefined) entry.format = format.toLowerCase();
  return entry;
}
