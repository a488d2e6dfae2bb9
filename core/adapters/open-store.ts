// Opens the Store that VIGIL_STORE chose: the embedded SQLite store in VIGIL_DATA_DIR,
// or an Elasticsearch / OpenSearch cluster (one adapter, two client flavors).
import type { VigilConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../ports/store.ts';
import { openEmbeddedStore } from '../store/embedded-store.ts';
import { loadAdapter } from './load-adapter.ts';
import { searchOptions, type SearchOptions } from './search-options.ts';

type OpenSearchStore = (options: SearchOptions) => Store | Promise<Store>;

export async function openStore(config: VigilConfig, log: Logger): Promise<Store> {
  if (config.store === 'embedded') return openEmbeddedStore({ dataDir: config.dataDir });
  const openSearchStore = await loadAdapter<OpenSearchStore>(
    'store/search/open-search-store.ts',
    'openSearchStore',
    `VIGIL_STORE=${config.store}`,
  );
  return openSearchStore(searchOptions(config, config.store, log.child({ stage: 'store' })));
}
