// The audit log: who changed what, when (with the time zone), from which address, and
// the before/after, filterable by unit, actor, action and time and paged from newest to
// oldest. The filters live in the URL (/admin/audit?actor=lan&from=…), so a filtered
// log survives a reload and can be sent to a colleague; back and forward move between
// filter sets. Before/after are attacker-reachable JSON: shown as text, expandable per row.
import { Fragment, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { JsonView } from '../../../components/ui/json-view.tsx';
import { describeError, isAbort } from '../../../lib/api-client.ts';
import { formatZonedTimestamp } from '../../../lib/format-time.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getAudit, type AuditEntry, type AuditFilters } from '../api/get-audit.ts';
import { useTranslation } from 'react-i18next';

const PAGE_SIZE = 100;

/** A `datetime-local` value (this computer's zone) as ISO, or undefined when empty or invalid. */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** An ISO time as a `datetime-local` value with seconds, in this computer's zone ('' when unreadable). */
function isoToLocal(value: string | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const FILTER_NAMES = ['unit', 'actor', 'action', 'from', 'to'] as const;

/** The filters a URL holds: text trimmed and bounded, times kept only when they read as times. */
export function auditFiltersOf(params: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name)?.trim().slice(0, 200);
    if (!value) continue;
    if (name === 'from' || name === 'to') {
      const iso = localToIso(value);
      if (iso) filters[name] = iso;
    } else filters[name] = value;
  }
  return filters;
}

/** The URL search of a filter set, in a stable order, empty filters left out. */
export function auditSearchOf(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  return params;
}

const draftOf = (filters: AuditFilters) => ({
  unit: filters.unit ?? '',
  actor: filters.actor ?? '',
  action: filters.action ?? '',
  from: isoToLocal(filters.from),
  to: isoToLocal(filters.to),
});

/** A one-line summary of a before/after value for the table cell. */
function summarize(value: unknown): string {
  if (value === null || value === undefined) return '—';
  try {
    return revealControls(JSON.stringify(value) ?? '—');
  } catch {
    return String(value);
  }
}

export function AuditView() {
  const { t } = useTranslation('audit');
  const { unitName } = useUnitNames();
  const [params, setParams] = useSearchParams();
  const filterKey = auditSearchOf(auditFiltersOf(params)).toString();
  const filters = useMemo(() => auditFiltersOf(new URLSearchParams(filterKey)), [filterKey]);
  const [draft, setDraft] = useState(() => draftOf(filters));
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const abort = useRef<AbortController | null>(null);

  async function load(f: AuditFilters, cursor: string | null) {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setLoading(true);
    setError(null);
    try {
      const page = await getAudit(f, cursor, PAGE_SIZE, controller.signal);
      setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.next);
    } catch (err) {
      if (!isAbort(err)) setError(describeError(err));
    } finally {
      if (abort.current === controller) setLoading(false);
    }
  }

  // The URL's filters are the log shown: on load, after Filter, on back and forward.
  useEffect(() => {
    setDraft(draftOf(filters));
    setOpen(new Set());
    void load(filters, null);
    return () => abort.current?.abort();
  }, [filters]);

  function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const f: AuditFilters = {
      unit: draft.unit.trim() || undefined,
      actor: draft.actor.trim() || undefined,
      action: draft.action.trim() || undefined,
      from: localToIso(draft.from),
      to: localToIso(draft.to),
    };
    const search = auditSearchOf(f);
    // The same filters again reload the log (newer entries); new ones go into the URL.
    if (search.toString() === filterKey) void load(f, null);
    else setParams(search);
  }

  const toggle = (id: string) =>
    setOpen((prev) => {
      const s = new Set(prev);
      if (s.has(id)) s.delete(id);
      else s.add(id);
      return s;
    });

  const field = (name: keyof typeof draft) => ({
    value: draft[name],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value })),
  });

  return (
    <section className="admin-pane audit-pane" aria-label={t('title')}>
      <div className="admin-head">
        <h2>{t('title')}</h2>
        <span className="muted">
          {t('shown', { count: items.length })}
          {next ? t('more') : ''}
        </span>
      </div>
      <form className="admin-form" role="search" aria-label={t('filter')} onSubmit={submit}>
        <label>
          {t('unit')}
          <input {...field('unit')} className="mono" spellCheck={false} placeholder={t('unitPlaceholder')} />
        </label>
        <label>
          {t('actor')}
          <input {...field('actor')} spellCheck={false} placeholder={t('actorPlaceholder')} />
        </label>
        <label>
          {t('action')}
          <input {...field('action')} className="mono" spellCheck={false} placeholder="user.create" />
        </label>
        <label>
          {t('from')}
          <input type="datetime-local" step={1} {...field('from')} />
        </label>
        <label>
          {t('to')}
          <input type="datetime-local" step={1} {...field('to')} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={loading}>
          {t('filterButton')}
        </button>
      </form>
      <ErrorLine message={error ? t('loadFailed', { message: error }) : null} />
      <div className="table-scroll">
        <table className="admin-table audit-table" aria-label={t('table')}>
          <colgroup>
            <col className="c-audit-time" />
            <col className="c-username" />
            <col className="c-source" />
            <col className="c-action" />
            <col className="c-target" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('actor')}</th>
              <th scope="col">{t('source')}</th>
              <th scope="col">{t('action')}</th>
              <th scope="col">{t('target')}</th>
              <th scope="col">{t('change')}</th>
            </tr>
          </thead>
          <tbody>
            {!loading && items.length === 0 && !error ? (
              <tr className="empty-row">
                <td colSpan={6}>{Object.values(filters).some(Boolean) ? t('noMatch') : t('none')}</td>
              </tr>
            ) : (
              items.map((entry) => {
                const change = `${summarize(entry.before)} → ${summarize(entry.after)}`;
                const expanded = open.has(entry.id);
                return (
                  <Fragment key={entry.id}>
                    <tr data-audit-id={entry.id} className="audit-row" aria-expanded={expanded} onClick={() => toggle(entry.id)}>
                      <td className="mono" title={entry.time}>
                        {formatZonedTimestamp(entry.time)}
                      </td>
                      <td className="cell-clip" title={revealControls(entry.actor)}>
                        {revealControls(entry.actor)}
                      </td>
                      <td className="mono cell-clip" title={entry.source ?? undefined}>
                        {entry.source ?? '—'}
                      </td>
                      <td className="mono cell-clip" title={revealControls(entry.action)}>
                        {revealControls(entry.action)}
                      </td>
                      <td className="cell-clip" title={revealControls(entry.target)}>
                        {revealControls(entry.target)}
                      </td>
                      <td className="mono cell-clip muted" title={change}>
                        {change}
                      </td>
                    </tr>
                    {expanded ? (
                      <tr className="json-row">
                        <td colSpan={6}>
                          <div className="audit-change">
                            <div>
                              <h4>{t('before')}</h4>
                              <JsonView value={entry.before} label={t('before')} />
                            </div>
                            <div>
                              <h4>{t('after')}</h4>
                              <JsonView value={entry.after} label={t('after')} />
                            </div>
                          </div>
                          <p className="muted hint audit-units">{t('units', { units: entry.units.length > 0 ? revealControls(entry.units.map(unitName).join(', ')) : t('socWide') })}</p>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })
            )}
          </tbody>
        </table>
        {next ? (
          <div className="load-more">
            <button type="button" className="btn" disabled={loading} onClick={() => void load(filters, next)}>
              {t('older')}
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}
