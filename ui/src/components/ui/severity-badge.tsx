// Severity as a coloured, fixed-width tag; colour is never the only signal (its name in
// the user's language too, common.severity).
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n/i18n.ts';

export const severityOrder = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityName = (typeof severityOrder)[number];

export function SeverityBadge({ severity }: { severity: SeverityName }) {
  const { t } = useTranslation('common');
  return <span className={`badge sev sev-${severity}`}>{t(`severity.${severity}`)}</span>;
}

export function severityLabel(severity: SeverityName): string {
  return i18n.t(`severity.${severity}`, { ns: 'common' });
}
