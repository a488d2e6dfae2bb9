// What the search store creates when it opens, idempotently, so any number of
// processes may open it at once: the retention policy, the two index templates and
// the alerts index. Events indices are created by the first write of each day, from
// the template.
import type { Logger } from '../../log.ts';
import { VigilError } from '../../errors.ts';
import { alertProperties, alertsTemplate, eventsTemplate } from './index-templates.ts';
import type { IndexNames } from './index-names.ts';
import { applyRetentionPolicy, lifecycleSettings } from './retention-policy.ts';
import type { Distribution, SearchClient } from './search-client.ts';
import { storeFailure } from './search-page.ts';

export interface SetupResult {
  distribution: Distribution;
  /** False when the cluster has no lifecycle engine (events are then kept). */
  retentionApplied: boolean;
}

export async function setUpIndices(client: SearchClient, names: IndexNames, retentionDays: number, log?: Logger): Promise<SetupResult> {
  const distribution = await clusterDistribution(client);
  const retentionApplied = await applyRetentionPolicy(client, distribution, names.retentionPolicy, retentionDays, names.eventsPattern, log);
  const lifecycle = retentionApplied ? lifecycleSettings(distribution, names.retentionPolicy) : {};
  await put(client, `/_index_template/${names.eventsTemplate}`, eventsTemplate(names.eventsPattern, lifecycle));
  await put(client, `/_index_template/${names.alertsTemplate}`, alertsTemplate(names.alerts));
  const created = await client.request({ method: 'PUT', path: `/${names.alerts}` });
  const exists = created.status === 400 && JSON.stringify(created.body).includes('resource_already_exists_exception');
  if (!(created.status === 200 || exists)) throw storeFailure('create alerts index', created.status, created.body);
  // The one alerts index outlives upgrades: fields a newer Vigil maps are added to it
  // (events indices get them from the template the next day).
  if (exists) await put(client, `/${names.alerts}/_mapping`, { properties: alertProperties });
  return { distribution, retentionApplied };
}

async function clusterDistribution(client: SearchClient): Promise<Distribution> {
  const info = await client.request<{ version?: { distribution?: string; number?: string } }>({ method: 'GET', path: '/' });
  if (info.status !== 200) throw storeFailure('cluster info', info.status, info.body);
  return info.body.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch';
}

async function put(client: SearchClient, path: string, body: unknown): Promise<void> {
  const answer = await client.request({ method: 'PUT', path, body });
  if (answer.status !== 200) {
    throw new VigilError('store_setup', `search store: PUT ${path} failed (${answer.status}): ${JSON.stringify(answer.body).slice(0, 2000)}`, 'store');
  }
}
