// Event search: a query box and time range over /api/v1/events, kept in the URL
// (/events?q=&from=&to=) so a search survives reload and can be sent to a colleague; a
// histogram of the matches whose bars narrow the range; a field sidebar whose values add
// a filter; CSV / NDJSON export; and a dense result table whose rows expand to the raw
// event as text. A failed search replaces all of it with its error, with the column it
// points at.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { JsonView } from '../../../components/ui/json-view.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { eventHeadline, eventSubject, readField } from '../../../lib/event-fields.ts';
import { formatCount, formatFullTimestamp, timeZoneLabel, timeZoneName } from '../../../lib/format-time.ts';
import { useShortcuts } from '../../../lib/shortcuts.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { fromLocalInput, quickRangeOf, quickRanges, resolveBound, toLocalInput } from '../../../lib/time-range.ts';
import { EXPORT_LIMIT, exportUrl } from '../api/export-events.ts';
import { useEventSearch, type EventSearchParams } from '../hooks/use-event-search.ts';
import { EventHistogramPanel } from './event-histogram.tsx';
import { FieldSidebar } from './field-sidebar.tsx';
import { SearchError } from './search-error.tsx';
import './events-view.css';

function readParams(params: URLSearchParams): EventSearchParams | null {
  const q = params.get('q');
  if (q === null) return null;
  return { q, from: params.get('from'), to: params.get('to') };
}

export function EventsSearch() {
  const { t } = useTranslation('events');
  const { t: tc } = useTranslation();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [params, setParams] = useSearchParams();
  const search = readParams(params);
  const [draft, setDraft] = useState(search?.q ?? '');
  const [from, setFrom] = useState<string | null>(params.get('from'));
  const [to, setTo] = useState<string | null>(params.get('to'));
  const [open, setOpen] = useState<Set<number>>(new Set());
  const result = useEventSearch(search);
  const { unitName } = useUnitNames();

  // Back/forward and pasted links change the URL under us: the form follows it.
  const urlKey = params.toString();
  useEffect(() => {
    const current = readParams(params);
    setDraft(current?.q ?? '');
    setFrom(params.get('from'));
    setTo(params.get('to'));
    setOpen(new Set());
  }, [urlKey]);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  useShortcuts([{ key: '/', group: tc('views.events'), description: tc('shortcuts.focusSearch'), run: () => inputRef.current?.focus() }]);

  function go(q: string, rangeFrom: string | null, rangeTo: string | null) {
    const next = new URLSearchParams();
    next.set('q', q.trim());
    if (rangeFrom) next.set('from', rangeFrom);
    if (rangeTo) next.set('to', rangeTo);
    setAsked((n) => n + 1);
    if (next.toString() === params.toString()) void result.refetch();
    else setParams(next);
  }

  function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    go(draft, from, to);
  }

  // What the histogram, the sidebar and the export ask for: the search in the URL, its
  // bounds resolved once per search (a quick range resolved at every render would be a
  // new question each time), and again when the same search is asked again.
  const [asked, setAsked] = useState(0);
  const resolved = useMemo(() => (search === null ? null : { q: search.q, ...boundsOf(search) }), [urlKey, asked]);

  const quick = quickRangeOf(from, to);
  const rangeChoice = quick ?? (from || to ? 'custom' : 'any');
  const pages = result.isError ? [] : (result.data?.pages ?? []);
  const items = pages.flatMap((p) => p.items);
  const last = pages.at(-1);
  const first = pages[0];
  // A failed "load more" keeps the rows it has; a failed search has none to keep.
  const failedSearch = result.isError && !result.isFetchNextPageError;
  const loading = result.isFetching && !result.isFetchingNextPage;

  function toggle(i: number) {
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  }

  return (
    <section className="events-pane" aria-label={t('paneLabel')}>
      <form className="search-form" onSubmit={submit} role="search">
        <label htmlFor={inputId}>{t('searchLabel')}</label>
        <input
          id={inputId}
          ref={inputRef}
          type="search"
          value={draft}
          spellCheck={false}
          placeholder={t('placeholder')}
          onChange={(e) => setDraft(e.target.value)}
        />
        <select
          aria-label={t('range.label')}
          value={rangeChoice}
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'any') {
              setFrom(null);
              setTo(null);
            } else if (v !== 'custom') {
              setFrom(`now-${v}`);
              setTo(null);
            } else {
              setFrom(new Date(Date.now() - 86_400_000).toISOString());
            }
          }}
        >
          <option value="any">{t('range.any')}</option>
          {quickRanges.map((r) => (
            <option key={r} value={r}>
              {t(`range.${r}`)}
            </option>
          ))}
          <option value="custom">{t('range.custom')}</option>
        </select>
        {rangeChoice === 'custom' ? (
          <>
            <input
              type="datetime-local"
              aria-label={t('range.from')}
              value={toLocalInput(from)}
              onChange={(e) => setFrom(fromLocalInput(e.target.value))}
            />
            <input type="datetime-local" aria-label={t('range.to')} value={toLocalInput(to)} onChange={(e) => setTo(fromLocalInput(e.target.value))} />
          </>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={loading}>
          {t('search')}
        </button>
        {first && !failedSearch ? (
          <span className="muted list-count">
            {t('count', { shown: formatCount(items.length), total: `${formatCount(first.total)}${first.totalIsExact ? '' : '+'}` })}
          </span>
        ) : null}
      </form>
      {failedSearch ? <SearchError error={result.error} query={search?.q ?? ''} /> : null}
      {failedSearch ? null : (
        <div className="events-body">
        {resolved ? <FieldSidebar search={resolved} onFilter={(filter) => go(`${search?.q ?? ''} ${filter}`, search?.from ?? null, search?.to ?? null)} /> : null}
        <div className="events-main">
        {resolved ? <EventHistogramPanel search={resolved} onRange={(rangeFrom, rangeTo) => go(search?.q ?? '', rangeFrom, rangeTo)} /> : null}
        {resolved ? (
          <p className="export-links muted">
            {t('export.label', { limit: formatCount(EXPORT_LIMIT) })}
            <a className="btn" href={exportUrl('csv', resolved)} download>
              CSV
            </a>
            <a className="btn" href={exportUrl('ndjson', resolved)} download>
              NDJSON
            </a>
          </p>
        ) : null}
        <div className="table-scroll">
          <table className="event-table" aria-label={t('table')}>
            <thead>
              <tr>
                <th scope="col" title={timeZoneName()}>
                  {t('col.time', { zone: timeZoneLabel() })}
                </th>
                <th scope="col">{t('col.unit')}</th>
                <th scope="col">{t('col.host')}</th>
                <th scope="col">{t('col.what')}</th>
                <th scope="col">{t('col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 ? (
                <tr className="empty-row">
                  <td colSpan={5}>{loading ? t('searching') : search === null ? t('hint') : t('noMatch')}</td>
                </tr>
              ) : (
                items.flatMap((ev, i) => {
                  const at = readField(ev, '@timestamp');
                  const rows = [
                    <tr
                      key={`r-${i}`}
                      tabIndex={0}
                      aria-expanded={open.has(i)}
                      onClick={() => toggle(i)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          toggle(i);
                        }
                      }}
                    >
                      <td className="mono">{at ? formatFullTimestamp(at) : '—'}</td>
                      <ClipCell text={eventUnit(ev, unitName)} />
                      <ClipCell text={readField(ev, 'host.name') ?? readField(ev, 'host.id') ?? ''} mono />
                      <ClipCell text={eventHeadline(ev)} />
                      <ClipCell text={eventSubject(ev) ?? ''} mono />
                    </tr>,
                  ];
                  if (open.has(i)) {
                    rows.push(
                      <tr key={`j-${i}`} className="json-row">
                        <td colSpan={5}>
                          <JsonView value={ev} label={t('rawEvent')} />
                        </td>
                      </tr>,
                    );
                  }
                  return rows;
                })
              )}
            </tbody>
          </table>
          {result.isFetchNextPageError ? <ErrorLine message={describeError(result.error)} /> : null}
          {last?.next ? (
            <div className="load-more">
              <button type="button" className="btn" disabled={result.isFetchingNextPage} onClick={() => void result.fetchNextPage()}>
                {result.isFetchingNextPage ? t('loadingMore') : t('loadMore')}
              </button>
            </div>
          ) : null}
        </div>
        </div>
        </div>
      )}
    </section>
  );
}

/** A search's URL bounds as ISO times, resolved now (a quick range stays relative in the URL). */
function boundsOf(search: EventSearchParams): { from?: string; to?: string } {
  const from = resolveBound(search.from);
  const to = resolveBound(search.to);
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** A clipped cell whose whole text shows on hover (tooltips are capped: a 32 kB token is not). */
function ClipCell({ text, mono = false }: { text: string; mono?: boolean }) {
  return (
    <td className={mono ? 'cell-clip mono' : 'cell-clip'} title={text.length > 2000 ? `${text.slice(0, 2000)}…` : text || undefined}>
      {text}
    </td>
  );
}

/** The event's unit by its current name (units can be renamed after the event). */
function eventUnit(ev: unknown, unitName: (id: string) => string): string {
  const id = readField(ev, 'organization.id');
  return id ? revealControls(unitName(id)) : (readField(ev, 'organization.name') ?? '');
}
