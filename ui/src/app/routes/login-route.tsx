// /login: the sign-in form, then back to where the user was going (?next=, same-origin
// paths only). A signed-in visitor goes straight on.
import { Navigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { SignInPage } from '../../features/auth/components/sign-in-page.tsx';
import { safeNext, useSession } from '../session.tsx';

export function LoginRoute() {
  const { t } = useTranslation();
  const session = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (session.user === undefined) return <div className="boot muted">{t('loadingApp')}</div>;
  if (session.user) return <Navigate to={next} replace />;
  return (
    <SignInPage
      notice={session.notice}
      // Signed in, this route renders <Navigate to={next}>: one navigation, not two.
      onSignedIn={session.signedIn}
    />
  );
}
