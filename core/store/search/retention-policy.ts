// Event retention from one setting (eventsRetentionDays), applied by the cluster's own
// lifecycle engine: ILM on Elasticsearch, ISM on OpenSearch. The engine follows the
// product the cluster says it is (GET /), not the client library, because the two
// APIs and their index settings differ and each cluster knows only its own.
//
// Elasticsearch counts the age from the day in the index name (parse_origination_date),
// so an index of old events replayed today is still deleted on time. ISM counts from
// the index's creation, so there a day of late-arriving old events lives up to
// `days` after it was first written.
import type { Logger } from '../../log.ts';
import { VigilError } from '../../errors.ts';
import type { Distribution, SearchClient } from './search-client.ts';

export function ilmPolicy(days: number): Record<string, unknown> {
  return {
    policy: {
      _meta: { managed_by: 'vigil', events_retention_days: days },
      phases: {
        hot: { min_age: '0ms', actions: {} },
        delete: { min_age: `${days}d`, actions: { delete: {} } },
      },
    },
  };
}

export function ismPolicy(days: number, eventsPattern: string): Record<string, unknown> {
  return {
    policy: {
      description: `Vigil: delete events indices ${days} days after they were created`,
      default_state: 'hot',
      states: [
        { name: 'hot', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: `${days}d` } }] },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      // Attaches the policy to every events index created from now on.
      ism_template: [{ index_patterns: [eventsPattern], priority: 100 }],
    },
  };
}

/** Index settings the events template carries for the lifecycle engine. */
export function lifecycleSettings(distribution: Distribution, policy: string): Record<string, unknown> {
  if (distribution === 'opensearch') return {}; // ISM attaches by the policy's ism_template.
  return { 'index.lifecycle.name': policy, 'index.lifecycle.parse_origination_date': true };
}

/**
 * Creates or updates the policy; idempotent, so every process may call it at open.
 * Answers false (and logs why, loudly) when the cluster has no lifecycle engine:
 * events are then kept until deleted by hand, which beats refusing to store them.
 */
export async function applyRetentionPolicy(
  client: SearchClient,
  distribution: Distribution,
  name: string,
  days: number,
  eventsPattern: string,
  log?: Logger,
): Promise<boolean> {
  if (distribution === 'elasticsearch') {
    const put = await client.request({ method: 'PUT', path: `/_ilm/policy/${name}`, body: ilmPolicy(days) });
    return accepted(put.status, put.body, 'ILM', log);
  }
  const path = `/_plugins/_ism/policies/${name}`;
  const existing = await client.request<IsmPolicyAnswer>({ method: 'GET', path });
  if (isMissingEngine(existing.body)) return accepted(existing.status, existing.body, 'ISM', log);
  const body = ismPolicy(days, eventsPattern);
  if (existing.status === 200) {
    if (sameAge(existing.body, days)) return true;
    // An update must name the version it replaces.
    const update = await client.request({
      method: 'PUT',
      path,
      querystring: { if_seq_no: existing.body._seq_no ?? 0, if_primary_term: existing.body._primary_term ?? 0 },
      body,
    });
    // 409: another process updated it at the same moment, to the same setting.
    return update.status === 409 || accepted(update.status, update.body, 'ISM', log);
  }
  const create = await client.request({ method: 'PUT', path, body });
  return create.status === 409 || accepted(create.status, create.body, 'ISM', log);
}

interface IsmPolicyAnswer {
  _seq_no?: number;
  _primary_term?: number;
  policy?: { states?: { transitions?: { conditions?: { min_index_age?: string } }[] }[] };
}

function sameAge(answer: IsmPolicyAnswer, days: number): boolean {
  const ages = (answer.policy?.states ?? []).flatMap((s) => (s.transitions ?? []).map((t) => t.conditions?.min_index_age));
  return ages.includes(`${days}d`);
}

/** A cluster without the plugin has no handler for its URLs. */
function isMissingEngine(body: unknown): boolean {
  return JSON.stringify(body ?? null).includes('no handler found');
}

function accepted(status: number, body: unknown, engine: string, log?: Logger): boolean {
  if (status >= 200 && status < 300) return true;
  if (isMissingEngine(body)) {
    log?.error({ status, body }, `search store: the cluster has no ${engine}; events are NOT deleted after the retention period`);
    return false;
  }
  throw new VigilError('store_setup', `search store: ${engine} policy refused (${status}): ${JSON.stringify(body)}`, 'store');
}
