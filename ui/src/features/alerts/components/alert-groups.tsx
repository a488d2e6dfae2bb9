// Group-by: how many alerts of the current filter fall in each rule, host, unit or
// threat, largest first; a click narrows the list to that group.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getAlertGroups } from '../api/get-alert-groups.ts';
import { listQuerySearch, type AlertListQuery, type GroupField } from '../types/list-query.ts';

export function AlertGroupsPanel({ query, by, onPick }: { query: AlertListQuery; by: GroupField; onPick: (key: string | null) => void }) {
  const { t } = useTranslation('alerts');
  const groups = useQuery({
    queryKey: ['alerts', 'groups', by, listQuerySearch({ ...query, group: null })],
    queryFn: ({ signal }) => getAlertGroups(query, by, signal),
  });
  return (
    <nav className="alert-groups" aria-label={t('group.heading')}>
      <h3>
        {t('group.label')}: {t(`group.${by}`)}
      </h3>
      <ErrorLine message={groups.error ? describeError(groups.error) : null} />
      {groups.data ? (
        <>
          <p className="muted small">{t('group.total', { alerts: formatCount(groups.data.total), groups: formatCount(groups.data.groups.length) })}</p>
          <ul>
            {groups.data.groups.map((group) => {
              const label = group.key === null ? t('group.noValue') : revealControls(group.label);
              return (
                <li key={group.key ?? '\u0000none'}>
                  <button
                    type="button"
                    className="group-row"
                    title={t('group.showGroup', { label, count: group.count })}
                    disabled={group.key === null || by === 'threat'}
                    onClick={() => onPick(group.key)}
                  >
                    <span className="group-label">{label}</span>
                    <span className="group-count mono">{formatCount(group.count)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <p className="muted">{t('list.loading')}</p>
      )}
    </nav>
  );
}
