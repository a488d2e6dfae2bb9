// "Clocks ahead": agents whose events were stamped further in the future than the
// server's tolerance. Detection used the time they arrived (plus the tolerance) instead,
// so one agent's wrong clock, or a hostile agent, can not move time for every unit; the
// events keep their original @timestamp. Listed per agent so the unit can fix its clock.
import { formatCount, formatZonedTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import type { Health } from '../api/get-health.ts';
import type { SourceNames } from '../api/get-source-names.ts';
import { EmptyRow } from './empty-row.tsx';

type FutureTimestamps = NonNullable<Health['detection']['futureTimestamps']>;

/**
 * A name when known (the id on hover), else the id itself in the id font. Both can come
 * from an agent (a host id, an agent's name), so bidi controls are shown, not obeyed.
 */
function NamedCell({ id, name, fallback }: { id: string; name: string | undefined; fallback?: string }) {
  return name === undefined ? (
    <td className="mono cell-clip" title={revealControls(id)}>
      {id === '' && fallback !== undefined ? fallback : revealControls(id)}
    </td>
  ) : (
    <td className="cell-clip" title={revealControls(id)}>
      {revealControls(name)}
    </td>
  );
}

export function ClocksAhead({ agents, names }: { agents: FutureTimestamps | undefined; names: SourceNames }) {
  const rows = [...(agents ?? [])].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || b.count - a.count);
  return (
    <section className="health-section" aria-label="Clocks ahead">
      <h3 className={rows.length > 0 ? 'is-warning' : undefined}>Clocks ahead</h3>
      <p className="muted hint">
        Events stamped further ahead than the server allows: detection used their arrival time. The agent&apos;s clock
        is probably wrong.
      </p>
      <table className="health-table" aria-label="Agents with clocks ahead">
        <thead>
          <tr>
            <th scope="col">Unit</th>
            <th scope="col">Agent</th>
            <th scope="col">Last seen</th>
            <th scope="col" className="num">
              Events
            </th>
          </tr>
        </thead>
        <tbody>
          {agents === undefined ? (
            <EmptyRow columns={4}>Not reported by the detect stage</EmptyRow>
          ) : rows.length === 0 ? (
            <EmptyRow columns={4}>No agent&apos;s clock is ahead</EmptyRow>
          ) : (
            rows.map((r) => (
              <tr key={`${r.unit}\u0000${r.agent}`} className="warn-row">
                <NamedCell id={r.unit} name={names.units.get(r.unit)} />
                <NamedCell id={r.agent} name={names.agents.get(r.agent)} fallback="(unnamed agent)" />
                <td className="mono" title={r.lastSeen}>
                  {formatZonedTimestamp(r.lastSeen)}
                </td>
                <td className="num">{formatCount(r.count)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
