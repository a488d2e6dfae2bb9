// What a syslog header says, whichever RFC the device followed, and how a parse fails.
// Parsers return a SyslogParse, never throw: a malformed message is counted and logged
// by the listener, it never ends it.

export interface SyslogMessage {
  format: 'rfc5424' | 'rfc3164';
  /** facility * 8 + severity, when the message had a PRI. */
  priority?: number;
  facility?: number;
  severity?: number;
  /** The message's own time, when it had one we could read. */
  timestamp?: Date;
  hostname?: string;
  /** RFC 5424 APP-NAME, or the BSD TAG. */
  appName?: string;
  procId?: string;
  msgId?: string;
  /** RFC 5424 STRUCTURED-DATA: SD-ID → parameters (a repeated parameter keeps its last value). */
  structuredData?: Record<string, Record<string, string>>;
  /** MSG: the free text after the header (CEF and LEEF ride here). */
  message: string;
}

export type SyslogParse = { ok: true; value: SyslogMessage } | { ok: false; error: string };

/** RFC 5424 §6.2.1 severity names, as ECS log.syslog.severity.name spells them. */
export const SEVERITY_NAMES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'] as const;

/** Facility names of RFC 5424 table 1 (ECS log.syslog.facility.name). */
export const FACILITY_NAMES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security',
  'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

/** Reads "<PRI>" at the start: RFC 5424 §6.2.1, 1-3 digits, 0..191, no leading zero but "<0>". */
export function readPriority(text: string): { priority: number; rest: string } | { error: string } | undefined {
  if (!text.startsWith('<')) return undefined;
  const match = /^<(\d{1,3})>/.exec(text);
  if (!match) return { error: 'PRI must be 1-3 digits between < and >' };
  const digits = match[1]!;
  const priority = Number(digits);
  if (priority > 191 || (digits.length > 1 && digits.startsWith('0'))) return { error: `PRI <${digits}> is not 0..191` };
  return { priority, rest: text.slice(match[0].length) };
}
