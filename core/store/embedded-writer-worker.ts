// Entry point of the embedded store's writer thread: owns the only writing SQLite
// connection and runs EmbeddedWriter calls in the order they arrive. Started by
// writer-thread.ts; a request and its answer are plain structured-clone messages.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { typescriptWorkerData } from '../threads/typescript-worker.ts';
import { configureConnection } from './embedded-schema.ts';
import { EmbeddedWriter } from './embedded-writer.ts';
import type { WriterCall, WriterReply, WriterRequest, WriterThreadData } from './writer-protocol.ts';
import { serializeError } from './writer-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('embedded-writer-worker.ts must run as a worker thread');

const { file } = typescriptWorkerData<WriterThreadData>(workerData);
const db = new Database(file);
configureConnection(db);
const writer = new EmbeddedWriter(db);

port.on('message', (request: WriterRequest) => {
  if (request.op === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { id: request.id, ok: true, value: run(request) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serializeError(error) };
  }
  port.postMessage(reply);
});

function run(request: WriterCall): unknown {
  switch (request.op) {
    case 'writeEvents':
      writer.writeEvents(request.events);
      return undefined;
    case 'writeAlerts':
      return writer.writeAlerts(request.alerts);
    case 'updateAlert':
      return writer.updateAlert(request.alertId, request.patch, request.actor, request.scope, request.at);
  }
}
