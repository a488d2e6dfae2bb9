// Turns one rule match into a new alert. The id is derived from the rule and the event,
// so a replayed event (at-least-once delivery) yields the same alert and the store's
// idempotent write absorbs it. Grouping repeats into one alert is a later step.
import { createHash } from 'node:crypto';
import type { Alert } from '../core/schemas/alert.ts';
import type { SecurityEvent } from '../core/schemas/event.ts';
import type { CompiledRule } from './sigma/compile-rule.ts';

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

export function alertFromMatch(rule: CompiledRule, event: SecurityEvent, now: Date): Alert {
  const hostId = event.host?.id;
  const hostName = event.host?.name ?? event.host?.hostname;
  const group: Record<string, string> = {};
  if (hostId !== undefined) group['host.id'] = hostId;
  group['organization.id'] = event.organization.id;
  const created = now.toISOString();
  return {
    id: matchAlertId(rule.id, event.event.id),
    rule: { id: rule.id, title: rule.title, level: rule.level, tags: [...rule.tags], kind: 'match' },
    severity: rule.level,
    status: 'new',
    assignee: null,
    organization: { id: event.organization.id, name: event.organization.name },
    host: { ...(hostId === undefined ? {} : { id: hostId }), ...(hostName === undefined ? {} : { name: hostName }) },
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
