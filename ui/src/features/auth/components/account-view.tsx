// The signed-in person's own account: who they are, their scope, and changing their
// password (which signs them out everywhere else).
import { useState, type FormEvent } from 'react';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { changePassword } from '../api/change-password.ts';
import { useScopeText } from '../../../app/components/top-bar.tsx';
import type { User } from '../types/user.ts';
import { useTranslation } from 'react-i18next';

export function AccountView({ user }: { user: User }) {
  const { t } = useTranslation('auth');
  const { t: tc } = useTranslation();
  const scope = useScopeText(user);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  async function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    setDone(false);
    if (next !== again) {
      setError(t('passwordsDiffer'));
      return;
    }
    setPending(true);
    setError(null);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(true);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="admin-pane" aria-label={t('account')}>
      <div className="admin-head">
        <h2>{t('account')}</h2>
        <span className="muted">
          {user.username} · {tc(`roles.${user.role}`)} · {scope}
        </span>
      </div>
      <form className="admin-form admin-form-block account-form" aria-label={t('changePassword')} onSubmit={(ev) => void submit(ev)}>
        <label>
          {t('currentPassword')}
          <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoComplete="current-password" />
        </label>
        <label>
          {t('newPassword')}
          <input type="password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={8} autoComplete="new-password" />
        </label>
        <label>
          {t('newPasswordAgain')}
          <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} required minLength={8} autoComplete="new-password" />
        </label>
        <div className="form-line">
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {t('changePassword')}
          </button>
        </div>
        {done ? (
          <p className="notice" role="status">
            {t('passwordChanged')}
          </p>
        ) : null}
        <ErrorLine message={error ? t('changeFailed', { message: error }) : null} className="form-error" />
      </form>
    </section>
  );
}
