// Turns one rule match into what detect raises: an occurrence for the alert grouper
// (repeats of a rule on a host update one alert), or a stand-alone alert of its own.
// Ids are derived from the rule and the event, so a replayed event (at-least-once
// delivery) yields the same alert and the store's idempotent write absorbs it.
import { createHash } from 'node:crypto';
import type { Alert } from '../core/schemas/alert.ts';
import type { SecurityEvent } from '../core/schemas/event.ts';
import type { Occurrence } from './correlation/alert-grouper.ts';
import type { CompiledRule } from './sigma/compile-rule.ts';

/** The rule metadata an alert carries. */
export type RuleMetadata = Pick<CompiledRule, 'id' | 'title' | 'level' | 'tags'>;

/** ATT&CK tactics by the short names Sigma tags use (`attack.defense-evasion`). */
const attackTactics = new Set([
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
]);

const TECHNIQUE = /^t\d{4}(\.\d{3})?$/;

/**
 * One match as an occurrence for the alert grouper. It groups by unit and machine:
 * host.id, else the host's name, else source.ip (network sensors report no host), so
 * the same rule on the same PC of a unit updates one alert. An event with none of
 * them groups with the rule's other machine-less events of its unit.
 */
export function occurrenceFromMatch(rule: RuleMetadata, event: SecurityEvent): Occurrence {
  const host = eventHost(event);
  const group = matchGroup(event);
  const time = Date.parse(event['@timestamp']);
  return {
    rule: { id: rule.id, title: rule.title, level: rule.level, tags: [...rule.tags], kind: 'match' },
    group,
    time,
    firstSeen: time,
    lastSeen: time,
    count: 1,
    eventIds: [event.event.id],
    organization: { id: event.organization.id, name: event.organization.name },
    host,
  };
}

/** The group a match is kept under: the unit, plus host.id, else the host's name, else source.ip. */
export function matchGroup(event: SecurityEvent): Record<string, string> {
  const host = eventHost(event);
  const group: Record<string, string> = { 'organization.id': event.organization.id };
  const sourceIp = event.source?.ip;
  if (host.id !== undefined) group['host.id'] = host.id;
  else if (host.name !== undefined) group['host.name'] = host.name;
  else if (sourceIp !== undefined) group['source.ip'] = sourceIp;
  return group;
}

/** One match as an alert of its own, for callers that do not group. */
export function alertFromMatch(rule: RuleMetadata, event: SecurityEvent, now: Date): Alert {
  const host = eventHost(event);
  const group: Record<string, string> = {};
  if (host.id !== undefined) group['host.id'] = host.id;
  group['organization.id'] = event.organization.id;
  const created = now.toISOString();
  return {
    id: matchAlertId(rule.id, event.event.id),
    rule: { id: rule.id, title: rule.title, level: rule.level, tags: [...rule.tags], kind: 'match' },
    severity: rule.level,
    status: 'new',
    assignee: null,
    organization: { id: event.organization.id, name: event.organization.name },
    host,
    group,
    first_seen: event['@timestamp'],
    last_seen: event['@timestamp'],
    count: 1,
    event_ids: [event.event.id],
    attack: attackFromTags(rule.tags),
    notes: [],
    history: [],
    created,
    updated: created,
  };
}

/** The event's machine as an alert shows it: host.id and the name (host.name, else host.hostname). */
export function eventHost(event: SecurityEvent): Alert['host'] {
  const id = event.host?.id;
  const name = event.host?.name ?? event.host?.hostname;
  return { ...(id === undefined ? {} : { id }), ...(name === undefined ? {} : { name }) };
}

/** sha256 of `match|<rule id>|<event id>`, first 32 hex characters. */
export function matchAlertId(ruleId: string, eventId: string): string {
  return createHash('sha256').update(`match|${ruleId}|${eventId}`).digest('hex').slice(0, 32);
}

/**
 * ATT&CK from Sigma tags, case-insensitively: `attack.t1059.001` → technique
 * `T1059.001`, `attack.execution` → tactic `execution`. Sigma 1 wrote tactics with
 * underscores (`attack.defense_evasion`); they are normalised to ATT&CK's hyphens.
 * Group and software tags (`attack.g0016`, `attack.s0002`) are neither and are skipped.
 */
export function attackFromTags(tags: readonly string[]): Alert['attack'] {
  const tactics = new Set<string>();
  const techniques = new Set<string>();
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (!lower.startsWith('attack.')) continue;
    const name = lower.slice('attack.'.length);
    if (TECHNIQUE.test(name)) techniques.add(name.toUpperCase());
    else if (attackTactics.has(name.replaceAll('_', '-'))) tactics.add(name.replaceAll('_', '-'));
  }
  return { tactics: [...tactics], techniques: [...techniques] };
}
