// Which kind of alert this is, for routing rules: `single` (one rule matched events on
// one machine), `correlation` (a correlation rule fired), `spread` (a correlation across
// the machines of one unit: grouped by the unit with no machine in its group, like "the
// same threat on five PCs of one unit") and `outbreak` (a correlation spanning units,
// organization `*`). Vigil's own "went silent" alerts are correlations, not spreads.
import type { AlertKind } from '../core/ports/notifications.ts';
import type { Alert } from '../core/schemas/alert.ts';

const MACHINE_KEYS = /^(host\.|agent\.|source\.|destination\.|user\.)/;

export function alertKind(alert: Alert): AlertKind {
  if (alert.rule.kind === 'match') return 'single';
  if (alert.organization.id === '*') return 'outbreak';
  const keys = Object.keys(alert.group);
  const acrossMachines = keys.includes('organization.id') && !keys.some((key) => MACHINE_KEYS.test(key));
  if (acrossMachines && !alert.rule.id.startsWith('vigil-silent-')) return 'spread';
  return 'correlation';
}
