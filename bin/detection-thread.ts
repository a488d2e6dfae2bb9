// Worker entry of the all-in-one process's detection thread: detect and correlate with
// their own bus and store connections and one watched rule set. Running them beside
// ingest and the API (rather than on their thread) lets a 2-core machine use both cores:
// under load, ingest's HTTP work no longer starves detection. Process-wide metrics
// (memory, CPU, event loop) come from the main thread; this thread's are merged in.
import type { VigilConfig } from '../core/config.ts';
import { openAccounts } from '../core/adapters/open-accounts.ts';
import { openBus } from '../core/adapters/open-bus.ts';
import { openStore } from '../core/adapters/open-store.ts';
import { createLogger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { hostStageThread } from '../core/threads/stage-thread-host.ts';
import { startRulesReloader } from '../detect/rules-reloader.ts';
import { watchRuleSwitches } from '../detect/rule-switches.ts';
import { wireCorrelate } from './wire-correlate.ts';
import { wireDetect } from './wire-detect.ts';

hostStageThread<VigilConfig>(async (config, thread) => {
  const log = createLogger(config.logLevel);
  const metrics = createMetrics({ defaultMetrics: false });
  const bus = await openBus(config, log);
  const store = await openStore(config, log);
  // A change goes to the main thread, which holds Accounts and writes the audit entry.
  const rules = startRulesReloader({
    rulesDir: config.rulesDir,
    metrics,
    log,
    onReload: (status) => thread.report(status),
    onRulesChanged: (change) => thread.emit(change),
  });
  // Rules switched off in the console: the audit log of the accounts the main thread opened (core/accounts/rule-switches.ts).
  const accounts = await openAccounts(config, log);
  const switches = await watchRuleSwitches({ accounts, metrics, log });
  const detect = wireDetect(config, { bus, store, rules, metrics, log, switches });
  const correlate = await wireCorrelate(config, { bus, store, rules, metrics, log, switches });
  return {
    status: rules.status(),
    metrics: () => metrics.registry.getMetricsAsJSON(),
    health: () => correlate.stage.health(),
    async stop() {
      // Finish and commit the batch in hand, then close the files.
      rules.close();
      switches.close();
      await detect.stop();
      await correlate.stop();
      await bus.close();
      await store.close();
      await accounts.close();
    },
  };
});
