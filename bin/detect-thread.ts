// The main thread's handle on the detect thread (detect-worker.ts): starts it, waits
// until its rules are loaded, asks it for metrics, stops it cleanly, and restarts it
// after a crash (detect then resumes from its committed bus position, losing nothing).
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../core/log.ts';
import { startTypeScriptWorker } from '../core/threads/typescript-worker.ts';
import type { DetectThreadData, FromDetectThread, ToDetectThread } from './detect-thread-protocol.ts';

const ENTRY = new URL('./detect-worker.ts', import.meta.url);
const RESTART_DELAY_MS = 1_000;
const METRICS_TIMEOUT_MS = 2_000;

export interface DetectThread {
  /** The detect thread's current rule set: updated on every reload. */
  readonly rules: { loaded: number; errors: string[] };
  /** False while the thread is down or restarting after a crash. */
  readonly running: boolean;
  /** The detect thread's metrics, as prom-client JSON, for merging into /metrics. */
  metrics(): Promise<object[]>;
  stop(): Promise<void>;
}

export async function startDetectThread(data: DetectThreadData, log: Logger): Promise<DetectThread> {
  let stopping = false;
  let running = false;
  let nextId = 1;
  const waitingForMetrics = new Map<number, (metrics: object[]) => void>();
  let stopped: () => void = () => undefined;
  const whenStopped = new Promise<void>((resolve) => (stopped = resolve));
  let rules: DetectThread['rules'] = { loaded: 0, errors: [] };

  const start = () =>
    new Promise<{ worker: Worker; rules: DetectThread['rules'] }>((resolve, reject) => {
      const worker = startTypeScriptWorker(ENTRY, data);
      worker.on('message', (message: FromDetectThread) => {
        if (message.type === 'ready') {
          running = true;
          rules = { loaded: message.loaded, errors: message.errors };
          resolve({ worker, rules });
        } else if (message.type === 'rules') rules = { loaded: message.loaded, errors: message.errors };
        else if (message.type === 'metrics') waitingForMetrics.get(message.id)?.(message.metrics);
        else if (message.type === 'stopped') stopped();
      });
      worker.on('error', (error) => {
        log.error({ stage: 'detect', err: error }, 'detect thread failed');
        reject(error);
      });
      worker.on('exit', (code) => {
        running = false;
        if (stopping) return stopped();
        log.error({ stage: 'detect', code }, `detect thread exited; restarting in ${RESTART_DELAY_MS} ms`);
        setTimeout(() => {
          start().then(
            (restarted) => (current = restarted.worker),
            (error: unknown) => log.error({ stage: 'detect', err: error }, 'detect thread restart failed'),
          );
        }, RESTART_DELAY_MS).unref();
      });
    });

  const first = await start();
  let current = first.worker;
  const send = (message: ToDetectThread) => current.postMessage(message);

  return {
    get rules() {
      return rules;
    },
    get running() {
      return running;
    },
    metrics() {
      const id = nextId++;
      return new Promise<object[]>((resolve) => {
        const timer = setTimeout(() => finish([]), METRICS_TIMEOUT_MS);
        const finish = (metrics: object[]) => {
          clearTimeout(timer);
          waitingForMetrics.delete(id);
          resolve(metrics);
        };
        waitingForMetrics.set(id, finish);
        send({ type: 'metrics', id });
      });
    },
    async stop() {
      stopping = true;
      send({ type: 'stop' });
      await whenStopped;
    },
  };
}
