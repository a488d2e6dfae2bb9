// "Clocks ahead": agents whose events were stamped further in the future than the
// server's tolerance. Detection used the time they arrived (plus the tolerance) instead,
// so one agent's wrong clock, or a hostile agent, can not move time for every unit; the
// events keep their original @timestamp. Listed per agent so the unit can fix its clock.
import { formatCount, formatZonedTimestamp } from '../../../lib/format-time.ts';
import type { Health } from '../api/get-health.ts';
import { EmptyRow } from './empty-row.tsx';

type FutureTimestamps = NonNullable<Health['detection']['futureTimestamps']>;

export function ClocksAhead({ agents, unitNames }: { agents: FutureTimestamps | undefined; unitNames: ReadonlyMap<string, string> }) {
  const rows = [...(agents ?? [])].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || b.count - a.count);
  return (
    <section className="health-section" aria-label="Clocks ahead">
      <h3 className={rows.length > 0 ? 'is-warning' : undefined}>Clocks ahead</h3>
      <p className="muted hint">
        Events stamped further in the future than the server allows. Detection used their arrival time instead; the
        agent&apos;s clock is probably wrong.
      </p>
      <table className="health-table" aria-label="Agents with clocks ahead">
        <thead>
          <tr>
            <th scope="col">Unit</th>
            <th scope="col">Agent</th>
            <th scope="col" className="num">
              Events
            </th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {agents === undefined ? (
            <EmptyRow columns={4}>Not reported by the detect stage</EmptyRow>
          ) : rows.length === 0 ? (
            <EmptyRow columns={4}>No agent&apos;s clock is ahead</EmptyRow>
          ) : (
            rows.map((r) => {
              const name = unitNames.get(r.unit);
              return (
                <tr key={`${r.unit}\u0000${r.agent}`} className="warn-row">
                  <td className="cell-clip" title={r.unit}>
                    {name ?? r.unit}
                  </td>
                  <td className="mono cell-clip" title={r.agent}>
                    {r.agent === '' ? '(unnamed agent)' : r.agent}
                  </td>
                  <td className="num">{formatCount(r.count)}</td>
                  <td className="mono" title={r.lastSeen}>
                    {formatZonedTimestamp(r.lastSeen)}
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </section>
  );
}
