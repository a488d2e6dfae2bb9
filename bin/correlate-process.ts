// `vigil correlate`: consumes the signals topic as a member of the correlate consumer
// group. Each replica owns the correlation groups, alert groups and silence state of
// the signals partitions it is assigned, restores them from their checkpoints and
// writes the alerts they raise. Every few seconds it publishes its detection health to
// TOPICS.health for the api processes. More replicas than signals partitions leaves
// some idle.
import os from 'node:os';
import { lockEmbeddedGroup } from '../core/adapters/data-dir-lock.ts';
import { openAccounts } from '../core/adapters/open-accounts.ts';
import { openBus } from '../core/adapters/open-bus.ts';
import { openStore } from '../core/adapters/open-store.ts';
import { ensureVigilTopics } from '../core/adapters/vigil-topics.ts';
import type { VigilConfig } from '../core/config.ts';
import { startHealthPublisher } from '../core/health/health-publisher.ts';
import type { Logger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { CORRELATE_GROUP } from '../detect/correlation/correlate-stage.ts';
import { startRulesReloader } from '../detect/rules-reloader.ts';
import { watchRuleSwitches } from '../detect/rule-switches.ts';
import { serveProcess, type RunningProcess } from './serve-process.ts';
import { wireCorrelate } from './wire-correlate.ts';

export async function startCorrelateProcess(config: VigilConfig, log: Logger): Promise<RunningProcess> {
  const lock = lockEmbeddedGroup(config, CORRELATE_GROUP, 'vigil correlate');
  const metrics = createMetrics();
  const bus = await openBus(config, log);
  await ensureVigilTopics(bus, config.partitions, config.busRetentionHours * 3_600_000, { log });
  const store = await openStore(config, log);
  const rules = startRulesReloader({ rulesDir: config.rulesDir, metrics, log });
  // Rules switched off in the console (core/accounts/rule-switches.ts): a switched-off
  // correlation must not fire here through a correlation it is chained on.
  const accounts = await openAccounts(config, log);
  const switches = await watchRuleSwitches({ accounts, metrics, log });
  const correlate = await wireCorrelate(config, { bus, store, rules, metrics, log, switches });
  // Host and pid: a container restarted under the same name replaces its own snapshot.
  const member = `${os.hostname()}:${process.pid}`;
  const health = startHealthPublisher({ bus, member, detection: () => correlate.stage.health(), rules: () => rules.status(), log });
  await health.publish().catch((error: unknown) => log.warn({ err: error }, 'publishing detection health failed; will try again'));
  return serveProcess({
    name: 'correlate',
    config,
    log,
    metrics,
    summary: `correlating signals as ${member} with ${config.correlation.allowedLatenessMs / 1000} s allowed lateness`,
    async stop() {
      // Finish the batch in hand and checkpoint, say so to the api processes, then close.
      rules.close();
      switches.close();
      await correlate.stop();
      await health.stop();
      await bus.close();
      await store.close();
      await accounts.close();
      lock?.release();
    },
  });
}
