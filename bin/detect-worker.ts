// Entry point of the all-in-one process's detect thread: its own bus and store
// connections, the rule set, and the detect stage. Running detect beside ingest and the
// API (rather than on their thread) lets a 2-core machine use both cores: under load,
// ingest's HTTP work no longer starves detection. Metrics are collected here and merged
// into the main thread's /metrics on request.
import { parentPort, workerData } from 'node:worker_threads';
import { openEmbeddedBus } from '../core/bus/embedded-bus.ts';
import { createLogger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { openEmbeddedStore } from '../core/store/embedded-store.ts';
import { typescriptWorkerData } from '../core/threads/typescript-worker.ts';
import { startDetectStage } from '../detect/detect-stage.ts';
import { loadDetector } from '../detect/rule-detector.ts';
import type { DetectThreadData, FromDetectThread, ToDetectThread } from './detect-thread-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('detect-worker.ts must run as a worker thread');
const send = (message: FromDetectThread) => port.postMessage(message);

const { dataDir, rulesDir, logLevel } = typescriptWorkerData<DetectThreadData>(workerData);
const log = createLogger(logLevel);
// Process-wide metrics (memory, CPU, event loop) come from the main thread only.
const metrics = createMetrics({ defaultMetrics: false });
const bus = openEmbeddedBus({ dataDir });
const store = openEmbeddedStore({ dataDir });

const rules = loadDetector(rulesDir, (rule, error) => {
  metrics.ruleFailures.inc({ rule: rule.id });
  log.error({ stage: 'detect', rule: rule.id, err: error }, 'rule failed on an event; skipped for that event');
});
metrics.rulesLoaded.set(rules.loaded);
metrics.ruleErrors.set(rules.errors.length);
for (const error of rules.errors) log.error({ stage: 'rules' }, error);

const detect = startDetectStage({ bus, store, detector: () => rules.detector, metrics, log });
send({ type: 'ready', loaded: rules.loaded, errors: rules.errors });

port.on('message', (message: ToDetectThread) => {
  if (message.type === 'metrics') {
    metrics.registry
      .getMetricsAsJSON()
      .then((values) => send({ type: 'metrics', id: message.id, metrics: values }))
      .catch((error: unknown) => log.error({ err: error }, 'collecting detect metrics failed'));
    return;
  }
  // Stop: finish and commit the batch in hand, then close the files.
  (async () => {
    await detect.stop();
    await bus.close();
    await store.close();
    send({ type: 'stopped' });
    port.close();
  })().catch((error: unknown) => {
    log.error({ err: error }, 'error while stopping detect');
    process.exit(1);
  });
});
