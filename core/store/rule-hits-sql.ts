// The Rules page's hit counts from the embedded (SQLite) store: per rule, the sum of
// alert.count (the times it matched; an alert groups repeats) and the number of alerts
// among the alerts whose last_seen is in range, in the caller's scope, in one pass.
import type { Scope } from '../ports/scope.ts';
import { MAX_RULE_HITS, type RuleHits, type TimeRange } from '../ports/store.ts';
import { normalizeRange } from './search-bounds.ts';
import { SqlConditions } from './sql-conditions.ts';
import type { StatementCache } from './statement-cache.ts';

export function ruleHitsSql(statements: StatementCache, range: TimeRange, scope: Scope): RuleHits[] {
  const where = new SqlConditions();
  if (!where.addScope(scope, 'org')) return [];
  const bounds = normalizeRange(range);
  if (bounds.from !== undefined) where.add('last_seen >= ?', bounds.from);
  if (bounds.to !== undefined) where.add('last_seen < ?', bounds.to);
  // An alert written before `count` was required reads as one match.
  return statements
    .get(
      `SELECT rule_id AS rule, sum(coalesce(json_extract(doc, '$.count'), 1)) AS matches, count(*) AS alerts, max(last_seen) AS lastHit
       FROM alerts ${where.sql} GROUP BY rule_id ORDER BY matches DESC, rule_id LIMIT ${MAX_RULE_HITS}`,
    )
    .all(...where.params) as RuleHits[];
}
