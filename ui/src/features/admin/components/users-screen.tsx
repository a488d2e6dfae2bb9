// People: create one (never replacing an existing name), change role and units,
// disable or enable, reset a password, delete (asked twice). The server lists only the
// people this admin manages and refuses grants wider than the admin's own; its refusal
// is shown beside the control that caused it.
import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { revealControls } from '../../../lib/visible-text.ts';
import { createUser } from '../api/create-user.ts';
import { deleteUser } from '../api/delete-user.ts';
import { getUnits } from '../api/get-units.ts';
import { getUsers } from '../api/get-users.ts';
import { resetPassword } from '../api/reset-password.ts';
import { updateUser } from '../api/update-user.ts';
import { useAction } from '../hooks/use-action.ts';
import { useResource } from '../hooks/use-resource.ts';
import { roles, type ManagedUser, type Role, type Unit, type UserUnits } from '../types/admin.ts';
import { UnitsPicker } from './units-picker.tsx';
import { useTranslation } from 'react-i18next';

function describeUnits(units: UserUnits, byId: ReadonlyMap<string, Unit>, allUnits: string): string {
  if (units === 'all') return allUnits;
  return revealControls(units.map((id) => byId.get(id)?.name ?? id).join(', '));
}

export function UsersScreen({ me, socWide }: { me: string; socWide: boolean }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const users = useResource(['admin', 'users'], getUsers);
  const units = useResource(['admin', 'units'], getUnits);
  const [editing, setEditing] = useState<string | null>(null);
  const byId = new Map((units.data ?? []).map((u) => [u.id, u]));
  const editUser = users.data?.find((u) => u.username === editing) ?? null;

  return (
    <section className="admin-pane" aria-label={t('users')}>
      <div className="admin-head">
        <h2>{t('users')}</h2>
        <span className="muted">{users.data ? t('userCount', { count: users.data.length }) : users.loading ? tc('loading') : ''}</span>
      </div>
      <CreateUserForm units={units.data ?? []} socWide={socWide} onCreated={users.reload} />
      <ErrorLine message={units.error ? t('loadUnitsFailed', { message: units.error }) : null} />
      <ErrorLine message={users.error ? t('loadUsersFailed', { message: users.error }) : null} />
      <div className={editUser ? 'admin-split' : undefined}>
        <table className="admin-table" aria-label={t('users')}>
          <colgroup>
            <col className="c-username" />
            <col className="c-role" />
            <col />
            <col className="c-state" />
            <col className="c-actions" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{t('username')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('units')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.length === 0 ? (
              <tr className="empty-row">
                <td colSpan={5}>{t('noUsers')}</td>
              </tr>
            ) : (
              users.data?.map((user) => {
                const unitsText = describeUnits(user.units, byId, t('allUnits'));
                return (
                  <tr key={user.username} data-username={user.username} className={`${user.disabled ? 'is-revoked' : ''}${editing === user.username ? ' is-selected' : ''}`}>
                    <td className="cell-clip" title={user.username}>
                      {user.username}
                      {user.username === me ? <span className="muted">{t('you')}</span> : null}
                    </td>
                    <td>{tc(`roles.${user.role}`)}</td>
                    <td className="cell-clip" title={unitsText}>
                      {unitsText}
                    </td>
                    <td>{user.disabled ? t('disabled') : t('active')}</td>
                    <td className="actions-cell">
<div className="row-actions">
                      {user.username === me ? (
                        <span className="muted hint">{t('ownAccount')}</span>
                      ) : (
                        <button type="button" className="btn" aria-pressed={editing === user.username} onClick={() => setEditing(editing === user.username ? null : user.username)}>
                          {t('manage')}
                        </button>
                      )}
                    </div>
</td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
        {editUser ? (
          <UserEditor
            key={editUser.username}
            user={editUser}
            units={units.data ?? []}
            socWide={socWide}
            onChanged={users.reload}
            onDeleted={() => {
              setEditing(null);
              users.reload();
            }}
            onClose={() => setEditing(null)}
          />
        ) : null}
      </div>
    </section>
  );
}

function CreateUserForm({ units, socWide, onCreated }: { units: Unit[]; socWide: boolean; onCreated: () => void }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [chosen, setChosen] = useState<UserUnits>([]);
  const create = useAction(createUser);
  if (!open) {
    return (
      <div className="admin-form">
        <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
          {t('newUser')}
        </button>
      </div>
    );
  }
  async function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    if (await create.run({ username: username.trim(), password, role, units: chosen })) {
      setUsername('');
      setPassword('');
      setChosen([]);
      setOpen(false);
      onCreated();
    }
  }
  return (
    <form className="admin-form admin-form-block" aria-label={t('createUser')} onSubmit={(ev) => void submit(ev)}>
      <div className="form-line">
        <label>
          {t('username')}
          <input value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={100} spellCheck={false} autoComplete="off" />
        </label>
        <label>
          {t('initialPassword')}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" />
        </label>
        <label>
          {t('role')}
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {tc(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <UnitsPicker units={units} value={chosen} allowAll={socWide} onChange={setChosen} />
      <div className="form-line">
        <button type="submit" className="btn btn-primary" disabled={create.pending}>
          {t('createUser')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>
          {tc('cancel')}
        </button>
      </div>
      <ErrorLine message={create.error ? t('createUserFailed', { message: create.error }) : null} className="form-error" />
    </form>
  );
}

function UserEditor(props: {
  user: ManagedUser;
  units: Unit[];
  socWide: boolean;
  onChanged: () => void;
  onDeleted: () => void;
  onClose: () => void;
}) {
  const { user, units, socWide, onChanged, onDeleted, onClose } = props;
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const [role, setRole] = useState<Role>(user.role);
  const [chosen, setChosen] = useState<UserUnits>(user.units);
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const save = useAction(async () => {
    await updateUser(user.username, { role, units: chosen });
    setNotice(t('rolesSaved'));
    onChanged();
  });
  const toggle = useAction(async () => {
    await updateUser(user.username, { disabled: !user.disabled });
    setNotice(user.disabled ? t('enabledNotice') : t('disabledNotice'));
    onChanged();
  });
  const reset = useAction(async () => {
    await resetPassword(user.username, password);
    setPassword('');
    setNotice(t('passwordReset'));
  });
  const remove = useAction(async () => {
    await deleteUser(user.username);
    onDeleted();
  });
  const unchanged = role === user.role && JSON.stringify(chosen) === JSON.stringify(user.units);

  return (
    <aside className="admin-editor" aria-label={t('manageUser', { username: user.username })}>
      <div className="detail-head">
        <h2 title={user.username}>{user.username}</h2>
        <button type="button" className="btn btn-ghost close" aria-label={tc('close')} onClick={onClose}>
          ✕
        </button>
      </div>
      <div className="editor-body">
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <form
          aria-label={t('roleAndUnits')}
          onSubmit={(ev) => {
            ev.preventDefault();
            setNotice(null);
            void save.run();
          }}
        >
          <label className="field">
            {t('role')}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {tc(`roles.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <UnitsPicker units={units} value={chosen} allowAll={socWide} onChange={setChosen} />
          <button type="submit" className="btn btn-primary" disabled={save.pending || unchanged}>
            {t('saveRoleUnits')}
          </button>
          <ErrorLine message={save.error ? t('saveFailed', { message: save.error }) : null} />
        </form>

        <form
          aria-label={t('resetPassword')}
          className="editor-section"
          onSubmit={(ev) => {
            ev.preventDefault();
            setNotice(null);
            void reset.run();
          }}
        >
          <label className="field">
            {t('newPassword')}
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" />
          </label>
          <button type="submit" className="btn" disabled={reset.pending}>
            {t('resetPassword')}
          </button>
          <ErrorLine message={reset.error ? t('resetFailed', { message: reset.error }) : null} />
        </form>

        <div className="editor-section editor-actions">
          <button
            type="button"
            className="btn"
            disabled={toggle.pending}
            onClick={() => {
              setNotice(null);
              void toggle.run();
            }}
          >
            {user.disabled ? t('enable') : t('disable')}
          </button>
          <ConfirmButton
            label={t('deleteUser')}
            question={t('deleteQuestion', { username: user.username })}
            confirmLabel={t('delete')}
            disabled={remove.pending}
            onConfirm={() => void remove.run()}
          />
        </div>
        <ErrorLine message={toggle.error ? t('changeFailed', { message: toggle.error }) : null} />
        <ErrorLine message={remove.error ? t('deleteFailed', { message: remove.error }) : null} />
      </div>
    </aside>
  );
}
