// Severity as a coloured, fixed-width tag; colour is never the only signal (text too).
export const severityOrder = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityName = (typeof severityOrder)[number];

const labels: Record<SeverityName, string> = {
  informational: 'Info',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export function SeverityBadge({ severity }: { severity: SeverityName }) {
  return <span className={`badge sev sev-${severity}`}>{labels[severity]}</span>;
}

export function severityLabel(severity: SeverityName): string {
  return labels[severity];
}
