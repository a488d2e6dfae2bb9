// WebSocket client for /api/v1/stream. The server opens with {type:'ready', cursor} and
// then sends {type:'alert', cursor, alert} for every new or updated alert. We remember
// the last cursor we processed; after a reconnect we send {type:'resume', cursor} and
// the server replays every alert after it before going live again, so a dropped
// connection loses nothing. Reconnects back off exponentially (with jitter) but never
// wait more than appConfig.reconnect.maxDelayMs (2.5 s: a restarted server is back in
// seconds and analysts should not wait 15 s to see it), jump the queue when the browser
// comes back online, and can be asked for at once (retryNow, the banner's "retry now").
// The connection state is published to lib/stream-state.ts for the whole console.
import { z } from 'zod';
import { appConfig } from '../config/app-config.ts';
import { publishStreamState, setStreamRetry, type StreamStatus } from './stream-state.ts';

export type { StreamStatus } from './stream-state.ts';

const frameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), cursor: z.string().min(1) }),
  z.object({ type: z.literal('alert'), cursor: z.string().min(1), alert: z.unknown() }),
  // Batched (a URL with ?batch=1): several alerts, `cursor` after the last of them.
  z.object({ type: z.literal('alerts'), cursor: z.string().min(1), alerts: z.array(z.unknown()) }),
  z.object({ type: z.literal('error'), message: z.string().default('stream error') }),
]);
const frameTypeSchema = z.object({ type: z.string() });

export interface AlertStreamOptions {
  /** Called for each alert frame, in order; the payload is validated by the caller. */
  onAlert: (alert: unknown) => void;
  onStatus?: (status: StreamStatus) => void;
  /**
   * Called on every `ready`. `resumed` is false only on the first session, whose cursor
   * marks "now": load the REST snapshot then; when true the server is replaying
   * what was missed and no reload is needed.
   */
  onReady?: (info: { resumed: boolean }) => void;
  /**
   * The server refused something we sent (e.g. a resume cursor it cannot decode). The
   * stream stays open and live, but alerts may have been missed: reload the snapshot.
   */
  onServerError?: (message: string) => void;
  /** Called after a connection attempt failed or dropped; e.g. to check the session. */
  onDisconnect?: (failedAttempts: number) => void;
  /** Overrides the stream URL (tests). */
  url?: string;
}

function defaultStreamUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${appConfig.streamPath}`;
}

export class AlertStream {
  private socket: WebSocket | null = null;
  private lastCursor: string | null = null;
  private failedAttempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private status: StreamStatus = 'closed';
  private readonly url: string;

  constructor(private readonly options: AlertStreamOptions) {
    this.url = options.url ?? defaultStreamUrl();
  }

  /** The cursor of the last alert processed (or the first `ready`), kept in memory only. */
  get cursor(): string | null {
    return this.lastCursor;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.handleOnline);
    setStreamRetry(this.retryNow);
    publishStreamState({ status: 'connecting', offlineSince: null, nextRetryAt: null, failedAttempts: 0 });
    this.setStatus('connecting');
    this.connect();
  }

  /** Connects now instead of waiting for the next scheduled attempt. */
  readonly retryNow = (): void => {
    if (this.stopped || this.socket !== null) return;
    this.connect();
  };

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.handleOnline);
    setStreamRetry(null);
    this.clearRetry();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      this.detach(socket);
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(1000, 'console closed');
      }
    }
    this.setStatus('closed');
    publishStreamState({ status: 'closed', offlineSince: null, nextRetryAt: null, failedAttempts: 0 });
  }

  private connect(): void {
    this.clearRetry();
    publishStreamState({ nextRetryAt: null });
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (ev: MessageEvent) => this.handleMessage(socket, ev);
    socket.onclose = () => this.handleClose(socket);
    // An error is always followed by close; reconnecting happens there.
    socket.onerror = () => undefined;
  }

  private handleMessage(socket: WebSocket, ev: MessageEvent): void {
    if (socket !== this.socket || typeof ev.data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(ev.data);
    } catch {
      console.warn('vigil stream: ignoring a frame that is not JSON');
      return;
    }
    const parsed = frameSchema.safeParse(json);
    if (!parsed.success) {
      const type = frameTypeSchema.safeParse(json);
      console.warn(`vigil stream: ignoring frame of type ${type.success ? type.data.type : 'unknown'}`);
      return;
    }
    const frame = parsed.data;
    if (frame.type === 'ready') {
      this.failedAttempts = 0;
      const resumed = this.lastCursor !== null;
      if (resumed) {
        // Ask for everything after the last alert we processed. Our cursor only moves
        // with alert frames from here on: if this connection drops mid-replay, the next
        // resume starts where the replay had got to.
        socket.send(JSON.stringify({ type: 'resume', cursor: this.lastCursor }));
      } else {
        this.lastCursor = frame.cursor;
      }
      this.setStatus('live');
      this.options.onReady?.({ resumed });
      return;
    }
    if (frame.type === 'error') {
      console.warn(`vigil stream: server says: ${frame.message}`);
      this.options.onServerError?.(frame.message);
      return;
    }
    this.lastCursor = frame.cursor;
    if (frame.type === 'alerts') for (const alert of frame.alerts) this.options.onAlert(alert);
    else this.options.onAlert(frame.alert);
  }

  private handleClose(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.detach(socket);
    this.socket = null;
    if (this.stopped) return;
    this.failedAttempts += 1;
    publishStreamState({ failedAttempts: this.failedAttempts });
    this.setStatus('reconnecting');
    this.options.onDisconnect?.(this.failedAttempts);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.clearRetry();
    const { initialDelayMs, maxDelayMs } = appConfig.reconnect;
    const exp = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, this.failedAttempts - 1));
    const delay = Math.round(exp * (0.8 + Math.random() * 0.4));
    publishStreamState({ nextRetryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private readonly handleOnline = (): void => {
    if (!this.stopped && this.retryTimer !== null) this.connect();
  };

  private clearRetry(): void {
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }

  private detach(socket: WebSocket): void {
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  private setStatus(status: StreamStatus): void {
    if (status === this.status) return;
    const wasLive = this.status === 'live';
    this.status = status;
    if (status === 'live') publishStreamState({ status, offlineSince: null, nextRetryAt: null, failedAttempts: 0 });
    else if (status !== 'closed') publishStreamState(wasLive ? { status, offlineSince: Date.now() } : { status });
    this.options.onStatus?.(status);
  }
}
