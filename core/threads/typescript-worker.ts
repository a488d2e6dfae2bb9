// Starts a worker thread whose entry point is TypeScript. A worker starts without the
// TypeScript loader of its parent (and under vitest there is none to inherit), so a few
// lines of plain JavaScript register tsx's hooks in the thread before importing the
// entry. The entry reads its own data from `workerData.data`.
import { Worker, type ResourceLimits as WorkerResourceLimits } from 'node:worker_threads';

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi)
  .then((tsx) => { tsx.register(); return import(workerData.entry); })
  .catch((error) => setImmediate(() => { throw error; }));
`;

export function startTypeScriptWorker(entry: URL, data: unknown, resourceLimits?: WorkerResourceLimits): Worker {
  return new Worker(BOOTSTRAP, {
    eval: true,
    execArgv: [],
    ...(resourceLimits === undefined ? {} : { resourceLimits }),
    workerData: { data, entry: entry.href, tsxApi: import.meta.resolve('tsx/esm/api') },
  });
}

/** In the worker: the data its parent passed to startTypeScriptWorker. */
export function typescriptWorkerData<T>(workerData: unknown): T {
  return (workerData as { data: T }).data;
}
