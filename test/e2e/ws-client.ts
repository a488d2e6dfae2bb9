// A minimal console stand-in for tests: connects to the alert stream with a session
// cookie and collects frames, so tests can wait for the alerts a console would see.
import WebSocket from 'ws';

export interface StreamFrame {
  type: string;
  cursor?: string;
  alert?: { id: string; rule: { id: string; title: string }; organization: { id: string }; status: string; host: { name?: string } };
  message?: string;
}

export interface StreamClient {
  frames: StreamFrame[];
  send(frame: unknown): void;
  waitFor(predicate: (frames: StreamFrame[]) => boolean, timeoutMs?: number): Promise<StreamFrame[]>;
  close(): Promise<void>;
}

export async function connectStream(url: string, cookie: string): Promise<StreamClient> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream`, { headers: { Cookie: cookie } });
  const frames: StreamFrame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as StreamFrame));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`stream refused: HTTP ${res.statusCode}`)));
  });
  return {
    frames,
    send: (frame) => socket.send(JSON.stringify(frame)),
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(frames)) {
        if (Date.now() > deadline) throw new Error(`stream frames not as expected: ${JSON.stringify(frames).slice(0, 2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return frames;
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
}
