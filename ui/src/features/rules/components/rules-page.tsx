// The Rules page (/rules, /rules/:id): every detection and correlation rule of the
// rules folder with level, tags, file, alerts in the last 30 days and the last hit,
// switched on or off; searchable, filterable by kind and state, sortable by any column
// (TanStack Table: sorting and filtering without hand-written state). Picking a rule
// opens its detail beside the list (its URL can be sent to a colleague): the YAML,
// the switch and "test this rule".
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  createSortedRowModel,
  flexRender,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount, formatTimestamp, formatZonedTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { useRules, type LibraryRule, type RuleKind } from '../api/get-rules.ts';
import { LevelBadge, levelRank } from './level-badge.tsx';
import { RuleDetail } from './rule-detail.tsx';
import './rules.css';

// Sorting in the browser (the library is a few hundred rules, all loaded); filtering is
// a plain array filter before the table.
const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});

/** Text search over title, id, tags and file, case-insensitive. */
function matchesText(rule: LibraryRule, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return [rule.title, rule.id, rule.file, ...rule.tags].some((value) => value.toLowerCase().includes(needle));
}

type KindFilter = 'all' | RuleKind;

const columnClass: Record<string, string> = {
  level: 'c-level',
  tags: 'c-tags',
  file: 'c-file',
  hits: 'c-hits',
  lastHit: 'c-last',
  state: 'c-rule-state',
};

export function RulesPage() {
  const { t } = useTranslation('rules');
  const { id: selected } = useParams();
  const navigate = useNavigate();
  const rules = useRules();
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<KindFilter>('all');
  const [onlyOff, setOnlyOff] = useState(false);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'hits', desc: true }]);

  const data = useMemo(
    () =>
      (rules.data?.items ?? []).filter(
        (rule) => (kind === 'all' || rule.kind === kind) && (!onlyOff || !rule.enabled) && matchesText(rule, search),
      ),
    [rules.data, kind, onlyOff, search],
  );
  const columns = useMemo<ColumnDef<typeof features, LibraryRule>[]>(
    () => [
      {
        id: 'title',
        accessorFn: (rule) => rule.title,
        sortFn: 'alphanumeric',
        header: () => t('columns.title'),
        cell: ({ row }) => <span title={revealControls(row.original.title)}>{revealControls(row.original.title)}</span>,
      },
      {
        id: 'level',
        accessorFn: (rule) => levelRank(rule.level),
        sortFn: 'basic',
        sortDescFirst: true,
        header: () => t('columns.level'),
        cell: ({ row }) => <LevelBadge level={row.original.level} />,
      },
      {
        id: 'tags',
        accessorFn: (rule) => rule.tags.join(' '),
        sortFn: 'alphanumeric',
        header: () => t('columns.tags'),
        cell: ({ row }) => <span title={row.original.tags.join(' ')}>{revealControls(row.original.tags.join(' '))}</span>,
      },
      {
        id: 'file',
        accessorFn: (rule) => `${rule.file}:${rule.line}`,
        sortFn: 'alphanumeric',
        header: () => t('columns.file'),
        cell: ({ row }) => (
          <span className="mono" title={`${row.original.file}:${row.original.line}`}>
            {revealControls(`${row.original.file}:${row.original.line}`)}
          </span>
        ),
      },
      {
        id: 'hits',
        accessorFn: (rule) => rule.hits,
        sortFn: 'basic',
        sortDescFirst: true,
        header: () => <span title={t('hitsTitle')}>{t('columns.hits')}</span>,
        cell: ({ row }) => (
          <span className="num" title={t('hitsCell', { matches: formatCount(row.original.hits), alerts: formatCount(row.original.alerts) })}>
            {formatCount(row.original.hits)}
          </span>
        ),
      },
      {
        id: 'lastHit',
        accessorFn: (rule) => rule.lastHit ?? '',
        sortFn: 'basic',
        sortDescFirst: true,
        header: () => t('columns.lastHit'),
        cell: ({ row }) => {
          const last = row.original.lastHit;
          return last ? <span title={formatZonedTimestamp(last)}>{formatTimestamp(last)}</span> : <span className="muted">{t('never')}</span>;
        },
      },
      {
        id: 'state',
        accessorFn: (rule) => (rule.enabled ? 1 : 0),
        sortFn: 'basic',
        header: () => t('columns.state'),
        cell: ({ row }) => (
          <span className={`badge rule-state ${row.original.enabled ? 'rule-on' : 'rule-off'}`}>
            {row.original.enabled ? t('state.on') : t('state.off')}
          </span>
        ),
      },
    ],
    [t],
  );

  // Beside an open rule the list keeps what tells rules apart at a glance.
  const shown = useMemo(() => (selected ? columns.filter((c) => c.id !== 'tags' && c.id !== 'file') : columns), [columns, selected]);
  const table = useTable({
    features,
    data,
    columns: shown,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (rule) => rule.id,
  });
  const rows = table.getRowModel().rows;
  const library = rules.data;
  const switchedOff = (library?.items ?? []).filter((rule) => !rule.enabled).length;
  const open = (id: string) => void navigate(`/rules/${encodeURIComponent(id)}`);

  return (
    <main className="console-main">
      <div className={`workspace${selected ? ' has-detail' : ''}`}>
        <section className="list-pane" aria-label={t('title')}>
          <div className="list-toolbar">
            <h2 className="rules-title">{t('title')}</h2>
            <input
              type="search"
              className="rules-search"
              aria-label={t('search')}
              placeholder={t('searchPlaceholder')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              spellCheck={false}
            />
            <span className="chip-group" role="group" aria-label={t('kinds')}>
              {(['all', 'detection', 'correlation'] as const).map((k) => (
                <button key={k} type="button" className="chip" aria-pressed={kind === k} onClick={() => setKind(k)}>
                  {t(`kind.${k}`)}
                </button>
              ))}
            </span>
            <button type="button" className="chip" aria-pressed={onlyOff} onClick={() => setOnlyOff((v) => !v)}>
              {t('onlyOff')}
            </button>
            {library ? (
              <span className="list-count muted" role="status">
                {t('loaded', { count: library.loaded })} · {t('shown', { count: rows.length })}
                {switchedOff > 0 ? ` · ${t('switchedOffCount', { count: switchedOff })}` : ''}
              </span>
            ) : null}
          </div>
          {library && library.errors.length > 0 ? (
            <details className="rules-problems">
              <summary role="alert">{t('loadProblems', { count: library.errors.length })}</summary>
              <ul>
                {library.errors.map((error) => (
                  <li key={error} className="mono">
                    {revealControls(error)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <ErrorLine message={rules.error ? t('loadFailed', { message: describeError(rules.error) }) : null} />
          <div className="table-scroll">
            <table className="event-table rules-table" aria-label={t('table')}>
              <colgroup>
                {shown.map((c) => (
                  <col key={c.id} className={columnClass[c.id ?? ''] ?? ''} />
                ))}
              </colgroup>
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => {
                      const sorted = header.column.getIsSorted();
                      return (
                        <th key={header.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                          <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                            {flexRender(header.column.columnDef.header, header.getContext())}
                            <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                          </button>
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody>
                {library && rows.length === 0 ? (
                  <tr className="empty-row">
                    <td colSpan={shown.length}>{t('noMatch')}</td>
                  </tr>
                ) : null}
                {rows.map((row) => (
                  <tr
                    key={row.id}
                    className={`${row.id === selected ? 'is-selected' : ''}${row.original.enabled ? '' : ' is-off'}`}
                    aria-selected={row.id === selected}
                    onClick={() => open(row.id)}
                  >
                    {row.getAllCells().map((cell) => (
                      <td key={cell.id}>
                        {cell.column.id === 'title' ? (
                          <a
                            href={`/rules/${encodeURIComponent(row.id)}`}
                            className="rule-link"
                            onClick={(e) => {
                              e.preventDefault();
                            }}
                          >
                            {flexRender(cell.column.columnDef.cell, cell.getContext())}
                          </a>
                        ) : (
                          flexRender(cell.column.columnDef.cell, cell.getContext())
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        {selected ? <RuleDetail key={selected} id={selected} onClose={() => void navigate('/rules')} /> : null}
      </div>
    </main>
  );
}
