// Alert lists and alert counts of the embedded (SQLite) store: an AlertFilter as SQL,
// keyset pages in any sort order (alert-sort.ts), and group counts. Kept apart from
// embedded-store.ts so the alert workbench's queries can be read in one place.
import type { Scope } from '../ports/scope.ts';
import {
  MAX_ALERT_GROUPS,
  type AlertFilter,
  type AlertGroupField,
  type AlertGroups,
  type AlertQuery,
  type AlertSort,
  type Page,
} from '../ports/store.ts';
import type { Alert } from '../schemas/alert.ts';
import { alertStatuses, severities } from '../schemas/alert.ts';
import {
  DEFAULT_ALERT_SORT,
  decodeAlertPageToken,
  encodeAlertPageToken,
  type SortValue,
} from './alert-sort.ts';
import { FOLD_FUNCTION, foldCase } from './event-query-sql.ts';
import { clampLimit, normalizeRange, TOTAL_COUNT_CAP } from './search-bounds.ts';
import { SqlConditions } from './sql-conditions.ts';
import type { StatementCache } from './statement-cache.ts';

const rankCase = (column: string, order: readonly string[]): string =>
  `CASE ${column} ${order.map((value, i) => `WHEN '${value}' THEN ${i}`).join(' ')} ELSE -1 END`;

/** The SQL value each sort orders by; missing text is '' so it sorts first ascending. */
const SORT_EXPRESSIONS: Record<Exclude<AlertSort['field'], 'time'>, string> = {
  severity: rankCase('severity', severities),
  status: rankCase('status', alertStatuses),
  rule: "json_extract(doc, '$.rule.title')",
  host: "coalesce(host_name, host_id, '')",
  unit: "json_extract(doc, '$.organization.name')",
  assignee: "coalesce(json_extract(doc, '$.assignee'), '')",
  count: "json_extract(doc, '$.count')",
};

/** What each grouping counts by, and the readable label of a group (from its most recent alert). */
const GROUP_EXPRESSIONS: Record<AlertGroupField, { key: string; label: string }> = {
  rule: { key: 'rule_id', label: "json_extract(doc, '$.rule.title')" },
  host: { key: 'coalesce(host_name, host_id)', label: 'coalesce(host_name, host_id)' },
  unit: { key: 'org', label: "json_extract(doc, '$.organization.name')" },
  // A correlation's grouped signature, else a single-event alert's own (alert.threat).
  threat: {
    key: `coalesce(json_extract(doc, '$.group."rule.name"'), json_extract(doc, '$.threat'))`,
    label: `coalesce(json_extract(doc, '$.group."rule.name"'), json_extract(doc, '$.threat'))`,
  },
  severity: { key: 'severity', label: 'severity' },
  status: { key: 'status', label: 'status' },
};

/** The filter as conditions; false when the scope can see nothing. */
export function alertConditions(where: SqlConditions, filter: AlertFilter, scope: Scope): boolean {
  if (!where.addScope(scope, 'org')) return false;
  const range = normalizeRange(filter);
  if (range.from !== undefined) where.add('last_seen >= ?', range.from);
  if (range.to !== undefined) where.add('last_seen < ?', range.to);
  // An empty list is read as "no filter", as when the parameter is absent.
  if (filter.status !== undefined && filter.status.length > 0) {
    where.add('status IN (SELECT value FROM json_each(?))', JSON.stringify(filter.status));
  }
  if (filter.severity !== undefined && filter.severity.length > 0) {
    where.add('severity IN (SELECT value FROM json_each(?))', JSON.stringify(filter.severity));
  }
  if (filter.rule !== undefined) where.add('rule_id = ?', filter.rule);
  if (filter.host !== undefined) where.add('host_id = ? OR host_name = ?', filter.host, filter.host);
  if (filter.unit !== undefined) where.add('org = ?', filter.unit);
  if (filter.tactic !== undefined) {
    where.add("EXISTS (SELECT 1 FROM json_each(alerts.doc, '$.attack.tactics') WHERE value = ?)", filter.tactic);
  }
  if (filter.assignee === null) where.add("json_extract(doc, '$.assignee') IS NULL");
  else if (filter.assignee !== undefined) where.add("json_extract(doc, '$.assignee') = ?", filter.assignee);
  const text = filter.text?.trim();
  if (text !== undefined && text !== '') {
    const needle = foldCase(text);
    where.add(
      `instr(${FOLD_FUNCTION}(json_extract(doc, '$.rule.title')), ?) > 0 OR instr(${FOLD_FUNCTION}(rule_id), ?) > 0
       OR instr(${FOLD_FUNCTION}(coalesce(host_name, '')), ?) > 0 OR instr(${FOLD_FUNCTION}(coalesce(host_id, '')), ?) > 0`,
      needle,
      needle,
      needle,
      needle,
    );
  }
  return true;
}

interface SortedRow {
  k0: SortValue;
  k1: SortValue;
  k2?: SortValue;
  doc: string;
}

/** One keyset page in the query's order, plus the total (counted up to TOTAL_COUNT_CAP). */
export function alertPage(statements: StatementCache, query: AlertQuery, scope: Scope): Page<Alert> {
  const sort = query.sort ?? DEFAULT_ALERT_SORT;
  const limit = clampLimit(query.limit);
  const byTime = sort.field === 'time';
  const start = query.cursor === undefined ? null : decodeAlertPageToken(query.cursor, sort, byTime ? 2 : 3);
  const where = new SqlConditions();
  if (!alertConditions(where, query, scope)) return { items: [], total: 0, totalIsExact: true, next: null };
  const counted = statements
    .get(`SELECT count(*) FROM (SELECT 1 FROM alerts ${where.sql} LIMIT ?)`)
    .pluck()
    .get(...where.params, TOTAL_COUNT_CAP + 1) as number;

  const dir = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const after = sort.direction === 'asc' ? '>' : '<';
  const pageWhere = where.copy();
  let columns: string;
  let order: string;
  let outerOrder: string;
  const field = sort.field;
  if (field === 'time') {
    columns = 'last_seen AS k0, id AS k1';
    order = `last_seen ${dir}, id ${dir}`;
    outerOrder = `page.k0 ${dir}, page.k1 ${dir}`;
    if (start !== null) pageWhere.add(`(last_seen, id) ${after} (?, ?)`, ...start.values);
  } else {
    // Within one value of the sorted column, newest first: what an analyst expects
    // when sorting by severity or rule, and a total order with the id for paging.
    const expression = SORT_EXPRESSIONS[field];
    columns = `${expression} AS k0, last_seen AS k1, id AS k2`;
    order = `${expression} ${dir}, last_seen DESC, id DESC`;
    outerOrder = `page.k0 ${dir}, page.k1 DESC, page.k2 DESC`;
    if (start !== null) {
      const [value, seen, id] = start.values;
      pageWhere.add(`${expression} ${after} ? OR (${expression} = ? AND (last_seen, id) < (?, ?))`, value, value, seen, id);
    }
  }
  // The page is chosen from (rowid, sort key) alone and the documents are read for its
  // rows only, so ordering thousands of candidates never drags their JSON along. One
  // row more than asked tells whether another page exists.
  const rows = statements
    .get(
      `SELECT page.*, t.doc FROM (SELECT rowid AS r, ${columns} FROM alerts ${pageWhere.sql} ORDER BY ${order} LIMIT ?) AS page
       JOIN alerts AS t ON t.rowid = page.r ORDER BY ${outerOrder}`,
    )
    .all(...pageWhere.params, limit + 1) as SortedRow[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows[rows.length - 1];
  const lastValues = last === undefined ? [] : byTime ? [last.k0, last.k1] : [last.k0, last.k1, last.k2 ?? null];
  return {
    items: rows.map((row) => JSON.parse(row.doc) as Alert),
    total: Math.min(counted, TOTAL_COUNT_CAP),
    totalIsExact: counted <= TOTAL_COUNT_CAP,
    next: more && last !== undefined ? encodeAlertPageToken(sort, lastValues) : null,
  };
}

export function alertGroups(statements: StatementCache, filter: AlertFilter, by: AlertGroupField, scope: Scope): AlertGroups {
  const where = new SqlConditions();
  if (!alertConditions(where, filter, scope)) return { groups: [], total: 0 };
  const { key, label } = GROUP_EXPRESSIONS[by];
  // SQLite takes bare columns (the label) from the row that supplied max(), so a
  // retitled rule or renamed unit shows its newest name.
  const rows = statements
    .get(
      `SELECT ${key} AS key, ${label} AS label, max(last_seen) AS seen, count(*) AS n FROM alerts ${where.sql}
       GROUP BY ${key} ORDER BY n DESC, key IS NULL, key LIMIT ${MAX_ALERT_GROUPS}`,
    )
    .all(...where.params) as { key: string | null; label: string | null; n: number }[];
  const total = statements
    .get(`SELECT count(*) FROM alerts ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
  return {
    groups: rows.map((row) => ({ key: row.key, label: row.label ?? row.key ?? '', count: row.n })),
    total,
  };
}
