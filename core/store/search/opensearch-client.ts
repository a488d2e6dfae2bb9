// The OpenSearch wrapper: @opensearch-project/opensearch's transport carrying the
// shared code's raw REST requests. Product-specific only in how the client is built
// and how its errors look.
import { Client, errors } from '@opensearch-project/opensearch';
import { UnavailableError } from '../../errors.ts';
import { basicAuth, readCa, type ClientConnectionOptions } from './client-connection.ts';
import type { SearchClient, SearchRequest, SearchResponse } from './search-client.ts';

export function opensearchClient(options: ClientConnectionOptions): SearchClient {
  const auth = basicAuth(options);
  const ca = readCa(options);
  const client = new Client({
    nodes: options.nodes,
    ...(auth === undefined ? {} : { auth }),
    ...(ca === undefined ? {} : { ssl: { ca } }),
  });
  return {
    async request<T>(request: SearchRequest): Promise<SearchResponse<T>> {
      try {
        const result = await client.transport.request({
          method: request.method,
          path: request.path,
          ...(request.querystring === undefined ? {} : { querystring: request.querystring }),
          ...(request.body === undefined ? {} : { body: request.body as Record<string, unknown> }),
          ...(request.ndjson === undefined ? {} : { bulkBody: request.ndjson }),
        });
        return { status: result.statusCode ?? 200, body: result.body as T };
      } catch (error) {
        if (error instanceof errors.ResponseError) {
          const meta = error.meta as { statusCode?: number; body?: unknown };
          if (meta.statusCode !== undefined) return { status: meta.statusCode, body: meta.body as T };
        }
        throw new UnavailableError(`opensearch: ${request.method} ${request.path}: ${String(error)}`, 'store', error);
      }
    },
    async close(): Promise<void> {
      await client.close();
    },
  };
}
