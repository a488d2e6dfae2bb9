// What an alert takes from the match behind it: the group its repeats are kept under
// (the unit and the machine), the machine as the console shows it, and ATT&CK from the
// rule's tags. The alert itself is built by the alert grouper (correlation/).
import type { Alert } from '../core/schemas/alert.ts';
import type { SecurityEvent } from '../core/schemas/event.ts';
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
 * The group a match is kept under: the unit, plus host.id, else the host's name, else
 * source.ip (network sensors report no host), so the same rule on the same PC of a
 * unit updates one alert. An event with none of them groups with the rule's other
 * machine-less events of its unit.
 */
export function matchGroup(event: SecurityEvent): Record<string, string> {
  const host = eventHost(event);
  const group: Record<string, string> = { 'organization.id': event.organization.id };
  const sourceIp = event.source?.ip;
  if (host.id !== undefined) group['host.id'] = host.id;
  else if (host.name !== undefined) group['host.name'] = host.name;
  else if (sourceIp !== undefined) group['source.ip'] = sourceIp;
  return group;
}

/** The event's machine as an alert shows it: host.id and the name (host.name, else host.hostname). */
export function eventHost(event: SecurityEvent): Alert['host'] {
  const id = event.host?.id;
  const name = event.host?.name ?? event.host?.hostname;
  return { ...(id === undefined ? {} : { id }), ...(name === undefined ? {} : { name }) };
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
