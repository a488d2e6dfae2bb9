// Routing: the channels an alert goes to. Every rule whose `match` holds adds its
// channels (and, with `unit_channels`, every channel bound to the alert's unit). Within a
// match every key given must hold; a list means any of its values. Whatever a rule says,
// a channel bound to a unit only ever gets that unit's alerts: an alert spanning units
// (`*`) goes to SOC-wide channels only.
import type { Alert } from '../core/schemas/alert.ts';
import { severities } from '../core/schemas/alert.ts';
import { alertKind } from './alert-kind.ts';
import type { ChannelConfig, NotifyConfig, RoutingRule } from './notify-config.ts';

/** `attack.lateral_movement`, `Lateral-Movement` and `lateral movement` all name one tactic. */
export function normalizeTactic(name: string): string {
  return name.trim().toLowerCase().replace(/^attack\./, '').replace(/[_\s]+/g, '-');
}

function matches(rule: RoutingRule, alert: Alert): boolean {
  const { match } = rule;
  if (match.severity !== undefined && severities.indexOf(alert.severity) < severities.indexOf(match.severity)) return false;
  if (match.unit !== undefined && !match.unit.includes(alert.organization.id)) return false;
  if (match.rule !== undefined && !match.rule.some((r) => r === alert.rule.id || r.toLowerCase() === alert.rule.title.toLowerCase())) return false;
  if (match.kind !== undefined && !match.kind.includes(alertKind(alert))) return false;
  if (match.tactic !== undefined) {
    const tactics = new Set([...alert.attack.tactics, ...alert.rule.tags].map(normalizeTactic));
    if (!match.tactic.some((tactic) => tactics.has(normalizeTactic(tactic)))) return false;
  }
  return true;
}

/** Whether a channel may receive an alert of this unit at all. */
export function channelAccepts(channel: Pick<ChannelConfig, 'unit'>, unitId: string): boolean {
  return channel.unit === undefined || channel.unit === unitId;
}

export function routeAlert(config: NotifyConfig, alert: Alert): ChannelConfig[] {
  const byName = new Map(config.channels.map((channel) => [channel.name, channel]));
  const chosen = new Map<string, ChannelConfig>();
  for (const rule of config.rules) {
    if (!matches(rule, alert)) continue;
    for (const name of rule.channels) {
      const channel = byName.get(name);
      if (channel) chosen.set(name, channel);
    }
    if (rule.unit_channels) {
      for (const channel of config.channels) if (channel.unit === alert.organization.id) chosen.set(channel.name, channel);
    }
  }
  return [...chosen.values()].filter((channel) => channelAccepts(channel, alert.organization.id));
}
