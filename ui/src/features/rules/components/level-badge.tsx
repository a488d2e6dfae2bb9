// A rule's Sigma level as the console's severity tag, named in the user's language.
import { useTranslation } from 'react-i18next';

const levels = ['informational', 'low', 'medium', 'high', 'critical'] as const;
type Level = (typeof levels)[number];

function known(level: string | null): level is Level {
  return (levels as readonly string[]).includes(level ?? '');
}

/** For sorting: informational 0 … critical 4; none or unknown -1. */
export function levelRank(level: string | null): number {
  return known(level) ? levels.indexOf(level) : -1;
}

export function LevelBadge({ level }: { level: string | null }) {
  const { t } = useTranslation('rules');
  if (!known(level)) return <span className="muted">{level ?? '—'}</span>;
  return <span className={`badge sev rule-level sev-${level}`}>{t(`level.${level}`)}</span>;
}
