// @vitest-environment jsdom
// Issue 10, defect 7: after the server came back the console took up to 15 s to
// reconnect, with no "retry now", and nothing said the list was stale. The alert
// stream (ui/src/lib/alert-stream.ts) against a real WebSocket server that goes away
// and comes back on the same port: the banner and the stale mark appear, an automatic
// attempt comes within the 2.5 s cap, and "Retry now" connects before the next one.
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { AddressInfo } from 'node:net';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import WS, { WebSocketServer } from 'ws';
import { StreamBanner } from '../../../ui/src/components/stream-banner.tsx';
import { i18n, setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { AlertStream } from '../../../ui/src/lib/alert-stream.ts';
import { getStreamState, isStale, resetStreamState, useStreamState } from '../../../ui/src/lib/stream-state.ts';

/** What an alert list shows from the shared stream state (the alerts feature reads the same hook). */
function Probe() {
  const state = useStreamState();
  return <output aria-label="probe">{`${state.status}${isStale(state) ? ' stale' : ''}`}</output>;
}

let server: WebSocketServer;
let port = 0;
let stream: AlertStream | null = null;

function startServer(): Promise<void> {
  server = new WebSocketServer({ host: '127.0.0.1', port });
  server.on('connection', (socket) => socket.send(JSON.stringify({ type: 'ready', cursor: 'c1' })));
  return new Promise((resolve) =>
    server.once('listening', () => {
      port = (server.address() as AddressInfo).port;
      resolve();
    }),
  );
}

function stopServer(): Promise<void> {
  for (const client of server.clients) client.terminate();
  return new Promise((resolve) => server.close(() => resolve()));
}

beforeEach(async () => {
  await setLanguage('en');
  resetStreamState();
  class BrowserLikeSocket extends WS {
    constructor(url: string | URL) {
      super(String(url));
      this.on('error', () => undefined); // browsers report through onclose, never throw
    }
  }
  vi.stubGlobal('WebSocket', BrowserLikeSocket);
  port = 0;
  await startServer();
});

afterEach(async () => {
  stream?.stop();
  stream = null;
  cleanup();
  vi.unstubAllGlobals();
  await stopServer().catch(() => undefined);
});

function mount() {
  render(
    <I18nextProvider i18n={i18n}>
      <StreamBanner />
      <Probe />
    </I18nextProvider>,
  );
  stream = new AlertStream({ onAlert: () => undefined, url: `ws://127.0.0.1:${port}/api/v1/stream` });
  act(() => stream!.start());
}

it('marks the list stale with a banner while the server is away, and reconnects within about 2.5 s of its return', async () => {
  mount();
  await waitFor(() => expect(screen.getByLabelText('probe').textContent).toBe('live'));
  expect(screen.queryByRole('alert')).toBeNull();

  await stopServer();
  await waitFor(() => expect(screen.getByLabelText('probe').textContent).toBe('reconnecting stale'), { timeout: 5000 });
  const banner = screen.getByRole('alert');
  expect(banner.textContent).toMatch(/^Live updates lost \d\d:\d\d:\d\d \S+\. The alert list may be out of date\./);
  expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy();

  // Down long enough for the backoff to reach its cap, then back.
  await waitFor(() => expect(getStreamState().failedAttempts).toBeGreaterThanOrEqual(5), { timeout: 15_000 });
  await startServer();
  const back = Date.now();
  await waitFor(() => expect(screen.getByLabelText('probe').textContent).toBe('live'), { timeout: 6000 });
  // The cap is 2.5 s with ±20% jitter: never the old 15 s.
  expect(Date.now() - back).toBeLessThan(3500);
  expect(screen.queryByRole('alert')).toBeNull();
}, 40_000);

it('connects at once on "Retry now", before the next scheduled attempt', async () => {
  mount();
  await waitFor(() => expect(screen.getByLabelText('probe').textContent).toBe('live'));
  await stopServer();
  await waitFor(() => expect(getStreamState().failedAttempts).toBeGreaterThanOrEqual(5), { timeout: 15_000 });
  await startServer();
  // Click right after an attempt was scheduled, so the next one is seconds away.
  await waitFor(() => expect((getStreamState().nextRetryAt ?? 0) - Date.now()).toBeGreaterThan(1500), { timeout: 10_000 });
  const scheduledFor = getStreamState().nextRetryAt!;
  await userEvent.click(screen.getByRole('button', { name: 'Retry now' }));
  await waitFor(() => expect(screen.getByLabelText('probe').textContent).toBe('live'), { timeout: 3000 });
  expect(Date.now()).toBeLessThan(scheduledFor);
}, 40_000);
