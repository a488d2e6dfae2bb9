// Alert workflow status as a tag with its name in the user's language (common.status).
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n/i18n.ts';

export const statusOrder = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive'] as const;
export type StatusName = (typeof statusOrder)[number];

export function statusLabel(status: StatusName): string {
  return i18n.t(`status.${status}`, { ns: 'common' });
}

export function StatusBadge({ status }: { status: StatusName }) {
  const { t } = useTranslation('common');
  return <span className={`badge st st-${status}`}>{t(`status.${status}`)}</span>;
}
