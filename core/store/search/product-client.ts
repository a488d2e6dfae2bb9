// Builds the client for the product a deployment names (VIGIL_STORE): the search store
// and the accounts adapter both reach the cluster through this one choice, so they
// never disagree about credentials, CA or transport.
import type { ClientConnectionOptions } from './client-connection.ts';
import { elasticsearchClient } from './elasticsearch-client.ts';
import { opensearchClient } from './opensearch-client.ts';
import type { SearchClient } from './search-client.ts';

export interface ProductClientOptions {
  flavor: 'elasticsearch' | 'opensearch';
  nodes: string[];
  username?: string | undefined;
  password?: string | undefined;
  tlsCaFile?: string | undefined;
  /** Tests only: a Transport class for @elastic/elasticsearch against OpenSearch. */
  transport?: unknown;
}

export function productClient(options: ProductClientOptions): SearchClient {
  const connection: ClientConnectionOptions = {
    nodes: options.nodes,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.tlsCaFile === undefined ? {} : { tlsCaFile: options.tlsCaFile }),
  };
  return options.flavor === 'elasticsearch'
    ? elasticsearchClient({ ...connection, ...(options.transport === undefined ? {} : { transport: options.transport }) })
    : opensearchClient(connection);
}
