// The live alert stream: a WebSocket hub on /api/v1/stream. It tails the alerts topic
// and forwards each alert to every connected console whose user may see its unit. Each
// frame carries a cursor; a console that reconnects sends `resume` with its last cursor
// and gets everything after it, then the live stream, without gaps or duplicates.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { fastifyCookie } from '@fastify/cookie';
import { z } from 'zod';
import type { Accounts, User } from '../core/accounts/accounts.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import { decodeRecord } from '../core/bus/decode-record.ts';
import { TOPICS, type Bus, type BusRecord, type Positions, type Subscription } from '../core/ports/bus.ts';
import { scopeAllows, type Scope } from '../core/ports/scope.ts';
import { alertSchema, type Alert } from '../core/schemas/alert.ts';
import { decodeCursor, encodeCursor } from './stream-cursor.ts';
import { SESSION_COOKIE, scopeOf, userFromCookieHeader } from './session-auth.ts';

export const STREAM_PATH = '/api/v1/stream';
const REPLAY_PAGE = 500;
/** A console this far behind is cut off; it reconnects and resumes from its cursor. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const clientFrameSchema = z.object({ type: z.literal('resume'), cursor: z.string().min(1).max(4000) });

interface Client {
  socket: WebSocket;
  user: User;
  scope: Scope;
  position: Positions;
  /** While replaying after a resume, live records wait here so nothing is sent twice or out of order. */
  resuming: boolean;
  held: DecodedRecord[];
}

interface DecodedRecord {
  partition: number;
  offset: number;
  alert: Alert | null;
}

export interface StreamHub {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  stop(): Promise<void>;
}

export async function startStreamHub(deps: { bus: Bus; accounts: Accounts; metrics: Metrics; log: Logger }): Promise<StreamHub> {
  const log = deps.log.child({ stage: 'stream' });
  const server = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<Client>();
  let seen: Positions = await deps.bus.endPositions(TOPICS.alerts);

  const decode = (records: BusRecord[]): DecodedRecord[] =>
    records.map((record) => {
      const alert = decodeRecord(record, alertSchema);
      if (!alert.ok) log.warn({ offset: record.offset, problem: alert.problem }, 'skipping a malformed alert record');
      return { partition: record.partition, offset: record.offset, alert: alert.ok ? alert.value : null };
    });

  const deliver = (client: Client, records: DecodedRecord[]) => {
    for (const record of records) {
      if (record.offset <= (client.position[record.partition] ?? -1)) continue;
      client.position[record.partition] = record.offset;
      if (!record.alert || !scopeAllows(client.scope, record.alert.organization.id)) continue;
      if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        client.socket.close(1013, 'too far behind; reconnect and resume');
        return;
      }
      client.socket.send(JSON.stringify({ type: 'alert', cursor: encodeCursor(client.position), alert: record.alert }));
    }
  };

  const resume = async (client: Client, cursor: string) => {
    client.resuming = true;
    client.position = decodeCursor(cursor);
    try {
      for (;;) {
        const page = decode(await deps.bus.readAfter(TOPICS.alerts, client.position, REPLAY_PAGE));
        deliver(client, page);
        if (page.length < REPLAY_PAGE) break;
      }
      deliver(client, client.held);
    } finally {
      client.held = [];
      client.resuming = false;
    }
  };

  const subscription: Subscription = deps.bus.subscribe(
    TOPICS.alerts,
    `stream-hub-${randomUUID()}`,
    async (batch) => {
      const records = decode(batch);
      for (const record of records) seen = { ...seen, [record.partition]: record.offset };
      for (const client of clients) {
        if (client.resuming) client.held.push(...records);
        else deliver(client, records);
      }
    },
    { start: 'latest', commit: false, onError: (error) => log.error({ err: error }, 'alert stream batch failed') },
  );

  server.on('connection', (socket: WebSocket, user: User) => {
    const client: Client = { socket, user, scope: scopeOf(user), position: { ...seen }, resuming: false, held: [] };
    clients.add(client);
    deps.metrics.streamClients.set(clients.size);
    socket.send(JSON.stringify({ type: 'ready', cursor: encodeCursor(client.position) }));
    socket.on('message', (data) => {
      let frame: z.infer<typeof clientFrameSchema>;
      try {
        frame = clientFrameSchema.parse(JSON.parse(String(data)));
      } catch {
        socket.send(JSON.stringify({ type: 'error', message: 'expected {"type":"resume","cursor":"…"}' }));
        return;
      }
      resume(client, frame.cursor).catch((error: unknown) => {
        log.warn({ err: error, user: user.username }, 'resume failed');
        socket.send(JSON.stringify({ type: 'error', message: (error as Error).message }));
      });
    });
    socket.on('close', () => {
      clients.delete(client);
      deps.metrics.streamClients.set(clients.size);
    });
  });

  // Keepalive: proxies drop idle connections, and a dead peer must free its slot.
  const alive = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!alive.has(client.socket)) {
        client.socket.terminate();
        continue;
      }
      alive.delete(client.socket);
      client.socket.ping();
    }
  }, 30_000);
  heartbeat.unref();
  server.on('connection', (socket: WebSocket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
  });

  return {
    handleUpgrade(request, socket, head) {
      authenticate(request, deps.accounts)
        .then((user) => {
          if (!user) {
            socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
            return;
          }
          server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, user));
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'stream authentication failed');
          socket.destroy();
        });
    },
    async stop() {
      clearInterval(heartbeat);
      await subscription.stop();
      for (const client of clients) client.socket.close(1001, 'server shutting down');
      server.close();
    },
  };
}

async function authenticate(request: IncomingMessage, accounts: Accounts): Promise<User | null> {
  // Refuse pages from other sites; the SameSite cookie already keeps them out, this is belt and braces.
  const origin = request.headers.origin;
  if (origin !== undefined && new URL(origin).host !== request.headers.host) return null;
  return userFromCookieHeader(accounts, fastifyCookie.parse(request.headers.cookie ?? '')[SESSION_COOKIE]);
}
