// Agents with when each was last seen and whether that makes it silent (the silence
// monitor's threshold, as the server says). A host's page passes the agents that sent
// its events or are named after it; a unit's page, all of the unit's.
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../../components/ui/error-line.tsx';
import { formatTimestamp } from '../../../../lib/format-time.ts';
import { revealControls } from '../../../../lib/visible-text.ts';
import type { AgentSeen } from '../api/get-agents-seen.ts';

export function AgentsTable({ agents, hint, error, loading }: { agents: AgentSeen[]; hint?: string; error: string | null; loading: boolean }) {
  const { t } = useTranslation('places');
  return (
    <section className="dash-panel" aria-label={t('agents')} data-testid="place-agents">
      <h2 className="dash-panel-title">{t('agents')}</h2>
      {hint ? <p className="muted small">{hint}</p> : null}
      <ErrorLine message={error} />
      {loading ? (
        <p className="muted small">{t('loading')}</p>
      ) : agents.length === 0 ? (
        <p className="muted small">{t('noAgents')}</p>
      ) : (
        <table className="dash-table">
          <thead>
            <tr>
              <th scope="col">{t('agent')}</th>
              <th scope="col">{t('lastSeen')}</th>
              <th scope="col">{t('state')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.id}>
                <th scope="row" title={agent.id}>
                  {revealControls(agent.name)}
                </th>
                <td>{agent.lastSeen ? formatTimestamp(agent.lastSeen) : t('neverSeen')}</td>
                <td className={agent.silent ? 'agent-silent' : 'agent-online'}>{agent.silent ? t('silent') : t('online')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
