// The worker-thread side of a stage thread: runs a start function with the data the
// parent passed, tells the parent when it is ready, answers its questions (metrics for
// /metrics, health for the console), and on `stop` lets the stage finish and commit the
// batch in hand before the thread ends. A stage's own code knows nothing of threads;
// the same start function can run in a process of its own.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromStageThread, StageQuestion, ToStageThread } from './stage-thread-protocol.ts';
import { typescriptWorkerData } from './typescript-worker.ts';

export interface HostedStage {
  /** What the parent shows as this thread's status once it is ready. */
  readonly status: unknown;
  /** prom-client JSON of the thread's registry, merged into the parent's /metrics. */
  metrics(): Promise<object[]>;
  health(): Promise<unknown>;
  stop(): Promise<void>;
}

export interface StageThreadContext {
  /** Sends a new status to the parent (it shows the newest). */
  report(status: unknown): void;
  /** Sends the parent a one-off event (StageThreadOptions.onEvent receives it). */
  emit(event: unknown): void;
}

export type StartHostedStage<Data> = (data: Data, context: StageThreadContext) => Promise<HostedStage>;

/** Call once, at the top of a worker entry file. */
export function hostStageThread<Data>(start: StartHostedStage<Data>): void {
  const port = parentPort;
  if (port === null) throw new Error('hostStageThread() must run in a worker thread');
  const send = (message: FromStageThread) => port.postMessage(message);

  // Listening starts before the stage does, so a stop sent while it is still starting
  // (the parent shutting down just after a restart) waits for the start, then stops it.
  const started = start(typescriptWorkerData<Data>(workerData), {
    report: (status) => send({ type: 'status', status }),
    emit: (event) => send({ type: 'event', event }),
  });
  started.then(
    (stage) => send({ type: 'ready', status: stage.status }),
    (error: unknown) => {
      // The parent sees the thread exit with this error and decides about a restart.
      setImmediate(() => {
        throw error;
      });
    },
  );

  const answer = async (stage: HostedStage, question: StageQuestion): Promise<unknown> => {
    try {
      return question === 'metrics' ? await stage.metrics() : await stage.health();
    } catch {
      return null;
    }
  };

  let stopping: Promise<void> | undefined;
  port.on('message', (message: ToStageThread) => {
    if (message.type === 'ask') {
      void started.then(async (stage) => send({ type: 'answer', id: message.id, answer: await answer(stage, message.question) }));
      return;
    }
    stopping ??= started
      .then((stage) => stage.stop())
      .then(() => {
        send({ type: 'stopped' });
        port.close();
      })
      .catch((error: unknown) => {
        setImmediate(() => {
          throw error;
        });
      });
  });
}
