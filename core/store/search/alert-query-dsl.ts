// An alert list's filter, sort and grouping as query DSL over the alerts index, with
// the same meaning as the embedded store's SQL (embedded-alert-query.ts): an empty
// status or severity list is no filter, `host` matches the host id or name exactly,
// the time range is on last_seen, text is a case-insensitive substring of the rule
// title, rule id or host; severity and status sort by rank, a missing host or
// assignee sorts as '' (first ascending), ties by last_seen newest first, then id.
import type { AlertFilter, AlertGroupField, AlertSort } from '../../ports/store.ts';
import { SEVERITY_RANK, STATUS_RANK } from '../alert-sort.ts';
import type { Filter } from './scope-filter.ts';
import { SEARCH_FIELD } from './search-fields.ts';

export function alertQueryFilters(query: AlertFilter): Filter[] {
  const filters: Filter[] = [];
  if (query.status !== undefined && query.status.length > 0) filters.push({ terms: { status: [...query.status] } });
  if (query.severity !== undefined && query.severity.length > 0) filters.push({ terms: { severity: [...query.severity] } });
  if (query.rule !== undefined) filters.push({ term: { 'rule.id': query.rule } });
  if (query.host !== undefined) {
    filters.push({ bool: { should: [{ term: { 'host.id': query.host } }, { term: { 'host.name': query.host } }], minimum_should_match: 1 } });
  }
  if (query.unit !== undefined) filters.push({ term: { 'organization.id': query.unit } });
  if (query.tactic !== undefined) filters.push({ term: { 'attack.tactics': query.tactic } });
  if (query.assignee === null) filters.push({ bool: { must_not: [{ exists: { field: 'assignee' } }] } });
  else if (query.assignee !== undefined) filters.push({ term: { assignee: query.assignee } });
  const text = query.text?.trim();
  if (text !== undefined && text !== '') {
    const value = `*${text.replace(/[\\*?]/g, (c) => `\\${c}`)}*`;
    const fields = ['rule.title', 'rule.id', 'host.name', 'host.id'];
    filters.push({
      bool: { should: fields.map((field) => ({ wildcard: { [field]: { value, case_insensitive: true } } })), minimum_should_match: 1 },
    });
  }
  return filters;
}

const rankScript = (field: string, rank: Readonly<Record<string, number>>) => ({
  type: 'number',
  script: {
    lang: 'painless',
    source: `def v = doc['${field}']; return v.size() == 0 ? -1 : params.rank.getOrDefault(v.value, -1);`,
    params: { rank },
  },
});

const textOrEmptyScript = (field: string) => ({
  type: 'string',
  script: { lang: 'painless', source: `def v = doc['${field}']; return v.size() == 0 ? '' : v.value;` },
});

/** The sort clauses of an alert list; hit.sort then holds what a paging token keeps. */
export function alertSortClauses(sort: AlertSort): Record<string, unknown>[] {
  const order = sort.direction;
  if (sort.field === 'time') return [{ last_seen: { order } }, { id: { order } }];
  const primary: Record<string, unknown> = (() => {
    switch (sort.field) {
      case 'severity':
        return { _script: { ...rankScript('severity', SEVERITY_RANK), order } };
      case 'status':
        return { _script: { ...rankScript('status', STATUS_RANK), order } };
      case 'rule':
        return { 'rule.title': { order, missing: order === 'asc' ? '_first' : '_last' } };
      case 'host':
        return { _script: { ...textOrEmptyScript(`${SEARCH_FIELD}.host`), order } };
      case 'unit':
        return { 'organization.name': { order, missing: order === 'asc' ? '_first' : '_last' } };
      case 'assignee':
        return { _script: { ...textOrEmptyScript('assignee'), order } };
      case 'count':
        return { count: { order } };
    }
  })();
  return [primary, { last_seen: { order: 'desc' } }, { id: { order: 'desc' } }];
}

/** Key of the bucket of alerts without a value (no host, no signature); never a real key. */
export const MISSING_GROUP_KEY = '';

/** The keyword each grouping counts by, and where the label of its newest alert is. */
export const ALERT_GROUP_FIELDS: Record<AlertGroupField, { field: string; label?: string }> = {
  rule: { field: 'rule.id', label: 'rule.title' },
  host: { field: `${SEARCH_FIELD}.host` },
  unit: { field: 'organization.id', label: 'organization.name' },
  threat: { field: `${SEARCH_FIELD}.threat` },
  severity: { field: 'severity' },
  status: { field: 'status' },
};
