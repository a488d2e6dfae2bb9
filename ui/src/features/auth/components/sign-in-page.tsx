// The sign-in form. Errors come from the server's message (wrong credentials, locked
// account, server down) and are announced with role="alert".
import { useId, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../../lib/api-client.ts';
import { LanguageSwitch } from '../../../components/language-switch.tsx';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { login } from '../api/login.ts';
import type { User } from '../types/user.ts';
import { useTranslation } from 'react-i18next';

export function SignInPage({ onSignedIn, notice }: { onSignedIn: (user: User) => void; notice?: string | null }) {
  const { t } = useTranslation('auth');
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const user = await login({ username: username.trim(), password });
      onSignedIn(user);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('wrongCredentials') : describeError(err));
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} noValidate>
        <div className="signin-lang">
          <LanguageSwitch />
        </div>
        <h1 className="brand brand-large">Vigil</h1>
        <p className="muted">{t('tagline')}</p>
        {notice && !error ? <p className="notice">{notice}</p> : null}
        <label htmlFor={`${id}-username`}>{t('username')}</label>
        <input
          id={`${id}-username`}
          name="username"
          autoComplete="username"
          autoFocus
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor={`${id}-password`}>{t('password')}</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorLine message={error} />
        <button type="submit" className="btn btn-primary" disabled={busy || !username || !password}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </main>
  );
}
