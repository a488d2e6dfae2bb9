// Opens the NotificationOutbox: for now always the embedded one, <dataDir>/notify.db,
// whatever the bus and store (the notify process and the api read the same file, so on
// a cluster they share a data dir; a search-store adapter can follow behind the port).
import type { VigilConfig } from '../config.ts';
import { openEmbeddedNotificationOutbox } from '../notifications/embedded-notification-outbox.ts';
import type { NotificationOutbox } from '../ports/notifications.ts';

export function openNotificationOutbox(config: Pick<VigilConfig, 'dataDir'>): NotificationOutbox {
  return openEmbeddedNotificationOutbox({ dataDir: config.dataDir });
}
