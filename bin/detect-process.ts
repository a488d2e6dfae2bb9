// `vigil detect`: consumes the events topic as a member of the detect consumer group,
// matches every event against the watched rules folder, stores the events and
// publishes signals. Replicas share the events partitions (more replicas than
// partitions leaves some idle); a lost replica's partitions move to the others, which
// resume from the committed position.
import { lockEmbeddedGroup } from '../core/adapters/data-dir-lock.ts';
import { openAccounts } from '../core/adapters/open-accounts.ts';
import { openBus } from '../core/adapters/open-bus.ts';
import { openStore } from '../core/adapters/open-store.ts';
import { ensureVigilTopics } from '../core/adapters/vigil-topics.ts';
import type { VigilConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { DETECT_GROUP } from '../detect/detect-stage.ts';
import { startRulesReloader } from '../detect/rules-reloader.ts';
import { rulesAuditEntry } from '../detect/rule-set-diff.ts';
import { watchRuleSwitches } from '../detect/rule-switches.ts';
import { serveProcess, type RunningProcess } from './serve-process.ts';
import { wireDetect } from './wire-detect.ts';

export async function startDetectProcess(config: VigilConfig, log: Logger): Promise<RunningProcess> {
  const lock = lockEmbeddedGroup(config, DETECT_GROUP, 'vigil detect');
  const metrics = createMetrics();
  const bus = await openBus(config, log);
  await ensureVigilTopics(bus, config.partitions, config.busRetentionHours * 3_600_000, { log });
  const store = await openStore(config, log);
  // Each detect replica records the rule changes it took (correlate replicas load the
  // same folder and leave the record to detect).
  const accounts = await openAccounts(config, log);
  const rules = startRulesReloader({
    rulesDir: config.rulesDir,
    metrics,
    log,
    onRulesChanged: (change) => {
      accounts.appendAudit(rulesAuditEntry(change)).catch((error: unknown) => log.error({ err: error }, 'recording a rules change in the audit log failed'));
    },
  });
  // Rules switched off in the console, read from the shared audit log (core/accounts/rule-switches.ts).
  const switches = await watchRuleSwitches({ accounts, metrics, log });
  const detect = wireDetect(config, { bus, store, rules, metrics, log, switches });
  const { loaded, errors } = rules.status();
  return serveProcess({
    name: 'detect',
    config,
    log,
    metrics,
    summary: `matching events against ${loaded} rules from ${config.rulesDir}${errors.length > 0 ? ` (${errors.length} problems, see log)` : ''}`,
    async stop() {
      // Finish and commit the batch in hand, then close the connections.
      rules.close();
      switches.close();
      await detect.stop();
      await bus.close();
      await store.close();
      await accounts.close();
      lock?.release();
    },
  });
}
