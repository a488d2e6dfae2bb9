// Writes one audit entry for a request: who (the signed-in user, or the name tried at a
// failed login), from which address, what and before/after. Every route that changes
// something calls this after the change succeeded; other stages' routes (triage, rules)
// use it the same way. Secrets (passwords, keys, tokens) are never passed in.
import type { FastifyRequest } from 'fastify';
import type { Accounts, AuditEntry, UserUnits } from '../core/accounts/accounts.ts';

export interface AuditRecord {
  action: string;
  target: string;
  /** The units the change concerns; `all` or none makes the entry SOC-only. */
  units: ReadonlyArray<UserUnits | string | null | undefined>;
  before?: unknown;
  after?: unknown;
  /** Defaults to the signed-in user. */
  actor?: string;
}

/** The units an entry concerns: the union of those given, or none (SOC-only) when any is `all`. */
export function auditUnits(units: AuditRecord['units']): string[] {
  const out = new Set<string>();
  for (const value of units) {
    if (value === null || value === undefined) continue;
    if (value === 'all') return [];
    for (const unit of typeof value === 'string' ? [value] : value) out.add(unit);
  }
  return [...out].sort();
}

export function recordAudit(accounts: Accounts, request: FastifyRequest, record: AuditRecord): Promise<AuditEntry> {
  return accounts.appendAudit({
    actor: record.actor ?? request.user?.username ?? 'anonymous',
    source: request.ip ?? null,
    action: record.action,
    target: record.target,
    units: auditUnits(record.units),
    before: record.before ?? null,
    after: record.after ?? null,
  });
}
