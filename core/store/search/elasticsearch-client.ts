// The Elasticsearch wrapper: @elastic/elasticsearch's transport carrying the shared
// code's raw REST requests. Product-specific only in how the client is built and how
// its errors look.
import { Client, errors, type Transport } from '@elastic/elasticsearch';
import { UnavailableError } from '../../errors.ts';
import { basicAuth, readCa, type ClientConnectionOptions } from './client-connection.ts';
import type { SearchClient, SearchRequest, SearchResponse } from './search-client.ts';

export interface ElasticsearchClientOptions extends ClientConnectionOptions {
  /** Tests only: a Transport class (test/support/opensearch-compat-transport.ts). */
  transport?: unknown;
}

export function elasticsearchClient(options: ElasticsearchClientOptions): SearchClient {
  const auth = basicAuth(options);
  const ca = readCa(options);
  const client = new Client({
    nodes: options.nodes,
    ...(auth === undefined ? {} : { auth }),
    ...(ca === undefined ? {} : { tls: { ca } }),
    ...(options.transport === undefined ? {} : { Transport: options.transport as typeof Transport }),
  });
  return {
    async request<T>(request: SearchRequest): Promise<SearchResponse<T>> {
      try {
        const result = await client.transport.request<T>(
          {
            method: request.method,
            path: request.path,
            ...(request.querystring === undefined ? {} : { querystring: request.querystring }),
            ...(request.body === undefined ? {} : { body: request.body as Record<string, unknown> }),
            ...(request.ndjson === undefined ? {} : { bulkBody: request.ndjson }),
          },
          { meta: true },
        );
        return { status: result.statusCode ?? 200, body: result.body };
      } catch (error) {
        if (error instanceof errors.ResponseError && error.statusCode !== undefined) {
          return { status: error.statusCode, body: error.body as T };
        }
        throw new UnavailableError(`elasticsearch: ${request.method} ${request.path}: ${String(error)}`, 'store', error);
      }
    },
    async close(): Promise<void> {
      await client.close();
    },
  };
}
