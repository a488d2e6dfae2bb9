// The Rules page's hit counts from the search store: a terms aggregation on rule.id
// with the sum of alert.count (the times the rule matched; an alert groups repeats)
// and the newest last_seen, over the alerts whose last_seen is in range, in the
// caller's scope. Same contract as the embedded store's rule-hits-sql.ts.
import type { Scope } from '../../ports/scope.ts';
import { MAX_RULE_HITS, type RuleHits, type TimeRange } from '../../ports/store.ts';
import { normalizeRange } from '../search-bounds.ts';
import { rangeFilters, scopeFilters } from './scope-filter.ts';
import type { SearchClient } from './search-client.ts';
import { search } from './search-page.ts';

interface RuleHitsAnswer {
  /** Absent only when no shard answered (no alerts index yet). */
  aggregations?: {
    rules: { buckets: { key: string; doc_count: number; matches: { value: number | null }; last: { value: number | null } }[] };
  };
}

export async function ruleHitsSearch(client: SearchClient, index: string, range: TimeRange, scope: Scope): Promise<RuleHits[]> {
  const scoped = scopeFilters(scope);
  if (scoped === null) return [];
  const answer = await search<RuleHitsAnswer>(client, index, {
    query: { bool: { filter: [...scoped, ...rangeFilters('last_seen', normalizeRange(range))] } },
    size: 0,
    aggs: {
      rules: {
        // Ordered by matches as the embedded store orders them; shard_size as size, so each rule's sums are exact.
        terms: { field: 'rule.id', size: MAX_RULE_HITS, shard_size: MAX_RULE_HITS, order: [{ matches: 'desc' }, { _key: 'asc' }] },
        // An alert written before `count` was required reads as one match.
        aggs: { matches: { sum: { field: 'count', missing: 1 } }, last: { max: { field: 'last_seen' } } },
      },
    },
  });
  return (answer.aggregations?.rules.buckets ?? []).map((bucket) => ({
    rule: bucket.key,
    matches: bucket.matches.value ?? 0,
    alerts: bucket.doc_count,
    lastHit: new Date(bucket.last.value ?? 0).toISOString(),
  }));
}
