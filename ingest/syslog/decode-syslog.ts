// One framed syslog message → an ECS event (not yet validated or stamped). The listener's
// format says what rides in the MSG: "cef" or "leef" require it, "plain" keeps the MSG
// as the message, "auto" reads CEF or LEEF when the MSG carries one. The syslog header
// fills @timestamp (unless the payload has its own event time), host.name (the sending
// device; its address when the header has no hostname) and log.syslog.*.
import { cefToEcs } from './cef-to-ecs.ts';
import { setPath, type EcsObject } from './ecs-builder.ts';
import { leefToEcs } from './leef-to-ecs.ts';
import { parseCef } from './parse-cef.ts';
import { parseLeef } from './parse-leef.ts';
import { parseSyslog } from './parse-syslog.ts';
import { FACILITY_NAMES, SEVERITY_NAMES, type SyslogMessage } from './syslog-message.ts';
import type { TimeContext } from './wall-clock.ts';

export const SYSLOG_FORMATS = ['auto', 'cef', 'leef', 'plain'] as const;
export type SyslogFormat = (typeof SYSLOG_FORMATS)[number];

/** Why a message was refused: the metric's `reason` label, a small fixed set. */
export type MalformedReason = 'syslog' | 'cef' | 'leef' | 'invalid' | 'too_large' | 'framing' | 'decoder_error';

export interface DecodeContext {
  format: SyslogFormat;
  time: TimeContext;
  /** The sender's address ("192.0.2.7:514"), for log.source.address and a host without a name. */
  sender?: { address: string; port: number };
  /** Keep the whole message in event.original. */
  keepOriginal: boolean;
}

export type Decoded = { ok: true; event: EcsObject } | { ok: false; reason: MalformedReason; error: string };

const CEF_START = /(?:^|\s)(CEF: ?\d+\|)/;
const LEEF_START = /(?:^|\s)(LEEF: ?[12](?:\.0)?\|)/;

export function decodeSyslog(text: string, context: DecodeContext): Decoded {
  const parsed = parseSyslog(text, context.time);
  if (!parsed.ok) return { ok: false, reason: 'syslog', error: parsed.error };
  const syslog = parsed.value;

  let event: EcsObject;
  let module = 'syslog';
  const payload = context.format === 'plain' ? undefined : findPayload(syslog.message, context.format);
  if (payload === undefined && (context.format === 'cef' || context.format === 'leef')) {
    return { ok: false, reason: context.format, error: `no ${context.format.toUpperCase()} header in the message (this listener expects ${context.format.toUpperCase()})` };
  }
  if (payload?.kind === 'cef') {
    const cef = parseCef(payload.text);
    if (!cef.ok) return { ok: false, reason: 'cef', error: cef.error };
    event = cefToEcs(cef.value, context.time);
    module = 'cef';
  } else if (payload?.kind === 'leef') {
    const leef = parseLeef(payload.text);
    if (!leef.ok) return { ok: false, reason: 'leef', error: leef.error };
    event = leefToEcs(leef.value, context.time);
    module = 'leef';
  } else {
    event = {};
    setPath(event, 'message', syslog.message.trim());
  }

  if (event['@timestamp'] === undefined && syslog.timestamp) event['@timestamp'] = syslog.timestamp.toISOString();
  setPath(event, 'event.kind', 'event');
  setPath(event, 'event.module', module);
  setPath(event, 'event.dataset', `${module === 'syslog' ? 'syslog' : `syslog.${module}`}`);
  addSyslogFields(event, syslog);
  const senderText = context.sender ? `${context.sender.address}:${context.sender.port}` : undefined;
  setPath(event, 'log.source.address', senderText);
  setPath(event, 'host.name', syslog.hostname ?? context.sender?.address);
  if (module !== 'syslog' && (event.observer as EcsObject | undefined)?.hostname === undefined) setPath(event, 'observer.hostname', syslog.hostname);
  if (context.keepOriginal) setPath(event, 'event.original', text);
  return { ok: true, event };
}

function findPayload(message: string, format: SyslogFormat): { kind: 'cef' | 'leef'; text: string } | undefined {
  const cef = format === 'leef' ? null : CEF_START.exec(message);
  const leef = format === 'cef' ? null : LEEF_START.exec(message);
  const first = cef && leef ? (cef.index <= leef.index ? 'cef' : 'leef') : cef ? 'cef' : leef ? 'leef' : undefined;
  if (first === undefined) return undefined;
  const match = (first === 'cef' ? cef : leef)!;
  return { kind: first, text: message.slice(match.index + match[0].length - match[1]!.length) };
}

function addSyslogFields(event: EcsObject, syslog: SyslogMessage): void {
  if (syslog.priority !== undefined) {
    setPath(event, 'log.syslog.priority', syslog.priority);
    setPath(event, 'log.syslog.facility.code', syslog.facility);
    setPath(event, 'log.syslog.facility.name', FACILITY_NAMES[syslog.facility!]);
    setPath(event, 'log.syslog.severity.code', syslog.severity);
    setPath(event, 'log.syslog.severity.name', SEVERITY_NAMES[syslog.severity!]);
  }
  if (syslog.format === 'rfc5424') setPath(event, 'log.syslog.version', '1');
  setPath(event, 'log.syslog.hostname', syslog.hostname);
  setPath(event, 'log.syslog.appname', syslog.appName);
  setPath(event, 'log.syslog.procid', syslog.procId);
  setPath(event, 'log.syslog.msgid', syslog.msgId);
  if (syslog.structuredData && Object.keys(syslog.structuredData).length > 0) setPath(event, 'log.syslog.structured_data', syslog.structuredData);
}
