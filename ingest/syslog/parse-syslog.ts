// One syslog message (already framed) → its header and MSG. "<PRI>1 " is RFC 5424,
// any other PRI is BSD (RFC 3164). Without a PRI only a readable BSD/ISO time or a bare
// CEF/LEEF payload is accepted: anything else is not syslog and is refused, so a stray
// HTTP request or binary noise on the port is counted as malformed, not stored.
import { parseRfc3164 } from './parse-rfc3164.ts';
import { parseRfc5424 } from './parse-rfc5424.ts';
import { readPriority, type SyslogParse } from './syslog-message.ts';
import type { TimeContext } from './wall-clock.ts';

export function parseSyslog(text: string, time: TimeContext): SyslogParse {
  if (text.trim() === '') return { ok: false, error: 'empty message' };
  if (text.includes('\u0000')) return { ok: false, error: 'binary data (a NUL byte) is not a syslog message' };
  const pri = readPriority(text);
  if (pri && 'error' in pri) return { ok: false, error: pri.error };
  if (pri) {
    if (pri.rest.startsWith('1 ')) return parseRfc5424(pri.rest, pri.priority);
    return { ok: true, value: parseRfc3164(pri.rest, pri.priority, { time, headerless: true })! };
  }
  if (/^(?:CEF:\d|LEEF:\d)/.test(text)) return { ok: true, value: { format: 'rfc3164', message: text } };
  const bsd = parseRfc3164(text, undefined, { time, headerless: false });
  if (bsd) return { ok: true, value: bsd };
  return { ok: false, error: 'not syslog: no <PRI>, no timestamp and no CEF/LEEF header at the start' };
}
