// The alert table: TanStack Table for the columns and their sorting (done by the
// server: manualSorting), TanStack Virtual so thousands of rows cost what the visible
// ones cost. Sorting is the URL's (`sort=-severity`), so a header click is a link a
// colleague can open. Every cell truncates with an ellipsis and carries its full text
// as a tooltip; the status badge stays inside its column. With the detail open, the
// unit, count and last-seen columns step aside; the assignee stays.
import { useEffect, useMemo, useRef, type MouseEvent } from 'react';
import { columnVisibilityFeature, flexRender, rowSortingFeature, tableFeatures, useTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { formatCount, formatFullTimestamp, formatTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import type { Alert } from '../types/alert.ts';
import { hostLabel } from '../types/alert.ts';
import type { AlertListQuery, SortField } from '../types/list-query.ts';
import { formatAge } from '../lib/age.ts';
import { SeverityTag, StatusTag } from './alert-tags.tsx';

export const ROW_HEIGHT = 30;

export interface AlertTableProps {
  rows: Alert[];
  stale: ReadonlySet<string>;
  query: AlertListQuery;
  selected: ReadonlySet<string>;
  openId: string | null;
  focusIndex: number;
  now: number;
  compact: boolean;
  onSort(field: SortField): void;
  onOpen(id: string): void;
  onToggle(id: string, range: boolean): void;
  onToggleAll(): void;
  onFocusIndex(index: number): void;
  /** The user scrolled near the end: load the next page. */
  onNearEnd(): void;
  onScrolledAway(away: boolean): void;
  /** Shown in the table when there are no rows. */
  emptyText: string;
}

// Sorting and visibility only: the server sorts (manualSorting), and rows are never
// filtered, paginated or grouped in the browser.
const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature });

interface ColumnMeta {
  sort?: SortField;
  className: string;
  hideCompact?: boolean;
}

export function AlertTable(props: AlertTableProps) {
  const { t } = useTranslation('alerts');
  const { rows, query, selected, compact, now } = props;
  const columns = useMemo<ColumnDef<typeof features, Alert>[]>(
    () => [
      { id: 'select', header: () => null, cell: () => null, meta: { className: 'aw-select' } satisfies ColumnMeta },
      { id: 'severity', header: t('columns.severity'), meta: { sort: 'severity', className: 'aw-sev' } satisfies ColumnMeta },
      { id: 'status', header: t('columns.status'), meta: { sort: 'status', className: 'aw-status' } satisfies ColumnMeta },
      { id: 'rule', header: t('columns.rule'), meta: { sort: 'rule', className: 'aw-title' } satisfies ColumnMeta },
      { id: 'host', header: t('columns.host'), meta: { sort: 'host', className: 'aw-host' } satisfies ColumnMeta },
      { id: 'unit', header: t('columns.unit'), meta: { sort: 'unit', className: 'aw-unit', hideCompact: true } satisfies ColumnMeta },
      { id: 'assignee', header: t('columns.assignee'), meta: { sort: 'assignee', className: 'aw-assignee' } satisfies ColumnMeta },
      { id: 'count', header: t('columns.count'), meta: { sort: 'count', className: 'aw-count', hideCompact: true } satisfies ColumnMeta },
      { id: 'time', header: t('columns.time'), meta: { sort: 'time', className: 'aw-time', hideCompact: true } satisfies ColumnMeta },
      { id: 'age', header: t('columns.age'), meta: { className: 'aw-age' } satisfies ColumnMeta },
    ],
    [t],
  );
  const table = useTable({
    features,
    data: rows,
    columns,
    getRowId: (alert) => alert.id,
    manualSorting: true,
    state: {
      sorting: [{ id: query.sort.field === 'time' ? 'time' : query.sort.field, desc: query.sort.direction === 'desc' }],
      columnVisibility: compact ? { unit: false, count: false, time: false } : {},
    },
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // The header row sits above the first row inside the same scroller.
    paddingStart: ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { onNearEnd } = props;
  useEffect(() => {
    if (rows.length > 0 && lastIndex >= rows.length - 20) onNearEnd();
  }, [lastIndex, rows.length, onNearEnd]);

  // Keyboard focus follows j/k: keep the focused row in view.
  useEffect(() => {
    if (props.focusIndex >= 0) virtualizer.scrollToIndex(props.focusIndex, { align: 'auto' });
  }, [props.focusIndex]);

  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const visibleIds = new Set(table.getVisibleLeafColumns().map((c) => c.id));
  const show = (id: string) => visibleIds.has(id);
  // Rows above and below the rendered window are stood in for by two spacer rows, so the
  // table keeps real <tr> rows (and their semantics) while rendering only what is seen.
  const paddingTop = items.length > 0 ? items[0]!.start - ROW_HEIGHT : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items.at(-1)!.end : 0;
  const columnCount = headers.length;

  return (
    <div
      ref={scrollRef}
      className="at-scroll"
      onScroll={(ev) => props.onScrolledAway(ev.currentTarget.scrollTop > ROW_HEIGHT / 2)}
    >
      <table className={`aw-table${compact ? ' compact' : ''}`} aria-label={t('title')} aria-rowcount={rows.length + 1}>
        <colgroup>
          {headers.map((header) => (
            <col key={header.id} className={(header.column.columnDef.meta as ColumnMeta).className} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {headers.map((header) => {
              const meta = header.column.columnDef.meta as ColumnMeta;
              if (header.id === 'select') {
                return (
                  <th key={header.id} className={meta.className} scope="col">
                    <input type="checkbox" aria-label={t('list.selectAll')} checked={allSelected} disabled={rows.length === 0} onChange={props.onToggleAll} />
                  </th>
                );
              }
              const sorted = header.column.getIsSorted();
              const label = flexRender(header.column.columnDef.header, header.getContext());
              return (
                <th key={header.id} className={meta.className} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                  {meta.sort ? (
                    <button
                      type="button"
                      className="at-sort"
                      title={t('columns.sortBy', { column: String(header.column.columnDef.header) })}
                      onClick={() => props.onSort(meta.sort!)}
                    >
                      {label}
                      <span aria-hidden="true" className="at-arrow">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                      </span>
                    </button>
                  ) : (
                    label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="at-empty">
              <td colSpan={columnCount} className="muted">
                {props.emptyText}
              </td>
            </tr>
          ) : null}
          {paddingTop > 0 ? (
            <tr aria-hidden="true" className="at-spacer" style={{ height: paddingTop }}>
              <td colSpan={columnCount} />
            </tr>
          ) : null}
          {items.map((item) => {
            const alert = rows[item.index];
            if (alert === undefined) return null;
            const isOpen = alert.id === props.openId;
            const isStale = props.stale.has(alert.id);
            const host = hostLabel(alert);
            const unit = revealControls(alert.organization.name || alert.organization.id);
            const title = revealControls(alert.rule.title);
            const onRowClick = (ev: MouseEvent) => {
              if ((ev.target as HTMLElement).closest('input,button,a')) return;
              props.onFocusIndex(item.index);
              props.onOpen(alert.id);
            };
            return (
              <tr
                key={item.key}
                aria-rowindex={item.index + 2}
                aria-selected={selected.has(alert.id)}
                data-alert-id={alert.id}
                tabIndex={item.index === props.focusIndex ? 0 : -1}
                className={`at-row${isOpen ? ' open' : ''}${isStale ? ' stale' : ''}${item.index === props.focusIndex ? ' focused' : ''}${selected.has(alert.id) ? ' selected' : ''}`}
                onClick={onRowClick}
                onKeyDown={(ev) => {
                  if (ev.key === 'Enter') props.onOpen(alert.id);
                }}
              >
                <td className="aw-select">
                  <input
                    type="checkbox"
                    aria-label={t('list.selectRow', { title })}
                    checked={selected.has(alert.id)}
                    onChange={(ev) => props.onToggle(alert.id, (ev.nativeEvent as globalThis.MouseEvent).shiftKey === true)}
                  />
                </td>
                <td className="aw-sev">
                  <SeverityTag severity={alert.severity} />
                </td>
                <td className="aw-status">
                  <StatusTag status={alert.status} />
                </td>
                <td className="aw-title" title={isStale ? `${title} (${t('list.stale')})` : title}>
                  <a
                    href={`/alerts/${encodeURIComponent(alert.id)}`}
                    className="at-link"
                    onClick={(ev) => {
                      ev.preventDefault();
                      props.onFocusIndex(item.index);
                      props.onOpen(alert.id);
                    }}
                  >
                    {title}
                  </a>
                </td>
                <td className="aw-host mono" title={host}>
                  {host}
                </td>
                {show('unit') ? (
                  <td className="aw-unit" title={`${unit} (${revealControls(alert.organization.id)})`}>
                    {unit}
                  </td>
                ) : null}
                <td className="aw-assignee" title={revealControls(alert.assignee ?? '')}>
                  {alert.assignee !== null ? revealControls(alert.assignee) : <span className="muted">–</span>}
                </td>
                {show('count') ? <td className="aw-count num mono">{formatCount(alert.count)}</td> : null}
                {show('time') ? (
                  <td className="aw-time mono" title={formatFullTimestamp(alert.last_seen)}>
                    {formatTimestamp(alert.last_seen, new Date(now))}
                  </td>
                ) : null}
                <td className="aw-age mono" title={formatFullTimestamp(alert.first_seen)}>
                  {formatAge(alert.first_seen, now, t)}
                </td>
              </tr>
            );
          })}
          {paddingBottom > 0 ? (
            <tr aria-hidden="true" className="at-spacer" style={{ height: paddingBottom }}>
              <td colSpan={columnCount} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
