// RFC 5424 (the IETF syslog protocol): "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID
// STRUCTURED-DATA [MSG]", "-" for an absent field, SD-PARAM values with \" \\ \]
// escaped. Strict about the structure (it is machine-written), tolerant of a missing
// MSG and of a BOM before it.
import type { SyslogParse, SyslogMessage } from './syslog-message.ts';

const HEADER = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) /;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;
const SD_NAME = /^[^= \]"]{1,32}/;

/** `rest` is what follows the PRI. */
export function parseRfc5424(rest: string, priority: number): SyslogParse {
  // A message that ends right after STRUCTURED-DATA has no trailing space.
  const header = HEADER.exec(rest.endsWith(' ') ? rest : `${rest} `);
  if (!header) return { ok: false, error: 'RFC 5424 header needs VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID' };
  const [, time, hostname, appName, procId, msgId] = header as unknown as [string, string, string, string, string, string];
  const value: SyslogMessage = { format: 'rfc5424', priority, facility: priority >> 3, severity: priority & 7, message: '' };
  if (time !== '-') {
    if (!TIMESTAMP.test(time)) return { ok: false, error: `RFC 5424 TIMESTAMP "${time}" is not RFC 3339 with a zone` };
    const ms = Date.parse(time);
    if (!Number.isFinite(ms)) return { ok: false, error: `RFC 5424 TIMESTAMP "${time}" is no real time` };
    value.timestamp = new Date(ms);
  }
  if (hostname !== '-') value.hostname = hostname;
  if (appName !== '-') value.appName = appName;
  if (procId !== '-') value.procId = procId;
  if (msgId !== '-') value.msgId = msgId;

  let index = header[0].length;
  if (index > rest.length) return { ok: false, error: 'RFC 5424 message ends before STRUCTURED-DATA' };
  if (rest.startsWith('-', index)) {
    index += 1;
  } else if (rest.startsWith('[', index)) {
    const sd = readStructuredData(rest, index);
    if ('error' in sd) return { ok: false, error: sd.error };
    value.structuredData = sd.elements;
    index = sd.end;
  } else {
    return { ok: false, error: 'RFC 5424 STRUCTURED-DATA must be "-" or start with "["' };
  }
  if (index < rest.length) {
    if (rest[index] !== ' ') return { ok: false, error: 'RFC 5424 STRUCTURED-DATA must be followed by a space before MSG' };
    value.message = rest.slice(index + 1).replace(/^\uFEFF/, '');
  }
  return { ok: true, value };
}

function readStructuredData(text: string, start: number): { elements: Record<string, Record<string, string>>; end: number } | { error: string } {
  const elements: Record<string, Record<string, string>> = {};
  let index = start;
  while (text[index] === '[') {
    index += 1;
    const id = SD_NAME.exec(text.slice(index, index + 33))?.[0];
    if (!id) return { error: `RFC 5424 SD-ID missing at column ${index + 1}` };
    index += id.length;
    const params: Record<string, string> = {};
    while (text[index] === ' ') {
      index += 1;
      const name = SD_NAME.exec(text.slice(index, index + 33))?.[0];
      if (!name || text[index + name.length] !== '=' || text[index + name.length + 1] !== '"') {
        return { error: `RFC 5424 SD-PARAM must be name="value" at column ${index + 1}` };
      }
      index += name.length + 2;
      let value = '';
      for (;;) {
        const char = text[index];
        if (char === undefined) return { error: `RFC 5424 SD-PARAM "${name}" is not closed by a quote` };
        if (char === '\\' && (text[index + 1] === '"' || text[index + 1] === '\\' || text[index + 1] === ']')) {
          value += text[index + 1];
          index += 2;
          continue;
        }
        index += 1;
        if (char === '"') break;
        value += char;
      }
      params[name] = value;
    }
    if (text[index] !== ']') return { error: `RFC 5424 SD-ELEMENT "${id}" must end with "]" at column ${index + 1}` };
    index += 1;
    elements[id] = { ...elements[id], ...params };
  }
  return { elements, end: index };
}
