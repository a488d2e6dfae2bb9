// Event search: a query box over /api/v1/events and a dense result table whose rows
// expand to the raw event as text.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { JsonView } from '../../../components/ui/json-view.tsx';
import { describeError, isAbort } from '../../../lib/api-client.ts';
import { eventHeadline, eventSubject, readField } from '../../../lib/event-fields.ts';
import { formatCount, formatFullTimestamp } from '../../../lib/format-time.ts';
import { searchEvents, type EventPage } from '../api/search-events.ts';

const PAGE_SIZE = 100;

export function EventsSearch() {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const [items, setItems] = useState<EventPage['items']>([]);
  const [page, setPage] = useState<Pick<EventPage, 'total' | 'totalIsExact' | 'next'> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    inputRef.current?.focus();
    return () => abort.current?.abort();
  }, []);

  async function run(q: string, cursor: string | null) {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setLoading(true);
    setError(null);
    try {
      const res = await searchEvents({ q, limit: PAGE_SIZE, cursor }, controller.signal);
      setItems((prev) => (cursor ? [...prev, ...res.items] : res.items));
      setPage({ total: res.total, totalIsExact: res.totalIsExact, next: res.next });
      if (!cursor) setOpen(new Set());
    } catch (err) {
      if (!isAbort(err)) setError(describeError(err));
    } finally {
      if (abort.current === controller) setLoading(false);
    }
  }

  function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const q = draft.trim();
    setQuery(q);
    void run(q, null);
  }

  function toggle(i: number) {
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  }

  return (
    <section className="events-pane" aria-label="Event search">
      <form className="search-form" onSubmit={submit} role="search">
        <label htmlFor={inputId}>Search events</label>
        <input
          id={inputId}
          ref={inputRef}
          type="search"
          value={draft}
          spellCheck={false}
          placeholder='host.name:PC-KETOAN-01 event.category:malware "eicar"'
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="btn btn-primary" disabled={loading}>
          Search
        </button>
        {page ? (
          <span className="muted list-count">
            {formatCount(items.length)} of {formatCount(page.total)}
            {page.totalIsExact ? '' : '+'}
          </span>
        ) : null}
      </form>
      <ErrorLine message={error} />
      <div className="table-scroll">
        <table className="event-table" aria-label="Events">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Unit</th>
              <th scope="col">Host</th>
              <th scope="col">What</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr className="empty-row">
                <td colSpan={5}>
                  {loading ? 'Searching…' : query === null ? 'Type a query and press Enter. Empty query: latest events.' : 'No events match.'}
                </td>
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
                    <ClipCell text={readField(ev, 'organization.name') ?? readField(ev, 'organization.id') ?? ''} />
                    <ClipCell text={readField(ev, 'host.name') ?? readField(ev, 'host.id') ?? ''} mono />
                    <ClipCell text={eventHeadline(ev)} />
                    <ClipCell text={eventSubject(ev) ?? ''} mono />
                  </tr>,
                ];
                if (open.has(i)) {
                  rows.push(
                    <tr key={`j-${i}`} className="json-row">
                      <td colSpan={5}>
                        <JsonView value={ev} label="Raw event" />
                      </td>
                    </tr>,
                  );
                }
                return rows;
              })
            )}
          </tbody>
        </table>
        {page?.next && query !== null ? (
          <div className="load-more">
            <button type="button" className="btn" disabled={loading} onClick={() => void run(query, page.next)}>
              {loading ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}

/** A clipped cell whose whole text shows on hover (tooltips are capped: a 32 kB token is not). */
function ClipCell({ text, mono = false }: { text: string; mono?: boolean }) {
  return (
    <td className={mono ? 'cell-clip mono' : 'cell-clip'} title={text.length > 2000 ? `${text.slice(0, 2000)}…` : text || undefined}>
      {text}
    </td>
  );
}
