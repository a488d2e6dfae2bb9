// The parent's handle on a stage thread (stage-thread-host.ts): starts the worker, waits
// until its stage is ready, asks it for metrics and health, stops it cleanly, and after
// a crash restarts it (the stage then resumes from its committed bus position, losing
// nothing). A stop is honoured in every state: a running thread finishes and commits
// its batch; a thread still starting is stopped once started; and during the delay
// before a restart nothing is running, so the restart is cancelled and stop resolves.
import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { Logger } from '../log.ts';
import type { FromStageThread, StageQuestion, ToStageThread } from './stage-thread-protocol.ts';
import { startTypeScriptWorker } from './typescript-worker.ts';

export interface StageThreadOptions {
  /** For log lines: what runs in the thread. */
  name: string;
  /** The worker entry file; it calls hostStageThread(). */
  entry: URL;
  /** Passed to the entry's start function (structured-cloned). */
  data: unknown;
  log: Logger;
  resourceLimits?: ResourceLimits;
  restartDelayMs?: number;
  /** Longest wait for an answer before the fallback (the thread busy, or restarting). */
  answerTimeoutMs?: number;
  /** Told when the thread exits without being asked to, with its exit code. */
  onCrash?: (code: number) => void;
  /** Told every time the thread becomes ready (the first start and every restart). */
  onReady?: (status: unknown) => void;
  /** Told every event the thread emits (StageThreadContext.emit), in order. */
  onEvent?: (event: unknown) => void;
}

export interface StageThread<Status, Health> {
  /** The thread's newest status (as of its last report). */
  readonly status: Status;
  /** False while the thread is down or restarting after a crash. */
  readonly running: boolean;
  /** The thread's metrics, as prom-client JSON, for merging into /metrics; [] when it cannot answer. */
  metrics(): Promise<object[]>;
  /** The stage's health; null when it cannot answer (restarting, or busy). */
  health(): Promise<Health | null>;
  stop(): Promise<void>;
}

const RESTART_DELAY_MS = 1_000;
const ANSWER_TIMEOUT_MS = 2_000;

export async function startStageThread<Status, Health>(options: StageThreadOptions): Promise<StageThread<Status, Health>> {
  const log = options.log.child({ stage: options.name });
  const restartDelayMs = options.restartDelayMs ?? RESTART_DELAY_MS;
  const answerTimeoutMs = options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;

  /** The live worker, ready or still starting; undefined while down. */
  let current: Worker | undefined;
  let running = false;
  let status: Status | undefined;
  let everReady = false;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopped: () => void = () => undefined;
  const whenStopped = new Promise<void>((resolve) => (stopped = resolve));
  let nextId = 1;
  const waiting = new Map<number, (answer: unknown) => void>();

  const send = (message: ToStageThread) => current?.postMessage(message);

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const worker = startTypeScriptWorker(options.entry, options.data, options.resourceLimits);
      current = worker;
      worker.on('message', (message: FromStageThread) => {
        if (message.type === 'ready') {
          running = true;
          everReady = true;
          status = message.status as Status;
          options.onReady?.(status);
          resolve();
        } else if (message.type === 'status') {
          status = message.status as Status;
        } else if (message.type === 'event') {
          options.onEvent?.(message.event);
        } else if (message.type === 'answer') {
          waiting.get(message.id)?.(message.answer);
        }
      });
      let failure: Error | undefined;
      worker.on('error', (error) => {
        failure = error;
        log.error({ err: error }, `${options.name} thread failed`);
      });
      worker.on('exit', (code) => {
        running = false;
        if (current === worker) current = undefined;
        for (const finish of waiting.values()) finish(null);
        // Before it was ready, the start failed: the caller gets why (a no-op once ready).
        reject(failure ?? new Error(`the ${options.name} thread exited with code ${code} before it was ready`));
        if (stopping) return stopped();
        // A thread that never started (bad config, missing files) would only fail again.
        if (!everReady) return;
        options.onCrash?.(code);
        log.error({ code }, `${options.name} thread exited; restarting in ${restartDelayMs} ms`);
        restartTimer = setTimeout(() => {
          restartTimer = undefined;
          if (stopping) return;
          launch().catch((error: unknown) => log.error({ err: error }, `${options.name} thread restart failed`));
        }, restartDelayMs);
        restartTimer.unref();
      });
    });

  await launch();

  /** Asks the thread; `fallback` if it does not answer in time or is not there to ask. */
  const ask = <T>(question: StageQuestion, fallback: T) => {
    if (!running) return Promise.resolve(fallback);
    const id = nextId++;
    return new Promise<T>((resolve) => {
      const timer = setTimeout(() => finish(null), answerTimeoutMs);
      const finish = (answer: unknown) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(answer === null || answer === undefined ? fallback : (answer as T));
      };
      waiting.set(id, finish);
      send({ type: 'ask', id, question });
    });
  };

  return {
    get status() {
      return status as Status;
    },
    get running() {
      return running;
    },
    metrics: () => ask<object[]>('metrics', []),
    health: () => ask<Health | null>('health', null),
    stop() {
      if (!stopping) {
        stopping = true;
        if (restartTimer !== undefined) clearTimeout(restartTimer);
        restartTimer = undefined;
        // Down (between a crash and its restart): nothing to drain.
        if (current === undefined) stopped();
        else send({ type: 'stop' });
      }
      return whenStopped;
    },
  };
}
