// Runs the embedded store's writes on their own thread. Durably storing a batch of 500
// events with full-text indexing takes 30-45 ms of SQLite work on our machines; on the
// all-in-one process's only JavaScript thread that would freeze ingest, the API and
// the alert stream at every batch. Here the caller's thread pays only for copying the
// batch (about 3 ms), and the other core writes (and checkpoints). Calls run in order;
// a call that fails, or whose thread dies, rejects, so detect retries its batch.
import type { Worker } from 'node:worker_threads';
import { UnavailableError } from '../errors.ts';
import { startTypeScriptWorker } from '../threads/typescript-worker.ts';
import { deserializeError, type WriterCall, type WriterReply, type WriterRequest, type WriterThreadData } from './writer-protocol.ts';

const WORKER_ENTRY = new URL('./embedded-writer-worker.ts', import.meta.url);

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One running thread and the calls it has not answered yet. */
interface Running {
  worker: Worker;
  pending: Map<number, Pending>;
  exited: Promise<void>;
}

export class WriterThread {
  private running: Running | null = null;
  private nextId = 1;
  private closed = false;

  constructor(private readonly data: WriterThreadData) {
    // Started now rather than on the first write: loading the thread takes a few
    // hundred milliseconds, better spent while the process is still starting up.
    this.running = this.start();
  }

  /** Resolves once the write is committed. A thread that died is restarted on the next call. */
  call<T>(call: WriterCall): Promise<T> {
    if (this.closed) return Promise.reject(new UnavailableError('store is closed', 'store'));
    const running = this.running ?? (this.running = this.start());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // Keep the process alive only while a write is in flight, so a forgotten close()
      // does not hang a script at exit.
      if (running.pending.size === 0) running.worker.ref();
      running.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const request: WriterRequest = { ...call, id };
      running.worker.postMessage(request);
    });
  }

  /** Lets calls already made finish, then stops the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = this.running;
    if (running === null) return;
    running.worker.ref();
    const close: WriterRequest = { op: 'close' };
    // Messages are handled in order, so everything posted before this is done first.
    running.worker.postMessage(close);
    await running.exited;
  }

  private start(): Running {
    const worker = startTypeScriptWorker(WORKER_ENTRY, this.data);
    worker.unref();
    let exit: () => void = () => undefined;
    const running: Running = { worker, pending: new Map(), exited: new Promise((resolve) => (exit = resolve)) };
    const failAll = (cause: unknown) => {
      for (const pending of running.pending.values()) {
        pending.reject(new UnavailableError('store writer thread stopped; retry', 'store', cause));
      }
      running.pending.clear();
      if (this.running === running) this.running = null;
    };
    worker.on('message', (reply: WriterReply) => {
      const pending = running.pending.get(reply.id);
      if (pending === undefined) return;
      running.pending.delete(reply.id);
      if (running.pending.size === 0) worker.unref();
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(deserializeError(reply.error));
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      failAll(new Error(`writer thread exited with code ${code}`));
      exit();
    });
    return running;
  }
}
