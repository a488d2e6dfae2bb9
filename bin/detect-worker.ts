// Entry point of the all-in-one process's detect thread: its own bus and store
// connections, the rule set, and the detect stage. Running detect beside ingest and the
// API (rather than on their thread) lets a 2-core machine use both cores: under load,
// ingest's HTTP work no longer starves detection. Metrics are collected here and merged
// into the main thread's /metrics on request. The rules folder is watched: a change
// reloads the rule set, swapped in between batches; a broken file is reported and
// skipped, and if the whole folder fails to load the previous set keeps running.
// The correlate stage (alert grouping, correlation windows, silent sources) runs on
// this thread too, fed by detect through the signals topic.
import { parentPort, workerData } from 'node:worker_threads';
import { openEmbeddedBus } from '../core/bus/embedded-bus.ts';
import { createLogger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { ALERT_EVENT_SAMPLE_CAP } from '../core/schemas/alert.ts';
import { openEmbeddedStore } from '../core/store/embedded-store.ts';
import { typescriptWorkerData } from '../core/threads/typescript-worker.ts';
import { startCorrelateStage } from '../detect/correlation/correlate-stage.ts';
import { openCorrelationState } from '../detect/correlation/state-file.ts';
import { TOPICS } from '../core/ports/bus.ts';
import { DETECT_GROUP, startDetectStage } from '../detect/detect-stage.ts';
import { loadDetector, type LoadedDetector } from '../detect/rule-detector.ts';
import type { DetectThreadData, FromDetectThread, ToDetectThread } from './detect-thread-protocol.ts';
import { watchRules } from './watch-rules.ts';

const port = parentPort;
if (port === null) throw new Error('detect-worker.ts must run as a worker thread');
const send = (message: FromDetectThread) => port.postMessage(message);

const { dataDir, rulesDir, logLevel, correlation } = typescriptWorkerData<DetectThreadData>(workerData);
const log = createLogger(logLevel);
// Process-wide metrics (memory, CPU, event loop) come from the main thread only.
const metrics = createMetrics({ defaultMetrics: false });
const bus = openEmbeddedBus({ dataDir });
const store = openEmbeddedStore({ dataDir });

const load = () =>
  loadDetector(rulesDir, (rule, error) => {
    metrics.ruleFailures.inc({ rule: rule.id });
    log.error({ stage: 'detect', rule: rule.id, err: error }, 'rule failed on an event; skipped for that event');
  });

/** Metrics and log lines for a load: `running` rules in force, `errors` of the latest load. */
const report = (running: number, errors: readonly string[]) => {
  metrics.rulesLoaded.set(running);
  metrics.ruleErrors.set(errors.length);
  for (const error of errors) log.error({ stage: 'rules' }, error);
};

let rules: LoadedDetector = load();
report(rules.loaded, rules.errors);

const reload = () => {
  const next = load();
  // A folder where nothing loads (all broken, or caught mid-save) must not switch detection off.
  const keepPrevious = next.loaded === 0 && next.errors.length > 0 && rules.loaded > 0;
  if (!keepPrevious) rules = next;
  report(rules.loaded, next.errors);
  if (keepPrevious) {
    log.error({ stage: 'rules', kept: rules.loaded }, 'the rules folder failed to load; the previous rule set keeps running');
  } else {
    log.info({ stage: 'rules', loaded: rules.loaded, errors: rules.errors.length }, 'rules reloaded');
  }
  send({ type: 'rules', loaded: rules.loaded, errors: next.errors });
};
const watcher = watchRules(
  rulesDir,
  () => {
    try {
      reload();
    } catch (error) {
      log.error({ stage: 'rules', err: error }, 'reloading the rules failed; the previous rule set keeps running');
    }
  },
  (error) => log.warn({ stage: 'rules', err: error }, 'cannot watch the rules folder; rule changes need a restart'),
);

const detect = startDetectStage({ bus, store, detector: () => rules.detector, metrics, log });
const correlationState = openCorrelationState(dataDir);
const correlate = await startCorrelateStage({
  bus,
  store,
  state: correlationState,
  rules: () => rules.correlation,
  metrics,
  log,
  detectLag: () => bus.lag(TOPICS.events, DETECT_GROUP),
  options: {
    limits: {
      allowedLatenessMs: correlation.allowedLatenessMs,
      maxGroupsPerRule: correlation.maxGroupsPerRule,
      maxEntriesPerGroup: correlation.maxEntriesPerGroup,
      sampleSize: ALERT_EVENT_SAMPLE_CAP,
    },
    alertGroupWindowMs: correlation.alertGroupWindowMs,
    silence: {
      agentSilentAfterMs: correlation.silentAgentMs,
      unitSilentAfterMs: correlation.silentUnitMs,
      utcOffsetMinutes: correlation.utcOffsetMinutes,
    },
    idleAdvance: correlation.idleAdvance,
  },
});
send({ type: 'ready', loaded: rules.loaded, errors: rules.errors });

port.on('message', (message: ToDetectThread) => {
  if (message.type === 'metrics') {
    metrics.registry
      .getMetricsAsJSON()
      .then((values) => send({ type: 'metrics', id: message.id, metrics: values }))
      .catch((error: unknown) => log.error({ err: error }, 'collecting detect metrics failed'));
    return;
  }
  if (message.type === 'health') {
    correlate
      .health()
      .then((health) => send({ type: 'health', id: message.id, health }))
      .catch((error: unknown) => {
        log.error({ err: error }, 'collecting detection health failed');
        send({ type: 'health', id: message.id, health: null });
      });
    return;
  }
  // Stop: finish and commit the batch in hand, then close the files.
  (async () => {
    watcher.close();
    await detect.stop();
    await correlate.stop();
    correlationState.close();
    await bus.close();
    await store.close();
    send({ type: 'stopped' });
    port.close();
  })().catch((error: unknown) => {
    log.error({ err: error }, 'error while stopping detect');
    process.exit(1);
  });
});
