// The audit log: who changed what, when (with the time zone), from which address, and
// the before/after, filterable by unit, actor, action and time and paged from newest to
// oldest. Before/after are attacker-reachable JSON: shown as text, expandable per row.
import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { JsonView } from '../../../components/ui/json-view.tsx';
import { describeError, isAbort } from '../../../lib/api-client.ts';
import { formatZonedTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getAudit, type AuditEntry, type AuditFilters } from '../api/get-audit.ts';

const PAGE_SIZE = 100;

/** A `datetime-local` value (this computer's zone) as ISO, or undefined when empty or invalid. */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

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
  const [draft, setDraft] = useState({ unit: '', actor: '', action: '', from: '', to: '' });
  const [filters, setFilters] = useState<AuditFilters>({});
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

  useEffect(() => {
    void load({}, null);
    return () => abort.current?.abort();
  }, []);

  function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const f: AuditFilters = {
      unit: draft.unit.trim() || undefined,
      actor: draft.actor.trim() || undefined,
      action: draft.action.trim() || undefined,
      from: localToIso(draft.from),
      to: localToIso(draft.to),
    };
    setFilters(f);
    setOpen(new Set());
    void load(f, null);
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
    <section className="admin-pane audit-pane" aria-label="Audit log">
      <div className="admin-head">
        <h2>Audit log</h2>
        <span className="muted">
          {items.length} entries shown{next ? ', more available' : ''}
        </span>
      </div>
      <form className="admin-form" role="search" aria-label="Filter audit log" onSubmit={submit}>
        <label>
          Unit
          <input {...field('unit')} className="mono" spellCheck={false} placeholder="unit id" />
        </label>
        <label>
          Actor
          <input {...field('actor')} spellCheck={false} placeholder="username or agent:id" />
        </label>
        <label>
          Action
          <input {...field('action')} className="mono" spellCheck={false} placeholder="user.create" />
        </label>
        <label>
          From
          <input type="datetime-local" step={1} {...field('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" step={1} {...field('to')} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={loading}>
          Filter
        </button>
      </form>
      <ErrorLine message={error ? `Could not load the audit log: ${error}` : null} />
      <div className="table-scroll">
        <table className="admin-table audit-table" aria-label="Audit entries">
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
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Source</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Before → after</th>
            </tr>
          </thead>
          <tbody>
            {!loading && items.length === 0 && !error ? (
              <tr className="empty-row">
                <td colSpan={6}>{Object.values(filters).some(Boolean) ? 'No entries match these filters' : 'No entries'}</td>
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
                              <h4>Before</h4>
                              <JsonView value={entry.before} label="Before" />
                            </div>
                            <div>
                              <h4>After</h4>
                              <JsonView value={entry.after} label="After" />
                            </div>
                          </div>
                          <p className="muted hint audit-units">Units: {entry.units.length > 0 ? entry.units.join(', ') : 'SOC-wide'}</p>
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
              Load older entries
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}
