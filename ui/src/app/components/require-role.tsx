// Guards a route by role. The server refuses everyone else anyway; this only keeps a
// shared or typed URL from showing a screen of errors to someone who cannot use it.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../features/auth/types/user.ts';
import { useUser } from '../session.tsx';

export function RequireRole({ roles, children }: { roles: ReadonlyArray<User['role']>; children: ReactNode }) {
  const user = useUser();
  const { t } = useTranslation();
  if (roles.includes(user.role)) return <>{children}</>;
  return (
    <main className="console-main">
      <p className="page-message" role="alert">
        {t('forbidden', { role: t(`roles.${user.role}`) })}
      </p>
    </main>
  );
}
