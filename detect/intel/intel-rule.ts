// An intel hit travels through detection as the match of a synthetic rule, so alert
// grouping, the signals topic, correlation, the store and the console handle it like
// any rule's: one rule per indicator and source, `intel:<source>:<kind>:<value>`. The
// id carries everything the alert shows, so the correlate stage (another process in a
// cluster, which loads no intel) rebuilds the rule's title and tags from the id alone:
// "Threat intel: IP 203.0.113.7 (listed by CIRCL)". Every intel alert is level high.
import type { CorrelationRules } from '../correlation/correlate-stage.ts';
import type { IndicatorKind } from './indicator.ts';
import { INDICATOR_KINDS } from './indicator.ts';

export const INTEL_RULE_PREFIX = 'intel:';
export const INTEL_ALERT_LEVEL = 'high';
/** Longest value an id (and so an alert title) carries; longer URLs are cut, with a mark. */
const MAX_VALUE_LENGTH = 512;

const KIND_LABELS: Readonly<Record<IndicatorKind, string>> = { ip: 'IP', domain: 'domain', url: 'URL', md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' };

export function isIntelRule(id: string): boolean {
  return id.startsWith(INTEL_RULE_PREFIX);
}

export function intelRuleId(source: string, kind: IndicatorKind, value: string): string {
  const safeSource = source.replaceAll(':', '_').trim().slice(0, 100) || 'intel';
  const safeValue = value.length > MAX_VALUE_LENGTH ? `${value.slice(0, MAX_VALUE_LENGTH)}…` : value;
  return `${INTEL_RULE_PREFIX}${safeSource}:${kind}:${safeValue}`;
}

export function parseIntelRuleId(id: string): { source: string; kind: IndicatorKind; value: string } | undefined {
  if (!isIntelRule(id)) return undefined;
  const rest = id.slice(INTEL_RULE_PREFIX.length);
  const first = rest.indexOf(':');
  const second = first < 0 ? -1 : rest.indexOf(':', first + 1);
  if (second < 0) return undefined;
  const kind = rest.slice(first + 1, second) as IndicatorKind;
  if (!INDICATOR_KINDS.includes(kind)) return undefined;
  return { source: rest.slice(0, first), kind, value: rest.slice(second + 1) };
}

/** The rule metadata an intel alert carries, from its id; undefined for any other id. */
export function intelRuleMeta(id: string): ReturnType<CorrelationRules['ruleMeta']> {
  const parsed = parseIntelRuleId(id);
  if (parsed === undefined) return undefined;
  return {
    id,
    title: `Threat intel: ${KIND_LABELS[parsed.kind]} ${parsed.value} (listed by ${parsed.source})`,
    level: INTEL_ALERT_LEVEL,
    tags: ['intel', `intel.kind.${parsed.kind}`],
  };
}

const wrapped = new WeakMap<CorrelationRules, CorrelationRules>();

/** The correlate stage's view of the rules plus the intel rules: their metadata, and that they raise alerts. */
export function withIntelRules(rules: CorrelationRules): CorrelationRules {
  let found = wrapped.get(rules);
  if (found === undefined) {
    found = {
      correlations: rules.correlations,
      ruleMeta: (id) => (isIntelRule(id) ? intelRuleMeta(id) : rules.ruleMeta(id)),
      raisesOwnAlerts: (id) => isIntelRule(id) || rules.raisesOwnAlerts(id),
    };
    wrapped.set(rules, found);
  }
  return found;
}
