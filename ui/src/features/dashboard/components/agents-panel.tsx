// Agents online versus silent (a silent agent has not been seen for longer than the
// silence monitor allows), with the longest silent listed; each leads to its unit's page.
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatCount, formatTimestamp } from '../../../lib/format-time.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import type { Dashboard } from '../api/get-dashboard.ts';
import { unitPage } from '../lib/drill-links.ts';
import { durationText } from '../lib/duration-text.ts';
import { EChart, themeColor, type ChartOption } from '../../../components/charts/echart.tsx';

export function AgentsPanel({ agents }: { agents: Dashboard['agents'] }) {
  const { t } = useTranslation('dashboard');
  const { unitName } = useUnitNames();
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      tooltip: { trigger: 'item', renderMode: 'richText' },
      series: [
        {
          type: 'pie',
          radius: ['55%', '85%'],
          label: { show: false },
          data: [
            { name: t('online'), value: agents.online, itemStyle: { color: themeColor('--st-resolved', '#4ade80') } },
            { name: t('silent'), value: agents.silent, itemStyle: { color: themeColor('--sev-high', '#ff9640') } },
          ],
        },
      ],
    }),
    [agents, t],
  );
  return (
    <section className="dash-panel" aria-label={t('agents')} data-testid="panel-agents">
      <h2 className="dash-panel-title">{t('agents')}</h2>
      <div className="dash-agents">
        <EChart label={t('agents')} option={option} className="dash-chart dash-chart-pie" />
        <dl className="dash-agent-counts">
          <dt>{t('online')}</dt>
          <dd data-testid="agents-online">{formatCount(agents.online)}</dd>
          <dt>{t('silent')}</dt>
          <dd data-testid="agents-silent">{formatCount(agents.silent)}</dd>
        </dl>
      </div>
      <p className="muted small">{t('silentHint', { duration: durationText(agents.silentAfterMs, t) })}</p>
      {agents.silentList.length > 0 ? (
        <ol className="dash-list">
          {agents.silentList.map((agent) => (
            <li key={agent.id}>
              <span className="dash-list-label" title={revealControls(agent.name)}>
                {revealControls(agent.name)}
              </span>
              <Link to={unitPage(agent.unit)} className="small">
                {revealControls(unitName(agent.unit))}
              </Link>
              <span className="muted small">{agent.lastSeen ? t('lastSeen', { time: formatTimestamp(agent.lastSeen) }) : t('neverSeen')}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
