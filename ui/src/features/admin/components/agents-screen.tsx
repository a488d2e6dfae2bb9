// Agents: enrol one for a unit (its key shown once), rotate a key (the new one shown
// once), revoke (asked twice), and when each was last seen. The server lists only the
// agents of this admin's units.
import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { formatFullTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { enrolAgent } from '../api/enrol-agent.ts';
import { getAgents } from '../api/get-agents.ts';
import { getUnits } from '../api/get-units.ts';
import { revokeAgent } from '../api/revoke-agent.ts';
import { rotateAgent } from '../api/rotate-agent.ts';
import { useAction } from '../hooks/use-action.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { Agent, AgentKey, Unit } from '../types/admin.ts';
import { AgentKeyReveal } from './agent-key-reveal.tsx';
import { useTranslation } from 'react-i18next';

export function AgentsScreen() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const agents = useResource(['admin', 'agents'], getAgents);
  const units = useResource(['admin', 'units'], getUnits);
  const [issued, setIssued] = useState<{ key: AgentKey; kind: 'enrolled' | 'rotated' } | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);

  const rows = (agents.data ?? []).filter((a) => showRevoked || a.revoked === null);
  const revokedCount = (agents.data ?? []).filter((a) => a.revoked !== null).length;

  return (
    <section className="admin-pane" aria-label={t('agents')}>
      <div className="admin-head">
        <h2>{t('agents')}</h2>
        <span className="muted">{agents.data ? t('shown', { count: rows.length }) : agents.loading ? tc('loading') : ''}</span>
        <label className="check">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
          {t('showRevoked', { count: revokedCount })}
        </label>
      </div>
      <EnrolForm
        units={units.data ?? []}
        unitsError={units.error}
        onEnrolled={(key) => {
          setIssued({ key, kind: 'enrolled' });
          agents.reload();
        }}
      />
      {issued ? <AgentKeyReveal issued={issued.key} kind={issued.kind} onDismiss={() => setIssued(null)} /> : null}
      <ErrorLine message={agents.error ? t('loadAgentsFailed', { message: agents.error }) : null} />
      <table className="admin-table" aria-label={t('agents')}>
        <colgroup>
          <col />
          <col className="c-unit-name" />
          <col className="c-agent-id" />
          <col className="c-when" />
          <col className="c-when" />
          <col className="c-state" />
          <col className="c-actions-wide" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('unit')}</th>
            <th scope="col">{t('id')}</th>
            <th scope="col">{t('enrolled')}</th>
            <th scope="col">{t('lastSeen')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {agents.data && rows.length === 0 ? (
            <tr className="empty-row">
              <td colSpan={7}>{t('noAgents')}</td>
            </tr>
          ) : (
            rows.map((agent) => (
              <AgentRow
                key={agent.id}
                agent={agent}
                onRotated={(key) => {
                  setIssued({ key, kind: 'rotated' });
                  agents.reload();
                }}
                onRevoked={agents.reload}
              />
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

function EnrolForm({ units, unitsError, onEnrolled }: { units: Unit[]; unitsError: string | null; onEnrolled: (key: AgentKey) => void }) {
  const { t } = useTranslation('admin');
  const [unit, setUnit] = useState('');
  const [name, setName] = useState('');
  const enrol = useAction(async (u: string, n: string) => onEnrolled(await enrolAgent(u, n)));
  const chosen = unit || units[0]?.id || '';
  async function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    if (await enrol.run(chosen, name.trim())) setName('');
  }
  return (
    <form className="admin-form" aria-label={t('enrolAgent')} onSubmit={(ev) => void submit(ev)}>
      <label>
        {t('unit')}
        <select value={chosen} onChange={(e) => setUnit(e.target.value)} required>
          {units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name === u.id ? u.id : revealControls(`${u.name} (${u.id})`)}
            </option>
          ))}
        </select>
      </label>
      <label className="grow">
        {t('agentName')}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder={t('agentNamePlaceholder')} />
      </label>
      <button type="submit" className="btn btn-primary" disabled={enrol.pending || !chosen}>
        {t('enrolAgent')}
      </button>
      <ErrorLine message={unitsError ? t('loadUnitsFailed', { message: unitsError }) : null} className="form-error" />
      <ErrorLine message={enrol.error ? t('enrolFailed', { message: enrol.error }) : null} className="form-error" />
    </form>
  );
}

function When({ iso, empty }: { iso: string | null; empty: string }) {
  if (iso === null) return <td className="muted">{empty}</td>;
  return (
    <td className="mono" title={iso}>
      {formatFullTimestamp(iso)}
    </td>
  );
}

function AgentRow({ agent, onRotated, onRevoked }: { agent: Agent; onRotated: (key: AgentKey) => void; onRevoked: () => void }) {
  const { t } = useTranslation('admin');
  const rotate = useAction(async () => onRotated(await rotateAgent(agent.id)));
  const revoke = useAction(async () => {
    await revokeAgent(agent.id);
    onRevoked();
  });
  const [asking, setAsking] = useState(false);
  const error = rotate.error ?? revoke.error;
  const active = agent.revoked === null;
  return (
    <>
      <tr data-agent-id={agent.id} className={active ? undefined : 'is-revoked'}>
        <td className="cell-clip" title={revealControls(agent.name)}>
          {revealControls(agent.name)}
        </td>
        <td className="cell-clip" title={revealControls(`${agent.unit.name} (${agent.unit.id})`)}>
          {revealControls(agent.unit.name)}
        </td>
        <td className="mono cell-clip" title={agent.id}>
          {agent.id}
        </td>
        <When iso={agent.created} empty="—" />
        <When iso={agent.lastSeen} empty={t('never')} />
        <td
          title={
            agent.revoked !== null
              ? t('revokedAt', { when: formatFullTimestamp(agent.revoked) })
              : agent.rotated
                ? t('rotatedAt', { when: formatFullTimestamp(agent.rotated) })
                : undefined
          }
        >
          {active ? (agent.rotated ? t('activeRotated') : t('active')) : t('revoked')}
        </td>
        <td className="actions-cell">
<div className="row-actions">
          {active ? (
            <>
              {asking ? null : (
                <button type="button" className="btn" disabled={rotate.pending} onClick={() => void rotate.run()}>
                  {t('rotateKey')}
                </button>
              )}
              <ConfirmButton
                label={t('revoke')}
                question={t('revokeQuestion', { name: revealControls(agent.name) })}
                onAskingChange={setAsking}
                prompt={t('sure')}
                confirmLabel={t('revokeAgent')}
                disabled={revoke.pending}
                onConfirm={() => void revoke.run()}
              />
            </>
          ) : null}
        </div>
</td>
      </tr>
      {error ? (
        <tr className="error-row">
          <td colSpan={7}>
            <ErrorLine message={`${revealControls(agent.name)}: ${error}`} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
