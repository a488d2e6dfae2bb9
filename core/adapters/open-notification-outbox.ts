// Opens the NotificationOutbox where `vigil notify` and every api process see the same
// deliveries: <dataDir>/notify.db beside the embedded store, or the search cluster when
// VIGIL_STORE names one (the adapter is loaded only then).
import type { VigilConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { openEmbeddedNotificationOutbox } from '../notifications/embedded-notification-outbox.ts';
import type { NotificationOutbox } from '../ports/notifications.ts';
import { loadAdapter } from './load-adapter.ts';
import { searchOptions, type SearchOptions } from './search-options.ts';

type OpenSearchOutbox = (options: SearchOptions) => Promise<NotificationOutbox>;

export async function openNotificationOutbox(config: VigilConfig, log: Logger): Promise<NotificationOutbox> {
  if (config.store === 'embedded') return openEmbeddedNotificationOutbox({ dataDir: config.dataDir });
  const open = await loadAdapter<OpenSearchOutbox>('notifications/search-notification-outbox.ts', 'openSearchNotificationOutbox', `VIGIL_STORE=${config.store}`);
  return open(searchOptions(config, config.store, log.child({ stage: 'notify' })));
}
