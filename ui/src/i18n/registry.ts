// Every feature's messages, one line each; each becomes an i18next namespace of the
// same name (useTranslation('events')). A feature adds its file as
// `ui/src/i18n/<feature>.ts` exporting defineMessages({ en, vi }) and one line here.
import { alerts } from './alerts.ts';
import { admin } from './admin.ts';
import { audit } from './audit.ts';
import { auth } from './auth.ts';
import { common } from './common.ts';
import { dashboard } from './dashboard.ts';
import type { FeatureMessages } from './define.ts';
import { errors } from './errors.ts';
import { events } from './events.ts';
import { health } from './health.ts';
import { places } from './places.ts';
import { rules } from './rules.ts';
import { notifications } from './notifications.ts';
import { reports } from './reports.ts';

export const featureMessages = {
  alerts,
  common,
  auth,
  audit,
  admin,
  errors,
  events,
  health,
  dashboard,
  places,
  notifications,
  reports,
  rules,
} satisfies Record<string, FeatureMessages>;

export type Namespace = keyof typeof featureMessages;
