// The one seam between the search store and a client library: a raw REST request.
// Everything else (mappings, query DSL, aggregations, bulk, concurrency, retention) is
// shared code that speaks the REST API Elasticsearch and OpenSearch have in common, so
// each product needs only a thin wrapper (elasticsearch-client.ts, opensearch-client.ts).
export interface SearchRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  path: string;
  querystring?: Record<string, string | number | boolean>;
  /** A JSON body. */
  body?: unknown;
  /** An NDJSON body (bulk), already serialized. */
  ndjson?: string;
}

/**
 * Any HTTP answer comes back as a status and body, errors included (a 409 or a 429 is
 * information for the caller, not an exception); only a failure to get an answer at
 * all (connection refused, timeout) throws, as UnavailableError.
 */
export interface SearchResponse<T = unknown> {
  status: number;
  body: T;
}

export interface SearchClient {
  request<T = unknown>(request: SearchRequest): Promise<SearchResponse<T>>;
  close(): Promise<void>;
}

/** Which product a cluster is, from `GET /`; decides ILM or ISM. */
export type Distribution = 'elasticsearch' | 'opensearch';
