// Severity and status as tags in the chosen language; the badge classes are the
// console's own (styles/index.css). Colour is never the only signal: the text says it.
import { useTranslation } from 'react-i18next';
import type { AlertStatus, Severity } from '../types/alert.ts';

export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return <span className={`badge sev sev-${severity}`}>{t(`severity.${severity}`)}</span>;
}

export function StatusTag({ status }: { status: AlertStatus }) {
  const { t } = useTranslation();
  const label = t(`status.${status}`);
  return (
    <span className={`badge st st-${status}`} title={label}>
      {label}
    </span>
  );
}
