// Notifications for admins at /admin/notifications: where notify.yml lives (it is edited
// there, so this is read-only), the counts at a glance, each channel with its redacted
// target, rate and a "send a test" that shows what happened, the routing rules, and the
// dead-letter list with a retry per letter and for all. The server scopes all of it to
// the admin's units: a unit admin sees their own channels and dead letters only.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount, formatFullTimestamp } from '../../../lib/format-time.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { useDeadLetters } from '../api/get-dead-letters.ts';
import { routingQueryKey, useRouting, type Routing, type RoutingChannel, type RoutingRule } from '../api/get-routing.ts';
import { sendTest, type TestOutcome } from '../api/send-test.ts';
import { DeadLetters } from './dead-letters.tsx';
import '../notifications.css';

export function NotificationsScreen() {
  const { t } = useTranslation('notifications');
  const routing = useRouting();
  const dead = useDeadLetters();
  const data = routing.data;
  return (
    <section className="admin-pane notifications-pane" aria-label={t('title')}>
      <div className="admin-head">
        <h2>{t('title')}</h2>
      </div>
      <ErrorLine message={routing.error ? t('loadFailed', { message: describeError(routing.error) }) : null} />
      {data ? (
        <div className="notifications-body">
          <FileNote routing={data} />
          <Counts routing={data} deadTotal={dead.data?.items.length ?? null} />
          <Channels channels={data.channels} />
          <Rules rules={data.rules} />
          <DeadLetters query={dead} />
        </div>
      ) : null}
    </section>
  );
}

function FileNote({ routing }: { routing: Routing }) {
  const { t } = useTranslation('notifications');
  const file = routing.file ?? '';
  const text =
    routing.file === null
      ? t('file.notConfigured')
      : routing.readable
        ? t('file.readOnly', { file })
        : t(`file.${routing.problem === 'invalid' ? 'invalid' : routing.problem === 'unreadable' ? 'unreadable' : 'missing'}`, { file });
  return (
    <p className={`notify-file${routing.readable ? '' : ' is-warning'}`} role="note">
      {text}
    </p>
  );
}

function Counts({ routing, deadTotal }: { routing: Routing; deadTotal: number | null }) {
  const { t } = useTranslation('notifications');
  const facts: Array<[string, string]> = [
    [t('counts.channels'), formatCount(routing.channels.length)],
    [t('counts.active'), formatCount(routing.channels.filter((c) => c.active).length)],
    [t('counts.rules'), formatCount(routing.rules.length)],
    [t('counts.dead'), deadTotal === null ? '…' : formatCount(deadTotal)],
  ];
  return (
    <dl className="health-facts notify-counts" aria-label={t('counts.label')}>
      {facts.map(([label, value]) => (
        <div key={label} className="health-fact">
          <dt>{label}</dt>
          <dd className={label === t('counts.dead') && deadTotal ? 'is-warning' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Channels({ channels }: { channels: RoutingChannel[] }) {
  const { t } = useTranslation('notifications');
  const { unitName } = useUnitNames();
  return (
    <section className="health-section notify-section" aria-label={t('channels.title')}>
      <h3>{t('channels.title')}</h3>
      <div className="table-scroll">
        <table className="admin-table notify-table" aria-label={t('channels.table')}>
          <colgroup>
            <col className="c-notify-name" />
            <col className="c-notify-kind" />
            <col className="c-notify-unit" />
            <col className="c-notify-lang" />
            <col />
            <col className="c-notify-rate" />
            <col className="c-notify-count" />
            <col className="c-notify-test" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{t('channels.name')}</th>
              <th scope="col">{t('channels.kind')}</th>
              <th scope="col">{t('channels.unit')}</th>
              <th scope="col">{t('channels.language')}</th>
              <th scope="col">{t('channels.target')}</th>
              <th scope="col">{t('channels.rate')}</th>
              <th scope="col" className="num">
                {t('channels.dead')}
              </th>
              <th scope="col">{t('channels.test')}</th>
            </tr>
          </thead>
          <tbody>
            {channels.length === 0 ? (
              <tr className="empty-row">
                <td colSpan={8}>{t('channels.none')}</td>
              </tr>
            ) : (
              channels.map((channel) => (
                <tr key={channel.name} data-channel={channel.name}>
                  <td className="mono">
                    {revealControls(channel.name)}
                    {channel.active ? null : (
                      <span className="badge notify-inactive" title={t('channels.inactiveTitle')}>
                        {t('channels.inactive')}
                      </span>
                    )}
                  </td>
                  <td>{t(`channels.kinds.${kindKey(channel.type)}`)}</td>
                  <td>{channel.unit === null ? t('channels.socWide') : revealControls(unitName(channel.unit))}</td>
                  <td>{t(`channels.languages.${channel.language === 'en' ? 'en' : 'vi'}`)}</td>
                  <td className="mono cell-clip" title={channel.target ?? undefined}>
                    {channel.target === null ? <span className="muted">{t('channels.targetHidden')}</span> : revealControls(channel.target)}
                  </td>
                  <td className="muted">{t('channels.rateValue', { perMinute: channel.perMinute, digestMinutes: channel.digestMinutes })}</td>
                  <td className="num">{channel.deadLetters > 0 ? <span className="is-warning">{formatCount(channel.deadLetters)}</span> : '0'}</td>
                  <td className="notify-test-cell">
                    <TestButton channel={channel.name} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const kinds = ['email', 'webhook', 'telegram', 'slack', 'teams'] as const;
function kindKey(type: string): (typeof kinds)[number] | 'unknown' {
  return (kinds as readonly string[]).includes(type) ? (type as (typeof kinds)[number]) : 'unknown';
}

function TestButton({ channel }: { channel: string }) {
  const { t } = useTranslation('notifications');
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const run = async () => {
    setPending(true);
    setOutcome(null);
    const result = await sendTest(channel);
    setOutcome(result);
    setPending(false);
    void queryClient.invalidateQueries({ queryKey: routingQueryKey });
  };
  return (
    <div className="notify-test">
      <button type="button" className="btn" disabled={pending} aria-label={t('channels.sendTestTo', { name: channel })} onClick={() => void run()}>
        {pending ? t('channels.sending') : t('channels.sendTest')}
      </button>
      {outcome ? (
        <span role="status" className={outcome.kind === 'sent' ? 'notify-ok' : 'notify-bad'}>
          {outcome.kind === 'sent'
            ? t('test.sent', { time: outcome.at ? formatFullTimestamp(outcome.at) : '' })
            : t(outcome.kind === 'failed' ? 'test.failed' : outcome.kind === 'not_sent' ? 'test.notSent' : 'test.error', { message: outcome.message })}
        </span>
      ) : null}
    </div>
  );
}

function Rules({ rules }: { rules: RoutingRule[] }) {
  const { t } = useTranslation('notifications');
  const { t: tc } = useTranslation();
  const { unitName } = useUnitNames();
  const describe = (rule: RoutingRule): string[] => {
    const parts: string[] = [];
    const { severity, unit, rule: ruleIds, tactic, kind } = rule.match;
    if (severity) parts.push(t('rules.severity', { value: tc(`severity.${severity}`, { defaultValue: severity }) }));
    if (unit) parts.push(t('rules.unit', { value: unit.map(unitName).join(', ') }));
    if (ruleIds) parts.push(t('rules.rule', { value: ruleIds.join(', ') }));
    if (tactic) parts.push(t('rules.tactic', { value: tactic.join(', ') }));
    if (kind) parts.push(t('rules.kind', { value: kind.join(', ') }));
    return parts.length > 0 ? parts : [t('rules.any')];
  };
  return (
    <section className="health-section notify-section" aria-label={t('rules.title')}>
      <h3>{t('rules.title')}</h3>
      <div className="table-scroll">
        <table className="admin-table notify-table" aria-label={t('rules.table')}>
          <colgroup>
            <col className="c-notify-rule" />
            <col />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{t('rules.name')}</th>
              <th scope="col">{t('rules.match')}</th>
              <th scope="col">{t('rules.channels')}</th>
            </tr>
          </thead>
          <tbody>
            {rules.length === 0 ? (
              <tr className="empty-row">
                <td colSpan={3}>{t('rules.none')}</td>
              </tr>
            ) : (
              rules.map((rule, i) => (
                <tr key={`${rule.name}-${i}`}>
                  <td>{revealControls(rule.name)}</td>
                  <td>{revealControls(describe(rule).join(' · '))}</td>
                  <td className="mono">
                    {revealControls([...rule.channels, ...(rule.unitChannels ? [t('rules.unitChannels')] : [])].join(', '))}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
