// An AlertQuery as filters over the alerts index; the same meaning as the embedded
// store's SQL: an empty status or severity list is no filter, `host` matches the host
// id or name exactly, the time range is on last_seen.
import type { AlertQuery } from '../../ports/store.ts';
import type { Filter } from './scope-filter.ts';

export function alertQueryFilters(query: AlertQuery): Filter[] {
  const filters: Filter[] = [];
  if (query.status !== undefined && query.status.length > 0) filters.push({ terms: { status: [...query.status] } });
  if (query.severity !== undefined && query.severity.length > 0) filters.push({ terms: { severity: [...query.severity] } });
  if (query.rule !== undefined) filters.push({ term: { 'rule.id': query.rule } });
  if (query.host !== undefined) {
    filters.push({ bool: { should: [{ term: { 'host.id': query.host } }, { term: { 'host.name': query.host } }], minimum_should_match: 1 } });
  }
  return filters;
}
