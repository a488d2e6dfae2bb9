// Real local receivers for the notification tests: an HTTP receiver that records every
// request (path, headers, raw body) and can be switched to answer 500 or be closed and
// reopened on the same port (an outage and its return); and an SMTP server (smtp-server)
// that keeps every message it is given, with its envelope.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  url: string;
  /** Requests answered 2xx, in arrival order. */
  received: ReceivedRequest[];
  /** Every request, failed ones included. */
  seen: number;
  /** 'ok' answers `answer` (default 200 `{"ok":true}`), 'fail' answers 500. */
  mode: 'ok' | 'fail';
  answer: (request: ReceivedRequest) => { status: number; body: string };
  /** Milliseconds each answer waits (a slow receiver: sends overlap). */
  delayMs: number;
  /** Stops listening (connections are refused) until reopen(). */
  close(): Promise<void>;
  reopen(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  let port = 0;
  let server: http.Server;
  const receiver: HttpReceiver = {
    url: '',
    received: [],
    seen: 0,
    mode: 'ok',
    answer: () => ({ status: 200, body: '{"ok":true}' }),
    delayMs: 0,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
    reopen: () => listen(port),
  };
  const listen = (at: number) =>
    new Promise<void>((resolve) => {
      server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          receiver.seen += 1;
          const got = { path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
          if (receiver.mode === 'fail') {
            response.writeHead(500).end('receiver down');
            return;
          }
          const reply = () => {
            const { status, body } = receiver.answer(got);
            if (status < 300) receiver.received.push(got);
            response.writeHead(status, { 'content-type': 'application/json' }).end(body);
          };
          if (receiver.delayMs > 0) setTimeout(reply, receiver.delayMs);
          else reply();
        });
      });
      server.keepAliveTimeout = 1;
      server.listen(at, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        receiver.url = `http://127.0.0.1:${port}`;
        resolve();
      });
    });
  await listen(0);
  return receiver;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpReceiver {
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
