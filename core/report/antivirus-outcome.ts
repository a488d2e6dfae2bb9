// What an antivirus event's action means for a report: the product's own words
// (quarantined, quarantine_failed, disinfected, ...) folded into the five outcomes the
// province counts, plus "other" (detected, allowed, a scan finished, ...).
export const antivirusOutcomes = ['blocked', 'quarantined', 'cleaned', 'deleted', 'failed', 'other'] as const;
export type AntivirusOutcome = (typeof antivirusOutcomes)[number];

const BY_ACTION: Record<string, AntivirusOutcome> = {
  blocked: 'blocked',
  block: 'blocked',
  prevented: 'blocked',
  denied: 'blocked',
  access_denied: 'blocked',
  quarantined: 'quarantined',
  quarantine: 'quarantined',
  moved_to_quarantine: 'quarantined',
  cleaned: 'cleaned',
  clean: 'cleaned',
  disinfected: 'cleaned',
  repaired: 'cleaned',
  deleted: 'deleted',
  delete: 'deleted',
  removed: 'deleted',
  failed: 'failed',
};

/** A failure outcome, or an action that names a failure (quarantine_failed), is a failed remediation. */
export function antivirusOutcome(action: string | null, outcome: string | null): AntivirusOutcome {
  const name = (action ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (outcome === 'failure' || name.endsWith('_failed') || name.startsWith('failed')) return 'failed';
  return BY_ACTION[name] ?? 'other';
}

export function countAntivirusOutcomes(
  rows: readonly { action: string | null; outcome: string | null; count: number }[],
): Record<AntivirusOutcome, number> {
  const counts: Record<AntivirusOutcome, number> = { blocked: 0, quarantined: 0, cleaned: 0, deleted: 0, failed: 0, other: 0 };
  for (const row of rows) counts[antivirusOutcome(row.action, row.outcome)] += row.count;
  return counts;
}
