// Units: the list this admin may see (the server applies the scope), creating a unit
// (SOC-wide admins only) and renaming one. Names are shown as text, clipped with the
// full name on hover.
import { useState, type FormEvent } from 'react';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { revealControls } from '../../../lib/visible-text.ts';
import { createUnit } from '../api/create-unit.ts';
import { getUnits } from '../api/get-units.ts';
import { renameUnit } from '../api/rename-unit.ts';
import { useAction } from '../hooks/use-action.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { Unit } from '../types/admin.ts';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { unitNamesQueryKey } from '../../../lib/unit-names.ts';

export function UnitsScreen({ socWide }: { socWide: boolean }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const units = useResource(['admin', 'units'], getUnits);
  const queryClient = useQueryClient();
  // Every screen shows units by name (lib/unit-names.ts): a new or renamed unit reaches them too.
  const changed = () => {
    units.reload();
    void queryClient.invalidateQueries({ queryKey: unitNamesQueryKey });
  };
  return (
    <section className="admin-pane" aria-label={t('units')}>
      <div className="admin-head">
        <h2>{t('units')}</h2>
        <span className="muted">{units.data ? t('unitCount', { count: units.data.length }) : units.loading ? tc('loading') : ''}</span>
      </div>
      {socWide ? <CreateUnitForm onCreated={changed} /> : <p className="muted hint">{t('onlySocCreates')}</p>}
      <ErrorLine message={units.error ? t('loadUnitsFailed', { message: units.error }) : null} />
      <table className="admin-table" aria-label={t('units')}>
        <colgroup>
          <col className="c-unit-id" />
          <col />
          <col className="c-actions-wide" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('id')}</th>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {units.data?.length === 0 ? (
            <tr className="empty-row">
              <td colSpan={3}>{t('noUnits')}</td>
            </tr>
          ) : (
            units.data?.map((unit) => <UnitRow key={unit.id} unit={unit} onChanged={changed} />)
          )}
        </tbody>
      </table>
    </section>
  );
}

function CreateUnitForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation('admin');
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const create = useAction(createUnit);
  async function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    if (await create.run({ id: id.trim(), name: name.trim() })) {
      setId('');
      setName('');
      onCreated();
    }
  }
  return (
    <form className="admin-form" aria-label={t('createUnit')} onSubmit={(ev) => void submit(ev)}>
      <label>
        {t('unitId')}
        <input value={id} onChange={(e) => setId(e.target.value)} required maxLength={64} spellCheck={false} placeholder="so-y-te" className="mono" />
      </label>
      <label className="grow">
        {t('name')}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="Sở Y tế" />
      </label>
      <button type="submit" className="btn btn-primary" disabled={create.pending}>
        {t('createUnit')}
      </button>
      <ErrorLine message={create.error ? t('createUnitFailed', { message: create.error }) : null} className="form-error" />
    </form>
  );
}

function UnitRow({ unit, onChanged }: { unit: Unit; onChanged: () => void }) {
  const { t } = useTranslation('admin');
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(unit.name);
  const rename = useAction(renameUnit);
  async function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    if (await rename.run(unit.id, name.trim())) {
      setEditing(false);
      onChanged();
    }
  }
  return (
    <tr data-unit-id={unit.id}>
      <td className="mono cell-clip" title={unit.id}>
        {unit.id}
      </td>
      <td className="cell-clip" title={revealControls(unit.name)}>
        {editing ? (
          <form className="inline-form" aria-label={t('renameLabel', { id: unit.id })} onSubmit={(ev) => void submit(ev)}>
            <input aria-label={t('newName')} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
            <button type="submit" className="btn btn-primary" disabled={rename.pending}>
              {t('save')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setEditing(false)}>
              {t('cancel')}
            </button>
          </form>
        ) : (
          revealControls(unit.name)
        )}
        <ErrorLine message={rename.error ? t('renameFailed', { message: rename.error }) : null} className="row-error" />
      </td>
      <td>
        {editing ? null : (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setName(unit.name);
              rename.clearError();
              setEditing(true);
            }}
          >
            {t('rename')}
          </button>
        )}
      </td>
    </tr>
  );
}
