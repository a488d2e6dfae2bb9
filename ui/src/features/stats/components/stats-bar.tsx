// The counters above the alert list: open work by status and by urgency, volumes, and
// the noisiest host right now.
import { formatCount } from '../../../lib/format-time.ts';
import { useStats } from '../hooks/use-stats.ts';
import { revealControls, revealOptional } from '../../../lib/visible-text.ts';

interface Counter {
  label: string;
  value: number | undefined;
  tone: string;
}

export function StatsBar({ activity }: { activity: number }) {
  const { stats, error } = useStats(activity);
  // The server leaves out zero counts; once stats have loaded, a missing key means 0.
  const status = (key: string) => (stats ? (stats.alertsByStatus[key] ?? 0) : undefined);
  const severity = (key: string) => (stats ? (stats.alertsBySeverity[key] ?? 0) : undefined);
  const counters: Counter[] = [
    { label: 'New', value: status('new'), tone: 'st-new' },
    { label: 'Acknowledged', value: status('acknowledged'), tone: 'st-acknowledged' },
    { label: 'In progress', value: status('in_progress'), tone: 'st-in_progress' },
    { label: 'Critical', value: severity('critical'), tone: 'sev-critical' },
    { label: 'High', value: severity('high'), tone: 'sev-high' },
    { label: 'Alerts', value: stats?.alerts, tone: '' },
    { label: 'Events', value: stats?.events, tone: '' },
  ];
  const topHost = stats?.topHosts[0];
  const topRule = stats?.topRules[0];
  return (
    <section className="stats" aria-label="Counters">
      {counters.map((c) => (
        <div key={c.label} className={`stat ${c.tone}`}>
          <span className="stat-value">{c.value === undefined ? '–' : formatCount(c.value)}</span>
          <span className="stat-label">{c.label}</span>
        </div>
      ))}
      <div className="stat stat-wide">
        <span className="stat-label">Top host</span>
        <span className="stat-text" title={topHost ? revealControls(`${topHost.host} (${topHost.unit})`) : undefined}>
          {topHost ? revealControls(`${topHost.host} · ${topHost.unit} · ${formatCount(topHost.count)}`) : '–'}
        </span>
      </div>
      <div className="stat stat-wide">
        <span className="stat-label">Top rule</span>
        <span className="stat-text" title={revealOptional(topRule?.title)}>
          {topRule ? revealControls(`${topRule.title} · ${formatCount(topRule.count)}`) : '–'}
        </span>
      </div>
      {error ? (
        <span className="stat-error" title={error}>
          counters unavailable
        </span>
      ) : null}
    </section>
  );
}
