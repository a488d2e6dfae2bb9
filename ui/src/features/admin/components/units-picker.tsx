// Choosing a person's units: "All units" (offered only to SOC-wide admins) or a set of
// the units this admin administers, as checkboxes labelled with their names.
import { revealControls } from '../../../lib/visible-text.ts';
import type { Unit, UserUnits } from '../types/admin.ts';
import { useTranslation } from 'react-i18next';

export function UnitsPicker({ units, value, allowAll, onChange }: { units: Unit[]; value: UserUnits; allowAll: boolean; onChange: (value: UserUnits) => void }) {
  const { t } = useTranslation('admin');
  const chosen = value === 'all' ? [] : value;
  const toggle = (id: string, on: boolean) => {
    const next = on ? [...chosen, id] : chosen.filter((u) => u !== id);
    onChange(units.map((u) => u.id).filter((u) => next.includes(u)));
  };
  return (
    <fieldset className="units-picker">
      <legend>{t('units')}</legend>
      {allowAll ? (
        <label className="check">
          <input type="checkbox" checked={value === 'all'} onChange={(e) => onChange(e.target.checked ? 'all' : [])} />
          {t('allUnitsSoc')}
        </label>
      ) : null}
      {units.map((unit) => (
        <label key={unit.id} className="check" title={revealControls(`${unit.name} (${unit.id})`)}>
          <input
            type="checkbox"
            disabled={value === 'all'}
            checked={value !== 'all' && chosen.includes(unit.id)}
            onChange={(e) => toggle(unit.id, e.target.checked)}
          />
          <span className="check-text">{revealControls(unit.name)}</span>
        </label>
      ))}
    </fieldset>
  );
}
