// Alert workflow status as a tag with a readable name.
export const statusOrder = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive'] as const;
export type StatusName = (typeof statusOrder)[number];

const labels: Record<StatusName, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  resolved: 'Resolved',
  false_positive: 'False positive',
};

export function statusLabel(status: StatusName): string {
  return labels[status];
}

export function StatusBadge({ status }: { status: StatusName }) {
  return <span className={`badge st st-${status}`}>{labels[status]}</span>;
}
