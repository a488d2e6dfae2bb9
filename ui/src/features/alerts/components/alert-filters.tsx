// Status and severity filters as toggle chips; none selected in a group means "any".
import { severityLabel, severityOrder } from '../../../components/ui/severity-badge.tsx';
import { statusLabel, statusOrder } from '../../../components/ui/status-badge.tsx';
import type { AlertFilters, AlertStatus } from '../types/alert.ts';

export const openStatuses: AlertStatus[] = ['new', 'acknowledged', 'in_progress'];

function toggle<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function AlertFiltersBar({ filters, onChange }: { filters: AlertFilters; onChange: (f: AlertFilters) => void }) {
  const severitiesDesc = [...severityOrder].reverse();
  return (
    <div className="filters" role="toolbar" aria-label="Alert filters">
      <div className="chip-group" role="group" aria-label="Status filter">
        <span className="chip-label">Status</span>
        <button
          type="button"
          className="chip"
          aria-pressed={filters.statuses.length === 0}
          onClick={() => onChange({ ...filters, statuses: [] })}
        >
          Any
        </button>
        {statusOrder.map((s) => (
          <button
            key={s}
            type="button"
            className={`chip chip-st-${s}`}
            aria-pressed={filters.statuses.includes(s)}
            onClick={() => onChange({ ...filters, statuses: toggle(filters.statuses, s) })}
          >
            {statusLabel(s)}
          </button>
        ))}
      </div>
      <div className="chip-group" role="group" aria-label="Severity filter">
        <span className="chip-label">Severity</span>
        <button
          type="button"
          className="chip"
          aria-pressed={filters.severities.length === 0}
          onClick={() => onChange({ ...filters, severities: [] })}
        >
          Any
        </button>
        {severitiesDesc.map((s) => (
          <button
            key={s}
            type="button"
            className={`chip chip-sev-${s}`}
            aria-pressed={filters.severities.includes(s)}
            onClick={() => onChange({ ...filters, severities: toggle(filters.severities, s) })}
          >
            {severityLabel(s)}
          </button>
        ))}
      </div>
    </div>
  );
}
