// Renders the real console (the app's route table, providers, i18n) in jsdom against a
// real all-in-one Vigil (a child process: ingest, detect, store, API and the WebSocket
// hub; jsdom's module environment cannot host the store's worker threads). The
// browser's same-origin fetch and WebSocket are pointed at that server, with a cookie
// jar standing in for the browser's: the only glue between jsdom and a real server,
// nothing about the API is faked.
import { configure, render, type RenderResult } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import WS from 'ws';
import { vi } from 'vitest';
import { AppProviders } from '../../../ui/src/app/app.tsx';
import { createQueryClient } from '../../../ui/src/app/query-client.ts';
import { appRoutes } from '../../../ui/src/app/routes.tsx';
import { resetStreamState } from '../../../ui/src/lib/stream-state.ts';
import { signIn, startVigil, type StartOptions, type VigilProcess } from '../../support/start-vigil.ts';

export const PASSWORD = 'a-good-password-1';

// A real server on a machine shared with other test runs: give answers time to arrive.
configure({ asyncUtilTimeout: 20_000 });

export interface ConsoleHarness {
  vigil: VigilProcess;
  /** The bootstrap admin's session, for setting things up through the API. */
  adminCookie: string;
  /** A JSON request to the API as `cookie` (the admin by default); answers the parsed body. */
  call(method: string, path: string, body?: unknown, cookie?: string): Promise<{ status: number; body: unknown }>;
  /** Posts events as the bootstrap agent; answers when they are searchable. */
  postEvents(events: readonly object[], searchQ: string): Promise<void>;
  createUser(username: string, role: 'admin' | 'analyst' | 'viewer', units: 'all' | string[]): Promise<void>;
  /** The browser's cookies for the API (the session cookie once signed in). */
  cookies: Map<string, string>;
  /** Signs `username` (password PASSWORD, or the admin's) in without the form: a cookie in the jar. */
  signInAs(username: string): Promise<void>;
  /** Mounts the console at `url`, as a page load (a reload is unmount + mountAt). */
  mountAt(url: string): { view: RenderResult; router: ReturnType<typeof createMemoryRouter> };
  close(): Promise<void>;
}

function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** `options` start Vigil with a data dir or environment of the test's (a notify.yml, say). */
export async function startConsoleHarness(options: StartOptions = {}): Promise<ConsoleHarness> {
  const vigil = await startVigil(options);
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${vigil.url}/readyz`).then((r) => r.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`Vigil never became ready:\n${vigil.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const api = { url: vigil.url };
  const adminCookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
  const cookies = new Map<string, string>();
  const realFetch = globalThis.fetch;

  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname + input.search : input.url;
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('Cookie', cookieHeader(cookies));
    const res = await realFetch(new URL(path, api.url), { method: init.method, headers, body: init.body, signal: init.signal });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attrs.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value.join('=') === '') cookies.delete(name!.trim());
      else cookies.set(name!.trim(), value.join('='));
    }
    return res;
  });

  class ConsoleSocket extends WS {
    constructor(url: string | URL) {
      const { pathname } = new URL(String(url));
      super(`${api.url.replace(/^http/, 'ws')}${pathname}`, { headers: { Cookie: cookieHeader(cookies) } });
      // A browser's socket reports failures through onerror/onclose and never throws;
      // ws emits 'error' (an uncaught throw without a listener), e.g. closing mid-handshake.
      this.on('error', () => undefined);
    }
  }
  vi.stubGlobal('WebSocket', ConsoleSocket);

  const mounted: RenderResult[] = [];
  const call: ConsoleHarness['call'] = async (method, path, body, cookie = adminCookie) => {
    const res = await realFetch(`${vigil.url}${path}`, {
      method,
      headers: { Cookie: cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };

  return {
    vigil,
    adminCookie,
    cookies,
    call,
    async createUser(username, role, units) {
      const res = await call('POST', '/api/v1/users', { username, password: PASSWORD, role, units });
      if (res.status !== 201 && res.status !== 200) throw new Error(`creating ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async postEvents(events, searchQ) {
      const res = await realFetch(`${vigil.url}/api/v1/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${vigil.agentKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(events),
      });
      if (res.status !== 202) throw new Error(`posting events: ${res.status} ${await res.text()}`);
      const until = Date.now() + 30_000;
      for (;;) {
        const found = await call('GET', `/api/v1/events?q=${encodeURIComponent(searchQ)}`);
        if ((found.body as { total?: number }).total === events.length) return;
        if (Date.now() > until) throw new Error(`events never became searchable: ${JSON.stringify(found.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async signInAs(username) {
      const cookie = await signIn(vigil.url, username, username === 'admin' ? vigil.adminPassword : PASSWORD);
      const [name, value] = cookie.split('=');
      cookies.set(name!, value!);
    },
    mountAt(url) {
      resetStreamState();
      const router = createMemoryRouter(appRoutes, { initialEntries: [url] });
      const view = render(
        <AppProviders queryClient={createQueryClient()}>
          <RouterProvider router={router} />
        </AppProviders>,
      );
      mounted.push(view);
      return { view, router };
    },
    async close() {
      for (const view of mounted) view.unmount();
      vi.unstubAllGlobals();
      await vigil.stop();
    },
  };
}
