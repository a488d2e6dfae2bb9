// The Accounts adapter on the search store, against the real OpenSearch node: the
// Accounts conformance suite with the OpenSearch client and with the Elasticsearch
// client (through the test-only compat transport), then what only a shared cluster
// shows: two replicas (two adapters on one prefix) see the same truth at once.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Accounts } from '../../core/accounts/accounts.ts';
import { createPasswordHasher } from '../../core/accounts/password-hasher.ts';
import { openSearchAccounts, type SearchAccountsOptions } from '../../core/accounts/search-accounts.ts';
import { OpenSearchCompatTransport } from '../support/opensearch-compat-transport.ts';
import { servicesForSuite } from '../support/services.ts';
import { runAccountsConformance } from './accounts-conformance.ts';

const services = servicesForSuite('search-store Accounts adapter');
const node = services?.opensearchUrl ?? 'http://127.0.0.1:1';
const skip = services ? undefined : 'no OpenSearch node (run `npm run services -- start`)';
// Conformance creates and checks many passwords; a cheap hasher keeps the suite quick
// without changing what is asserted (scrypt still runs, four at a time).
const hasher = createPasswordHasher({ concurrency: 4 });

/** Empties every accounts index of a prefix (much quicker than creating indices per test). */
async function emptyPrefix(prefix: string): Promise<void> {
  // Refresh first: delete_by_query deletes what a search sees, and a record updated
  // since the last refresh (an agent's last-seen time) would be skipped as a conflict.
  await fetch(`${node}/${prefix}-acc-*/_refresh`, { method: 'POST' });
  const answer = await fetch(`${node}/${prefix}-acc-*/_delete_by_query?refresh=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: { match_all: {} } }),
  });
  if (!answer.ok) throw new Error(`emptying ${prefix}: ${answer.status} ${await answer.text()}`);
}

async function removePrefix(prefix: string): Promise<void> {
  const answer = await fetch(`${node}/_cat/indices/${prefix}-acc-*?format=json`);
  const indices = (await answer.json()) as { index: string }[];
  for (const { index } of indices) await fetch(`${node}/${index}`, { method: 'DELETE' });
}

function options(flavor: 'opensearch' | 'elasticsearch', prefix: string): SearchAccountsOptions {
  return {
    flavor,
    nodes: [node],
    indexPrefix: prefix,
    hasher,
    ...(flavor === 'elasticsearch' ? { transport: OpenSearchCompatTransport } : {}),
  };
}

for (const flavor of ['opensearch', 'elasticsearch'] as const) {
  // One set of indices per flavor, emptied after each test: every test still starts
  // from an empty Accounts, as the suite requires.
  const prefix = `vt-acc-${flavor.slice(0, 2)}-${randomUUID().slice(0, 8)}`;
  describe.skipIf(!services)(`search accounts indices (${flavor})`, () => {
    afterAll(() => removePrefix(prefix));
    runAccountsConformance(`search store (${flavor} client)`, {
      ...(skip ? { skip } : {}),
      async create() {
        const accounts = await openSearchAccounts(options(flavor, prefix));
        return {
          accounts,
          async cleanup() {
            await accounts.close();
            await emptyPrefix(prefix);
          },
        };
      },
    });
  });
}

describe.skipIf(!services)('search-store accounts shared by replicas', () => {
  const opened: Accounts[] = [];
  let prefix = '';
  afterEach(async () => {
    for (const accounts of opened.splice(0)) await accounts.close();
    await removePrefix(prefix);
  });

  async function replicas(): Promise<[Accounts, Accounts]> {
    prefix = `vt-acc-${randomUUID().slice(0, 8)}`;
    const one = await openSearchAccounts(options('opensearch', prefix));
    const two = await openSearchAccounts(options('opensearch', prefix));
    opened.push(one, two);
    return [one, two];
  }

  it('an agent key revoked through one replica is refused by the other at once', async () => {
    const [ingestReplica, apiReplica] = await replicas();
    await apiReplica.createUnit({ id: 'unit-a', name: 'Sở Y tế' });
    const { agent, key } = await apiReplica.createAgent('unit-a', 'AV server');
    expect((await ingestReplica.authenticateAgent(key))?.id).toBe(agent.id);
    await apiReplica.revokeAgent(agent.id);
    expect(await ingestReplica.authenticateAgent(key)).toBeNull();
  });

  it('a user disabled through one replica has no session on the other, and a second create on either is a conflict', async () => {
    const [one, two] = await replicas();
    await one.createUnit({ id: 'unit-a', name: 'Sở Y tế' });
    await one.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, 'a-good-password');
    const token = await two.createSession('officer', 3600_000);
    expect(await one.getSession(token)).toMatchObject({ username: 'officer' });
    await one.updateUser('officer', { disabled: true });
    expect(await two.getSession(token)).toBeNull();
    await expect(two.createUser({ username: 'officer', role: 'admin', units: 'all' }, 'another-password')).rejects.toThrow(/exists/);
  });

  it('concurrent updates of one user through two replicas both land (optimistic concurrency, no lost update)', async () => {
    const [one, two] = await replicas();
    await one.createUnit({ id: 'unit-a', name: 'A' });
    await one.createUnit({ id: 'unit-b', name: 'B' });
    await one.createUser({ username: 'officer', role: 'viewer', units: ['unit-a'] }, 'a-good-password');
    await Promise.all([one.updateUser('officer', { role: 'analyst' }), two.updateUser('officer', { units: ['unit-a', 'unit-b'] })]);
    expect(await one.getUser('officer')).toMatchObject({ role: 'analyst', units: ['unit-a', 'unit-b'] });
  });
});
