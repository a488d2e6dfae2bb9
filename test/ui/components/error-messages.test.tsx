// @vitest-environment jsdom
// Issue 10: what the console says when a request fails, in the user's language. The
// errors come from Vigil's real HTTP error handler (core/http/create-http-server.ts)
// throwing its real typed errors (core/errors.ts) and the real query parser, read by
// the console's real API client; the message is picked by the error's code, keeps the
// server's detail where the user needs it (a refused query's column and what is there,
// the role a refusal names) and says nothing the user cannot use (a 500's text). Also
// the shared copy and confirm buttons, which said "Copy" and "Cancel" in English on
// the Vietnamese console.
import type { AddressInfo } from 'node:net';
import { act, cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { FastifyInstance } from 'fastify';
import { useTranslation, I18nextProvider } from 'react-i18next';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BadInputError, ForbiddenError, NotFoundError, RateLimitedError, UnavailableError } from '../../../core/errors.ts';
import { createHttpServer } from '../../../core/http/create-http-server.ts';
import { createLogger } from '../../../core/log.ts';
import { createMetrics } from '../../../core/metrics.ts';
import { parseEventQuery } from '../../../core/query/event-query.ts';
import { ConfirmButton } from '../../../ui/src/components/ui/confirm-button.tsx';
import { CopyButton } from '../../../ui/src/components/ui/copy-button.tsx';
import { ErrorLine } from '../../../ui/src/components/ui/error-line.tsx';
import { i18n, setLanguage } from '../../../ui/src/i18n/i18n.ts';
import { apiRequest, describeError } from '../../../ui/src/lib/api-client.ts';
import { describeFailure } from '../../../ui/src/lib/error-message.ts';

let server: FastifyInstance;
let realFetch: typeof fetch;

beforeAll(async () => {
  server = createHttpServer({ log: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }), readiness: async () => null });
  server.get('/api/v1/events', async (request) => {
    parseEventQuery(String((request.query as { q?: string }).q ?? ''));
    return { items: [] };
  });
  server.patch('/api/v1/rules/library/alpha', async () => {
    throw new ForbiddenError('a rule runs for every unit: only a SOC-wide analyst or admin may switch it', 'api');
  });
  server.post('/api/v1/auth/password', async () => {
    throw new BadInputError('the current password is wrong', 'api', { field: 'oldPassword' });
  });
  server.post('/api/v1/alerts/triage', async () => {
    throw new BadInputError('invalid body: note: at most 2000 characters', 'api');
  });
  server.get('/api/v1/alerts/nope', async () => {
    throw new NotFoundError('no alert nope', 'api');
  });
  server.post('/api/v1/auth/login', async () => {
    throw new RateLimitedError('too many failed sign-ins; try again in 7 s', 'api', 7);
  });
  server.get('/api/v1/health', async () => {
    throw new UnavailableError('the detect stage did not answer within 5000 ms', 'api');
  });
  server.get('/api/v1/boom', async () => {
    throw new Error('SQLITE_CORRUPT: database disk image is malformed');
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const origin = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  realFetch = globalThis.fetch;
  // The console calls same-origin paths; send them to this server.
  vi.stubGlobal('fetch', (input: string, init: RequestInit = {}) => realFetch(new URL(input, origin), { method: init.method, headers: init.headers, body: init.body }));
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await server.close();
  await setLanguage('en');
});
afterEach(cleanup);

/** The error a request ends with. */
async function failure(path: string, options: Parameters<typeof apiRequest>[1] = {}): Promise<unknown> {
  return apiRequest(path, options).then(
    () => {
      throw new Error(`${path} did not fail`);
    },
    (error: unknown) => error,
  );
}

/** A screen's error line, as every feature renders one. */
function Shown({ error }: { error: unknown }) {
  useTranslation();
  return <ErrorLine message={describeError(error)} />;
}

function shown(error: unknown): string {
  render(
    <I18nextProvider i18n={i18n}>
      <Shown error={error} />
    </I18nextProvider>,
  );
  const text = screen.getByRole('alert').textContent ?? '';
  cleanup();
  return text;
}

describe('server errors in the user’s language', () => {
  it('a refused query: its column, what is there, and the server’s reason without the repeats', async () => {
    const error = await failure('/events', { query: { q: 'host.name:PC-1 OR' } });
    await setLanguage('vi');
    expect(shown(error)).toBe('Truy vấn không hợp lệ ở cột 16, tại “OR”: OR needs a term after it');
    await setLanguage('en');
    expect(shown(error)).toBe('Invalid query at column 16, at “OR”: OR needs a term after it');

    const unclosed = await failure('/events', { query: { q: 'a AND (b OR c' } });
    expect(shown(unclosed)).toBe('Invalid query at column 7, at “(”: the "(" is never closed');
    const quote = await failure('/events', { query: { q: 'message:"half' } });
    await setLanguage('vi');
    expect(shown(quote)).toBe('Truy vấn không hợp lệ ở cột 9, tại “"”: unterminated quote');
    // A space is not quoted; the column says where.
    const space = await failure('/events', { query: { q: 'host.name: PC' } });
    expect(shown(space)).toBe('Truy vấn không hợp lệ ở cột 11: missing value after "host.name:"');
    const end = await failure('/events', { query: { q: 'destination.port >=' } });
    expect(shown(end)).toBe('Truy vấn không hợp lệ ở cột 20, ở cuối truy vấn: missing value after "destination.port >="');
  });

  it('a refused body (400) keeps the server’s reason; a wrong current password is said outright', async () => {
    const body = await failure('/alerts/triage', { method: 'POST', body: { ids: [] } });
    await setLanguage('vi');
    expect(shown(body)).toBe('Máy chủ từ chối yêu cầu: invalid body: note: at most 2000 characters');
    const password = await failure('/auth/password', { method: 'POST', body: {} });
    expect(shown(password)).toBe('Mật khẩu hiện tại không đúng.');
    await setLanguage('en');
    expect(shown(password)).toBe('The current password is wrong.');
  });

  it('a refusal (403) names what the server said is missing; a missing thing (404) names it', async () => {
    const forbidden = await failure('/rules/library/alpha', { method: 'PATCH', body: { enabled: false } });
    await setLanguage('vi');
    expect(shown(forbidden)).toBe('Bạn không có quyền làm việc này: a rule runs for every unit: only a SOC-wide analyst or admin may switch it');
    await setLanguage('en');
    expect(shown(forbidden)).toBe('You are not allowed to do this: a rule runs for every unit: only a SOC-wide analyst or admin may switch it');
    const missing = await failure('/alerts/nope');
    expect(shown(missing)).toBe('Not found: no alert nope');
  });

  it('too many requests (429) and a dependency down (503) say how long to wait, from Retry-After', async () => {
    const limited = await failure('/auth/login', { method: 'POST', body: {} });
    await setLanguage('vi');
    expect(shown(limited)).toBe('Quá nhiều yêu cầu. Hãy thử lại sau 7 giây.');
    await setLanguage('en');
    expect(shown(limited)).toBe('Too many requests. Try again in 7 s.');

    const unavailable = await failure('/health');
    expect(shown(unavailable)).toBe('The server cannot do this right now (the detect stage did not answer within 5000 ms). Try again in 5 s.');
    await setLanguage('vi');
    expect(shown(unavailable)).toBe('Máy chủ tạm thời chưa làm được việc này (the detect stage did not answer within 5000 ms). Hãy thử lại sau 5 giây.');
  });

  it('a server failure (500) and an unreachable server say so, with nothing the user cannot use', async () => {
    const internal = await failure('/boom');
    await setLanguage('vi');
    expect(shown(internal)).toBe('Máy chủ gặp lỗi khi xử lý yêu cầu này; nhật ký máy chủ ghi rõ nguyên nhân.');
    await setLanguage('en');
    expect(shown(internal)).toBe('The server failed on this request; its log says why.');

    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('fetch failed')));
    try {
      const unreachable = await failure('/events');
      expect(shown(unreachable)).toBe('Cannot reach the Vigil server. Check the network and try again.');
      await setLanguage('vi');
      expect(shown(unreachable)).toBe('Không kết nối được tới máy chủ Vigil. Hãy kiểm tra mạng rồi thử lại.');
    } finally {
      vi.stubGlobal('fetch', (input: string, init: RequestInit = {}) => realFetch(new URL(input, `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`), { method: init.method, headers: init.headers, body: init.body }));
    }
  });

  it('a failed item of a bulk triage is said the same way', async () => {
    await setLanguage('vi');
    expect(describeFailure({ code: 'not_found', message: 'no alert a-17' })).toBe('Không tìm thấy: no alert a-17');
    await setLanguage('en');
    expect(describeFailure({ code: 'forbidden', message: 'this needs the role admin or analyst; you are viewer' })).toBe(
      'You are not allowed to do this: this needs the role admin or analyst; you are viewer',
    );
  });

  it('a message on screen follows a language switch', async () => {
    const error = await failure('/alerts/nope');
    await setLanguage('vi');
    render(
      <I18nextProvider i18n={i18n}>
        <Shown error={error} />
      </I18nextProvider>,
    );
    expect(screen.getByRole('alert').textContent).toBe('Không tìm thấy: no alert nope');
    await act(() => setLanguage('en'));
    expect(screen.getByRole('alert').textContent).toBe('Not found: no alert nope');
  });
});

describe('shared buttons in the user’s language', () => {
  const mount = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

  it('the copy button says copy, copied, or what to press when the browser refuses', async () => {
    await setLanguage('vi');
    const user = userEvent.setup();
    mount(<CopyButton text="vk_secret" label="Sao chép khóa" />);
    const button = screen.getByRole('button', { name: 'Sao chép khóa' });
    expect(button.textContent).toBe('Sao chép');
    await user.click(button);
    expect(button.textContent).toBe('Đã sao chép');
    expect(await navigator.clipboard.readText()).toBe('vk_secret');
    await act(() => setLanguage('en'));
    expect(button.textContent).toBe('Copied');
    cleanup();

    mount(<CopyButton text="vk_secret" label="Copy the key" />);
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValueOnce(new DOMException('denied', 'NotAllowedError'));
    await user.click(screen.getByRole('button', { name: 'Copy the key' }));
    expect(screen.getByRole('button', { name: 'Copy the key' }).textContent).toBe('Selected: press Ctrl+C');
    await act(() => setLanguage('vi'));
    expect(screen.getByRole('button', { name: 'Copy the key' }).textContent).toBe('Đã chọn: nhấn Ctrl+C');
  });

  it('the confirm button’s cancel is translated', async () => {
    await setLanguage('vi');
    const user = userEvent.setup();
    mount(<ConfirmButton label="Thu hồi" question="Thu hồi tác tử?" confirmLabel="Thu hồi tác tử" onConfirm={() => undefined} />);
    await user.click(screen.getByRole('button', { name: 'Thu hồi' }));
    expect(screen.getByRole('button', { name: 'Hủy' })).toBeTruthy();
    await act(() => setLanguage('en'));
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });
});
