// The options both search-cluster adapters (events and alerts store, accounts) take,
// read from the config in one place so the two never disagree about the cluster.
import type { VigilConfig } from '../config.ts';
import type { Logger } from '../log.ts';

export interface SearchOptions {
  flavor: 'elasticsearch' | 'opensearch';
  nodes: string[];
  username: string | undefined;
  password: string | undefined;
  tlsCaFile: string | undefined;
  indexPrefix: string;
  eventsRetentionDays: number;
  log: Logger;
}

export function searchOptions(config: VigilConfig, flavor: SearchOptions['flavor'], log: Logger): SearchOptions {
  const { nodes, username, password, tlsCaFile, indexPrefix, eventsRetentionDays } = config.search;
  return { flavor, nodes, username, password, tlsCaFile, indexPrefix, eventsRetentionDays, log };
}
