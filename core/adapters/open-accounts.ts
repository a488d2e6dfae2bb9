// Opens Accounts (users, units, agent keys, sessions) where every process that serves
// people or agents sees the same truth: beside the embedded store in VIGIL_DATA_DIR, or
// on the search cluster when VIGIL_STORE names one, so N api and ingest replicas agree.
import type { Accounts } from '../accounts/accounts.ts';
import { openEmbeddedAccounts } from '../accounts/embedded-accounts.ts';
import type { VigilConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { loadAdapter } from './load-adapter.ts';
import { searchOptions, type SearchOptions } from './search-options.ts';

type OpenSearchAccounts = (options: SearchOptions & { passwordHashConcurrency: number }) => Accounts | Promise<Accounts>;

export async function openAccounts(config: VigilConfig, log: Logger): Promise<Accounts> {
  const { passwordHashConcurrency } = config.security;
  if (config.store === 'embedded') return openEmbeddedAccounts({ dataDir: config.dataDir, passwordHashConcurrency });
  const openSearchAccounts = await loadAdapter<OpenSearchAccounts>(
    'accounts/search-accounts.ts',
    'openSearchAccounts',
    `VIGIL_STORE=${config.store}`,
  );
  return openSearchAccounts({ ...searchOptions(config, config.store, log.child({ stage: 'accounts' })), passwordHashConcurrency });
}
