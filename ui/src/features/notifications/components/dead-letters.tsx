// The dead-letter list of the Notifications screen: each notification given up on, with
// its channel, what it was about, its unit, attempts and the receiver's last answer, a
// "Retry" per letter and a confirmed "Retry all". A retried letter leaves the list (the
// notify process sends it again; its outcome shows on the alert's history).
import { useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount, formatZonedTimestamp } from '../../../lib/format-time.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import type { Delivery } from '../api/deliveries.ts';
import { deadLettersQueryKey } from '../api/get-dead-letters.ts';
import { routingQueryKey } from '../api/get-routing.ts';
import { retryAllDeadLetters, retryDeadLetter } from '../api/retry-dead-letters.ts';

export function DeadLetters({ query }: { query: UseQueryResult<{ items: Delivery[] }> }) {
  const { t } = useTranslation('notifications');
  const { unitName } = useUnitNames();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = query.data?.items ?? [];

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: deadLettersQueryKey });
    void queryClient.invalidateQueries({ queryKey: routingQueryKey });
  };
  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await work());
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const about = (d: Delivery): string => {
    if (d.kind === 'test') return t('dead.testOf');
    if (d.kind === 'digest') return t('dead.digestOf');
    const alert = d.payload?.alert;
    return alert ? [alert.title, alert.host?.name].filter(Boolean).join(' · ') : (d.alertId ?? '–');
  };

  return (
    <section className="health-section notify-section" aria-label={t('dead.title')}>
      <div className="notify-section-head">
        <h3 className={items.length > 0 ? 'is-warning' : undefined}>
          {t('dead.title')} <span className="muted">({formatCount(items.length)})</span>
        </h3>
        {items.length > 0 ? (
          <ConfirmButton
            label={t('dead.retryAll')}
            question={t('dead.retryAllConfirm', { count: items.length })}
            confirmLabel={t('dead.retryAll')}
            disabled={busy}
            onConfirm={() => void act(async () => t('dead.requeued', { count: await retryAllDeadLetters() }))}
          />
        ) : null}
      </div>
      <p className="hint muted">{t('dead.hint')}</p>
      <ErrorLine message={error ?? (query.error ? describeError(query.error) : null)} />
      {done ? (
        <p role="status" className="notify-ok">
          {done}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="admin-table notify-table" aria-label={t('dead.table')}>
          <colgroup>
            <col className="c-notify-time" />
            <col className="c-notify-name" />
            <col />
            <col className="c-notify-unit" />
            <col className="c-notify-count" />
            <col className="c-notify-reason" />
            <col className="c-notify-retry" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{t('dead.when')}</th>
              <th scope="col">{t('dead.channel')}</th>
              <th scope="col">{t('dead.about')}</th>
              <th scope="col">{t('dead.unit')}</th>
              <th scope="col" className="num">
                {t('dead.attempts')}
              </th>
              <th scope="col">{t('dead.reason')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr className="empty-row">
                <td colSpan={7}>{query.isPending ? '…' : t('dead.none')}</td>
              </tr>
            ) : (
              items.map((d) => (
                <tr key={d.id} data-dead-letter={d.id}>
                  <td className="mono">{formatZonedTimestamp(d.createdAt)}</td>
                  <td className="mono">{revealControls(d.channel)}</td>
                  <td className="cell-clip" title={revealControls(about(d))}>
                    {revealControls(about(d))}
                  </td>
                  <td>{d.unit === null ? '–' : d.unit === '*' ? t('dead.allUnits') : revealControls(unitName(d.unit))}</td>
                  <td className="num">{d.attempts}</td>
                  <td className="cell-clip notify-bad" title={revealControls(d.lastError ?? '')}>
                    {revealControls(d.lastError ?? '–')}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-tiny"
                      disabled={busy}
                      aria-label={t('dead.retryOf', { id: d.id })}
                      onClick={() =>
                        void act(async () => {
                          await retryDeadLetter(d.id);
                          return t('dead.retried');
                        })
                      }
                    >
                      {t('dead.retry')}
                    </button>
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
