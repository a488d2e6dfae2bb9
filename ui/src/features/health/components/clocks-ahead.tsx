// "Clocks ahead": agents whose events were stamped further in the future than the
// server's tolerance. Detection used the time they arrived (plus the tolerance) instead,
// so one agent's wrong clock, or a hostile agent, can not move time for every unit; the
// events keep their original @timestamp. Listed per agent so the unit can fix its clock.
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('health');
  const rows = [...(agents ?? [])].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || b.count - a.count);
  return (
    <section className="health-section" aria-label={t('clocksTitle')}>
      <h3 className={rows.length > 0 ? 'is-warning' : undefined}>{t('clocksTitle')}</h3>
      <p className="muted hint">{t('clocksHint')}</p>
      <table className="health-table" aria-label={t('clocksTable')}>
        <thead>
          <tr>
            <th scope="col">{t('unit')}</th>
            <th scope="col">{t('agent')}</th>
            <th scope="col">{t('lastSeen')}</th>
            <th scope="col" className="num">
              {t('events')}
            </th>
          </tr>
        </thead>
        <tbody>
          {agents === undefined ? (
            <EmptyRow columns={4}>{t('notReported')}</EmptyRow>
          ) : rows.length === 0 ? (
            <EmptyRow columns={4}>{t('noClocks')}</EmptyRow>
          ) : (
            rows.map((r) => (
              <tr key={`${r.unit}\u0000${r.agent}`} className="warn-row">
                <NamedCell id={r.unit} name={names.units.get(r.unit)} />
                <NamedCell id={r.agent} name={names.agents.get(r.agent)} fallback={t('unnamedAgent')} />
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
