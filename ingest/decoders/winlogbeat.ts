// Windows event logs as Winlogbeat ships them (one JSON document per event: ECS basics
// plus `winlog.*`), format name `winlogbeat`. The document is kept as shipped, so
// `winlog.event_data` keeps Windows' own field names for Sigma's Windows rules
// (rules/pipelines/windows.yml reads unmapped names there), and gains the ECS fields
// an analyst searches. Which log it is comes from `winlog.channel` (or
// `winlog.provider_name`): Defender events become antivirus events
// (winlogbeat-defender.ts), Security and Sysmon events gain user, source, process and
// event categorisation (winlogbeat-security.ts, winlogbeat-sysmon.ts); any other
// channel (System, PowerShell, ...) is kept with its event code and host.
import { z } from 'zod';
import { describeIssues } from '../../core/schemas/describe-issues.ts';
import { decoded, undecodable, type Decoder, type EcsObject } from './decoder.ts';
import { defenderFields } from './winlogbeat-defender.ts';
import type { EcsFields } from './winlogbeat-fields.ts';
import { securityFields } from './winlogbeat-security.ts';
import { sysmonFields } from './winlogbeat-sysmon.ts';

export const WINDOWS_CHANNELS = {
  security: 'Security',
  sysmon: 'Microsoft-Windows-Sysmon/Operational',
  defender: 'Microsoft-Windows-Windows Defender/Operational',
} as const;

const PROVIDERS = {
  security: 'Microsoft-Windows-Security-Auditing',
  sysmon: 'Microsoft-Windows-Sysmon',
  defender: 'Microsoft-Windows-Windows Defender',
} as const;

type Log = keyof typeof WINDOWS_CHANNELS | 'other';

const eventId = z.union([z.string().regex(/^\s*\d+\s*$/, 'an event id is a whole number'), z.number().int().nonnegative()]);

const documentSchema = z.looseObject({
  event: z.looseObject({ code: eventId.optional() }).optional(),
  host: z.looseObject({ name: z.string().optional(), os: z.looseObject({}).optional() }).optional(),
  winlog: z.looseObject({
    channel: z.string().optional(),
    provider_name: z.string().optional(),
    event_id: eventId.optional(),
    computer_name: z.string().optional(),
    event_data: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const winlogbeatDecoder: Decoder = {
  name: 'winlogbeat',
  summary: 'Windows event logs as Winlogbeat ships them: Defender (antivirus events), Security, Sysmon and other channels',
  input: 'json',
  decode({ value }) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return undecodable('not a Winlogbeat event: expected a JSON object');
    }
    if (!('winlog' in value)) return undecodable('not a Winlogbeat event: no winlog object (native ECS events use format ecs)');
    const parsed = documentSchema.safeParse(value);
    if (!parsed.success) return undecodable(`not a Winlogbeat event: ${describeIssues(parsed.error)}`);
    const document = parsed.data;
    const { winlog } = document;
    const written = document.event?.code ?? winlog.event_id;
    if (written === undefined) return undecodable('not a Winlogbeat event: no event id (event.code or winlog.event_id)');
    const code = Number(written);
    const log = whichLog(winlog.channel, winlog.provider_name);
    if (log === undefined) {
      return undecodable('not a Winlogbeat event: no winlog.channel or winlog.provider_name to tell which event log it is from');
    }

    const data = winlog.event_data ?? {};
    const derived: EcsFields =
      log === 'defender' ? defenderFields(code, data) : log === 'security' ? securityFields(code, data) : log === 'sysmon' ? sysmonFields(code, data) : {};
    const shipped = value as EcsObject;
    const host = document.host ?? {};
    const base: EcsObject = {
      ...shipped,
      event: { kind: 'event', ...providerOf(winlog.provider_name), ...(document.event ?? {}), code: String(code) },
      // A Windows event log is written on Windows; `product: windows` rules rely on it.
      host: { ...host, name: host.name ?? winlog.computer_name, os: { type: 'windows', ...(host.os ?? {}) } },
    };
    return decoded(merge(base, derived));
  },
};

function whichLog(channel: string | undefined, provider: string | undefined): Log | undefined {
  if (channel === undefined && provider === undefined) return undefined;
  for (const log of ['security', 'sysmon', 'defender'] as const) {
    if (channel?.toLowerCase() === WINDOWS_CHANNELS[log].toLowerCase()) return log;
  }
  // Forwarded events (a WEF collector's ForwardedEvents channel) keep their provider.
  for (const log of ['security', 'sysmon', 'defender'] as const) {
    if (provider?.toLowerCase() === PROVIDERS[log].toLowerCase()) return log;
  }
  return 'other';
}

/** Winlogbeat's own `event.provider`, when a shipper left it out. */
function providerOf(provider: string | undefined): { provider?: string } {
  return provider === undefined ? {} : { provider };
}

/** `base` with `over` laid on top: objects merge, anything else from `over` replaces. */
function merge(base: EcsObject, over: EcsFields): EcsObject {
  const result: EcsObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = result[key];
    result[key] = isPlainObject(value) && isPlainObject(under) ? merge(under, value as EcsFields) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
