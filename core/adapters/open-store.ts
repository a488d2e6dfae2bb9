// Opens the Store that VIGIL_STORE chose: the embedded SQLite store in VIGIL_DATA_DIR,
// or an Elasticsearch / OpenSearch cluster (one adapter, two client flavors). The
// search adapter is imported only when chosen, so an all-in-one process never loads
// the cluster clients.
import type { VigilConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../ports/store.ts';
import { openEmbeddedStore } from '../store/embedded-store.ts';
import { searchOptions } from './search-options.ts';

export async function openStore(config: VigilConfig, log: Logger): Promise<Store> {
  if (config.store === 'embedded') return openEmbeddedStore({ dataDir: config.dataDir });
  const { openSearchStore } = await import('../store/search/open-search-store.ts');
  return openSearchStore(searchOptions(config, config.store, log.child({ stage: 'store' })));
}
