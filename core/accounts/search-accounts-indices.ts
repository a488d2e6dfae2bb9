// The indices the search-store Accounts adapter keeps its records in, with explicit
// mappings (every field is an exact keyword: accounts are looked up, never analysed).
// One index per kind of record, all under the installation's prefix so several Vigil
// installations (or test runs) share a cluster. Created at open when missing.
import { UnavailableError } from '../errors.ts';
import type { SearchClient } from '../store/search/search-client.ts';

export interface AccountIndices {
  units: string;
  users: string;
  agents: string;
  /** Agent keys by hash → agent id: the lookup ingest makes on every post, by _id (realtime). */
  agentKeys: string;
  sessions: string;
  audit: string;
}

export function accountIndices(prefix: string): AccountIndices {
  return {
    units: `${prefix}-acc-units`,
    users: `${prefix}-acc-users`,
    agents: `${prefix}-acc-agents`,
    agentKeys: `${prefix}-acc-agent-keys`,
    sessions: `${prefix}-acc-sessions`,
    audit: `${prefix}-acc-audit`,
  };
}

const keyword = { type: 'keyword' } as const;
const date = { type: 'date', format: 'strict_date_optional_time||epoch_millis' } as const;
// Stored for reading back, never searched.
const opaque = { type: 'object', enabled: false } as const;

const MAPPINGS: Record<keyof AccountIndices, Record<string, unknown>> = {
  units: { id: keyword, name: keyword },
  users: {
    username: keyword,
    role: keyword,
    units_all: { type: 'boolean' },
    units: keyword,
    units_count: { type: 'integer' },
    password_hash: { type: 'keyword', index: false },
    disabled: { type: 'boolean' },
    // Bumped by every change that must end the user's sessions; a session remembers the
    // epoch it was made in, so ending them all is one write, on every replica at once.
    session_epoch: { type: 'long' },
  },
  agents: { id: keyword, name: keyword, unit_id: keyword, key_hash: keyword, created: date, rotated: date, revoked: date, last_seen: date, format: keyword },
  agentKeys: { agent_id: keyword },
  sessions: { username: keyword, expires: { type: 'long' }, session_epoch: { type: 'long' } },
  audit: {
    seq: { type: 'long' },
    id: keyword,
    time: date,
    actor: keyword,
    source: keyword,
    action: keyword,
    target: keyword,
    units: keyword,
    units_count: { type: 'integer' },
    before: opaque,
    after: opaque,
  },
};

/**
 * Creates each index that does not exist yet. An existing one keeps its documents and
 * gains the fields added since it was made (its mapping is strict), such as an
 * agent's default format.
 */
export async function setUpAccountIndices(client: SearchClient, indices: AccountIndices): Promise<void> {
  for (const kind of Object.keys(indices) as (keyof AccountIndices)[]) {
    const index = indices[kind];
    const exists = await client.request({ method: 'HEAD', path: `/${index}` });
    if (exists.status === 200) {
      const updated = await client.request({ method: 'PUT', path: `/${index}/_mapping`, body: { properties: MAPPINGS[kind] } });
      if (updated.status >= 300) throw new UnavailableError(`cannot update the mapping of the accounts index ${index}: ${JSON.stringify(updated.body)}`, 'accounts');
      continue;
    }
    const created = await client.request<{ error?: { type?: string } }>({
      method: 'PUT',
      path: `/${index}`,
      body: {
        settings: { number_of_shards: 1, 'index.auto_expand_replicas': '0-1' },
        mappings: { dynamic: 'strict', properties: MAPPINGS[kind] },
      },
    });
    // Another replica created it between our check and our create: fine.
    if (created.status >= 300 && created.body.error?.type !== 'resource_already_exists_exception') {
      throw new UnavailableError(`cannot create the accounts index ${index}: ${JSON.stringify(created.body)}`, 'accounts');
    }
  }
}
