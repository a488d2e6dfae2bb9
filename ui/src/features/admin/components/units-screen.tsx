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

export function UnitsScreen({ socWide }: { socWide: boolean }) {
  const units = useResource(getUnits);
  return (
    <section className="admin-pane" aria-label="Units">
      <div className="admin-head">
        <h2>Units</h2>
        <span className="muted">{units.data ? `${units.data.length} unit${units.data.length === 1 ? '' : 's'}` : units.loading ? 'Loading…' : ''}</span>
      </div>
      {socWide ? <CreateUnitForm onCreated={units.reload} /> : <p className="muted hint">Only a SOC-wide admin creates units.</p>}
      <ErrorLine message={units.error ? `Could not load units: ${units.error}` : null} />
      <table className="admin-table" aria-label="Units">
        <colgroup>
          <col className="c-unit-id" />
          <col />
          <col className="c-actions-wide" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Name</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {units.data?.length === 0 ? (
            <tr className="empty-row">
              <td colSpan={3}>No units</td>
            </tr>
          ) : (
            units.data?.map((unit) => <UnitRow key={unit.id} unit={unit} onChanged={units.reload} />)
          )}
        </tbody>
      </table>
    </section>
  );
}

function CreateUnitForm({ onCreated }: { onCreated: () => void }) {
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
    <form className="admin-form" aria-label="Create unit" onSubmit={(ev) => void submit(ev)}>
      <label>
        Unit id
        <input value={id} onChange={(e) => setId(e.target.value)} required maxLength={64} spellCheck={false} placeholder="so-y-te" className="mono" />
      </label>
      <label className="grow">
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="Sở Y tế" />
      </label>
      <button type="submit" className="btn btn-primary" disabled={create.pending}>
        Create unit
      </button>
      <ErrorLine message={create.error ? `Could not create the unit: ${create.error}` : null} className="form-error" />
    </form>
  );
}

function UnitRow({ unit, onChanged }: { unit: Unit; onChanged: () => void }) {
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
          <form className="inline-form" aria-label={`Rename ${unit.id}`} onSubmit={(ev) => void submit(ev)}>
            <input aria-label="New name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
            <button type="submit" className="btn btn-primary" disabled={rename.pending}>
              Save
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          revealControls(unit.name)
        )}
        <ErrorLine message={rename.error ? `Could not rename: ${rename.error}` : null} className="row-error" />
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
            Rename
          </button>
        )}
      </td>
    </tr>
  );
}
