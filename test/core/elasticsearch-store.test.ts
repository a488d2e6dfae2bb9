// The search Store adapter with the Elasticsearch client (@elastic/elasticsearch, the
// distributed default). Elasticsearch itself cannot run on our machines, so the
// conformance suite runs against the real OpenSearch node through the test-only
// OpenSearchCompatTransport (../shared/SERVICES.md): the same shared mapping, query,
// aggregation, bulk and concurrency code, spoken through this client. What only real
// Elasticsearch would show (ILM) is checked as the request the store sends.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../core/errors.ts';
import { ALL_UNITS } from '../../core/ports/scope.ts';
import { eventsTemplate } from '../../core/store/search/index-templates.ts';
import { openSearchStore } from '../../core/store/search/open-search-store.ts';
import { ilmPolicy, lifecycleSettings } from '../../core/store/search/retention-policy.ts';
import { OpenSearchCompatTransport } from '../support/opensearch-compat-transport.ts';
import { servicesForSuite } from '../support/services.ts';
import { runStoreConformance } from './store-conformance.ts';

const services = servicesForSuite('Elasticsearch store adapter (through the OpenSearch compat transport)');
const node = services?.opensearchUrl ?? 'http://127.0.0.1:1';

async function removePrefix(prefix: string): Promise<void> {
  const listed = await fetch(`${node}/_cat/indices/${prefix}-*?format=json`);
  const indices = (await listed.json()) as { index: string }[];
  if (indices.length > 0) await fetch(`${node}/${indices.map((i) => i.index).join(',')}`, { method: 'DELETE' });
  for (const template of ['events', 'alerts']) await fetch(`${node}/_index_template/${prefix}-${template}`, { method: 'DELETE' });
}

function openElasticsearch(prefix: string, transport: unknown = OpenSearchCompatTransport) {
  return openSearchStore({ flavor: 'elasticsearch', nodes: [node], indexPrefix: prefix, eventsRetentionDays: 30, transport });
}

runStoreConformance('Elasticsearch (@elastic/elasticsearch, via the OpenSearch compat transport)', {
  ...(services === null ? { skip: 'no OpenSearch node to stand in for Elasticsearch (see test/support/services.ts)' } : {}),
  create: async () => {
    const prefix = `vt-es-${randomUUID().slice(0, 8)}`;
    const store = await openElasticsearch(prefix);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await removePrefix(prefix);
      },
    };
  },
});

describe('ILM retention (what the store asks real Elasticsearch for)', () => {
  it('deletes events indices the configured number of days after the day they hold', () => {
    expect(ilmPolicy(45)).toMatchObject({ policy: { phases: { delete: { min_age: '45d', actions: { delete: {} } } } } });
    const settings = lifecycleSettings('elasticsearch', 'vigil-events-retention');
    expect(settings).toEqual({ 'index.lifecycle.name': 'vigil-events-retention', 'index.lifecycle.parse_origination_date': true });
    expect(eventsTemplate('vigil-events-*', settings)).toMatchObject({
      index_patterns: ['vigil-events-*'],
      template: { settings: { 'index.lifecycle.name': 'vigil-events-retention' } },
    });
    // OpenSearch rejects ILM settings; ISM attaches by the policy's own index pattern.
    expect(lifecycleSettings('opensearch', 'vigil-events-retention')).toEqual({});
  });
});

describe.skipIf(services === null)('Elasticsearch client against the OpenSearch node', () => {
  it('refuses a server that is not Elasticsearch without the test-only transport, as the store unavailable', async () => {
    const prefix = `vt-es-${randomUUID().slice(0, 8)}`;
    const opening = openSearchStore({ flavor: 'elasticsearch', nodes: [node], indexPrefix: prefix, eventsRetentionDays: 30 });
    await expect(opening).rejects.toBeInstanceOf(UnavailableError);
    await expect(opening).rejects.toThrow(/not Elasticsearch/);
  });

  it('writes and reads through the Elasticsearch client with the compat transport', async () => {
    const prefix = `vt-es-${randomUUID().slice(0, 8)}`;
    const store = await openElasticsearch(prefix);
    try {
      const event = {
        '@timestamp': '2024-05-01T08:00:00.000Z',
        event: { id: 'es-1', ingested: '2024-05-01T08:00:01.000Z' },
        organization: { id: 'unit-a', name: 'Unit A' },
        host: { name: 'WS-42' },
      };
      await store.writeEvents([event]);
      await store.refresh();
      expect((await store.searchEvents({ q: 'host.name:ws-4*', limit: 10 }, ALL_UNITS)).items).toEqual([event]);
    } finally {
      await store.close();
      await removePrefix(prefix);
    }
  });
});
