// The live alert stream: a WebSocket hub on /api/v1/stream. It tails the alerts topic
// and forwards each alert to every connected console whose user may see its unit. Each
// frame carries a cursor; a console that reconnects sends `resume` with its last cursor
// and gets everything after it, then the live stream, without gaps or duplicates.
//
// Sessions end here too: every SESSION_CHECK_MS the hub looks each client's session up
// again and closes the socket (code 4401) when it was logged out, expired, or its user
// disabled, deleted, given a new password, role or units. Polling, rather than being told
// by Accounts, also works when the change was made by another api process.
//
// Batching: a console that connects with `?batch=1` gets its alerts in frames of
// `{type:"alerts", cursor, alerts:[…]}`, at most one every BATCH_MS (and at most
// BATCH_MAX alerts each): during a burst of thousands of alerts the browser handles a
// few frames a second instead of one per alert. `cursor` is the last alert's. Any other
// frame to that socket first flushes what is waiting, so order is kept. Without the
// flag (tools, older consoles) every alert is still its own `{type:"alert"}` frame.
//
// Resume is bounded: a cursor more than MAX_RESUME_RECORDS behind the end of the alerts
// topic is not replayed. The console is sent `{type:"reload", cursor}` instead: it must
// reload its alert list over REST and continue from that cursor (live from now). Resume
// frames are limited per socket (one at a time, RESUME_BURST per RESUME_REFILL_MS).
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
import { SentVersions } from './sent-versions.ts';
import { decodeCursor, encodeCursor } from './stream-cursor.ts';
import { SESSION_COOKIE, scopeOf, userFromCookieHeader } from './session-auth.ts';

export const STREAM_PATH = '/api/v1/stream';
const REPLAY_PAGE = 500;
/** A console further behind than this reloads over REST instead of replaying. */
export const MAX_RESUME_RECORDS = 10_000;
/** Resume frames a socket may send in a burst, and how often it earns one more. */
const RESUME_BURST = 3;
const RESUME_REFILL_MS = 20_000;
/** How often each socket's session is looked up again. */
export const SESSION_CHECK_MS = 2_000;
/** Close code when the session ended; the console then shows its sign-in page. */
export const SESSION_ENDED_CODE = 4401;
/** A console this far behind is cut off; it reconnects and resumes from its cursor. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** How long a batching socket's alerts wait to be sent together, and how many at most. */
export const BATCH_MS = 100;
const BATCH_MAX = 500;

const clientFrameSchema = z.object({ type: z.literal('resume'), cursor: z.string().min(1).max(4000) });

interface Client {
  socket: WebSocket;
  user: User;
  /** The session token the socket was opened with, looked up again every SESSION_CHECK_MS. */
  token: string;
  /** Resume frames it may still send now (refilled over time). */
  resumeAllowance: number;
  resumeRefilledAt: number;
  scope: Scope;
  position: Positions;
  /**
   * This socket has been sent every alert after `sentFrom` up to `position`. A console
   * resumes with an older cursor than the `ready` it was just given (its last cursor
   * from the previous connection), so live frames sent in between must not be sent again.
   */
  sentFrom: Positions;
  /** The alert versions this socket has, so a re-published version is not sent twice. */
  sent: SentVersions;
  /** While replaying after a resume, live records wait here so nothing is sent twice or out of order. */
  resuming: boolean;
  held: DecodedRecord[];
  /** Null: one frame per alert. Else the alerts waiting for the next batch frame. */
  batch: { alerts: Alert[]; cursor: string; timer: ReturnType<typeof setTimeout> | null } | null;
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

export interface StreamHubDeps {
  bus: Bus;
  accounts: Accounts;
  metrics: Metrics;
  log: Logger;
  /** Most records a resume replays (default MAX_RESUME_RECORDS); further behind, the console reloads. */
  maxResumeRecords?: number;
}

export async function startStreamHub(deps: StreamHubDeps): Promise<StreamHub> {
  const maxResume = deps.maxResumeRecords ?? MAX_RESUME_RECORDS;
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

  /** `alreadySent`: the range this socket was sent before a resume rewound its position. */
  const deliver = (client: Client, records: DecodedRecord[], alreadySent?: { from: Positions; to: Positions }) => {
    for (const record of records) {
      if (record.offset <= (client.position[record.partition] ?? -1)) continue;
      client.position[record.partition] = record.offset;
      if (!record.alert || !scopeAllows(client.scope, record.alert.organization.id)) continue;
      if (
        alreadySent &&
        record.offset > (alreadySent.from[record.partition] ?? -1) &&
        record.offset <= (alreadySent.to[record.partition] ?? -1)
      ) {
        continue;
      }
      if (client.sent.repeat(record.alert)) continue;
      if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        client.socket.close(1013, 'too far behind; reconnect and resume');
        return;
      }
      sendAlert(client, encodeCursor(client.position), record.alert);
    }
  };

  const resume = async (client: Client, cursor: string) => {
    const from = decodeCursor(cursor);
    client.resuming = true;
    try {
      const end = await deps.bus.endPositions(TOPICS.alerts);
      const behind = Object.entries(end).reduce((sum, [partition, offset]) => sum + Math.max(0, offset - (from[Number(partition)] ?? -1)), 0);
      if (behind > maxResume) {
        // Too far back to replay: continue live from what the hub has seen; the console
        // reloads what it missed over REST. Held records are at or before `seen`.
        client.position = { ...seen };
        client.sentFrom = { ...seen };
        sendFrame(
          client,
          JSON.stringify({
            type: 'reload',
            cursor: encodeCursor(client.position),
            message: `more than ${maxResume} alert changes were missed; reload the alert list`,
          }),
        );
        deliver(client, client.held);
        return;
      }
      const alreadySent = { from: client.sentFrom, to: { ...client.position } };
      // A cursor ahead of the topic (not one this topic gave) must not silence later alerts.
      client.position = Object.fromEntries(Object.entries(from).map(([partition, offset]) => [Number(partition), Math.min(offset, end[Number(partition)] ?? -1)]));
      for (let pages = 0; pages <= maxResume / REPLAY_PAGE + 1; pages += 1) {
        const page = decode(await deps.bus.readAfter(TOPICS.alerts, client.position, REPLAY_PAGE));
        deliver(client, page, alreadySent);
        if (page.length < REPLAY_PAGE) break;
      }
      deliver(client, client.held, alreadySent);
      // Everything from the resumed cursor on has now been sent on this socket.
      client.sentFrom = Object.fromEntries(
        [...new Set([...Object.keys(alreadySent.from), ...Object.keys(from)])].map((key) => {
          const partition = Number(key);
          return [partition, Math.min(alreadySent.from[partition] ?? -1, from[partition] ?? -1)];
        }),
      );
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
    {
      start: 'latest',
      commit: false,
      // Continue right after what the hub has seen: on Kafka the tail joins its group a
      // moment after `seen` was read, and 'latest' alone would skip alerts published in
      // between (and again after a rejoin). A partition empty at start is read from 0.
      onAssigned: async (partitions) => Object.fromEntries(partitions.map((partition) => [partition, seen[partition] ?? -1])),
      onError: (error) => log.error({ err: error }, 'alert stream batch failed'),
    },
  );

  server.on('connection', (socket: WebSocket, user: User, token: string, batching: boolean) => {
    const client: Client = {
      socket,
      user,
      token,
      resumeAllowance: RESUME_BURST,
      resumeRefilledAt: Date.now(),
      scope: scopeOf(user),
      position: { ...seen },
      sentFrom: { ...seen },
      sent: new SentVersions(),
      resuming: false,
      held: [],
      batch: batching ? { alerts: [], cursor: '', timer: null } : null,
    };
    clients.add(client);
    deps.metrics.streamClients.set(clients.size);
    socket.send(JSON.stringify({ type: 'ready', cursor: encodeCursor(client.position) }));
    socket.on('message', (data) => {
      let frame: z.infer<typeof clientFrameSchema>;
      try {
        frame = clientFrameSchema.parse(JSON.parse(String(data)));
      } catch {
        sendFrame(client, JSON.stringify({ type: 'error', message: 'expected {"type":"resume","cursor":"…"}' }));
        return;
      }
      const refusal = resumeRefusal(client);
      if (refusal) {
        sendFrame(client, JSON.stringify({ type: 'error', code: 'rate_limited', message: refusal }));
        return;
      }
      resume(client, frame.cursor).catch((error: unknown) => {
        log.warn({ err: error, user: user.username }, 'resume failed');
        sendFrame(client, JSON.stringify({ type: 'error', message: (error as Error).message }));
      });
    });
    socket.on('close', () => {
      if (client.batch?.timer) clearTimeout(client.batch.timer);
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

  // Sessions end on the socket too: logout, expiry, disable, delete, new password, role or units.
  const recheckSessions = async () => {
    for (const client of [...clients]) {
      const now = await deps.accounts.getSession(client.token);
      if (now && now.role === client.user.role && JSON.stringify(now.units) === JSON.stringify(client.user.units)) continue;
      clients.delete(client);
      deps.metrics.streamClients.set(clients.size);
      client.socket.close(SESSION_ENDED_CODE, 'session ended; sign in again');
    }
  };
  let checking = false;
  const sessionCheck = setInterval(() => {
    if (checking) return;
    checking = true;
    void recheckSessions()
      .catch((error: unknown) => log.warn({ err: error }, 'session re-check failed; will retry'))
      .finally(() => {
        checking = false;
      });
  }, SESSION_CHECK_MS);
  sessionCheck.unref();

  return {
    handleUpgrade(request, socket, head) {
      authenticate(request, deps.accounts)
        .then((session) => {
          if (!session) {
            socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
            return;
          }
          const batching = new URL(request.url ?? '/', 'http://localhost').searchParams.get('batch') === '1';
          server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, session.user, session.token, batching));
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'stream authentication failed');
          socket.destroy();
        });
    },
    async stop() {
      clearInterval(heartbeat);
      clearInterval(sessionCheck);
      await subscription.stop();
      for (const client of clients) client.socket.close(1001, 'server shutting down');
      server.close();
    },
  };
}

async function authenticate(request: IncomingMessage, accounts: Accounts): Promise<{ user: User; token: string } | null> {
  // Refuse pages from other sites; the SameSite cookie already keeps them out, this is belt and braces.
  const origin = request.headers.origin;
  if (origin !== undefined && !sameHost(origin, request.headers.host)) return null;
  const token = fastifyCookie.parse(request.headers.cookie ?? '')[SESSION_COOKIE];
  const user = await userFromCookieHeader(accounts, token);
  return user && token ? { user, token } : null;
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Why a resume frame is refused now (one at a time, a few per minute), or null. */
function resumeRefusal(client: Client): string | null {
  if (client.resuming) return 'a resume is already running on this connection';
  const now = Date.now();
  const earned = Math.floor((now - client.resumeRefilledAt) / RESUME_REFILL_MS);
  if (earned > 0) {
    client.resumeAllowance = Math.min(RESUME_BURST, client.resumeAllowance + earned);
    client.resumeRefilledAt = now;
  }
  if (client.resumeAllowance < 1) return `too many resume frames; at most ${RESUME_BURST} per ${RESUME_REFILL_MS / 1000} s`;
  client.resumeAllowance -= 1;
  return null;
}

/** Sends an alert now, or queues it for the socket's next batch frame. */
function sendAlert(client: Client, cursor: string, alert: Alert): void {
  const batch = client.batch;
  if (batch === null) {
    client.socket.send(JSON.stringify({ type: 'alert', cursor, alert }));
    return;
  }
  batch.alerts.push(alert);
  batch.cursor = cursor;
  if (batch.alerts.length >= BATCH_MAX) flushBatch(client);
  else batch.timer ??= setTimeout(() => flushBatch(client), BATCH_MS);
}

function flushBatch(client: Client): void {
  const batch = client.batch;
  if (batch === null) return;
  if (batch.timer !== null) clearTimeout(batch.timer);
  batch.timer = null;
  if (batch.alerts.length === 0) return;
  const frame = JSON.stringify({ type: 'alerts', cursor: batch.cursor, alerts: batch.alerts });
  batch.alerts = [];
  if (client.socket.readyState === client.socket.OPEN) client.socket.send(frame);
}

/** Any frame but an alert: what waits in the batch goes first, so the order is kept. */
function sendFrame(client: Client, frame: string): void {
  flushBatch(client);
  client.socket.send(frame);
}
