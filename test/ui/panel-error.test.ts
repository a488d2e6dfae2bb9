// The Events view's side panels stay quiet about a query the server refused (the
// search box reports it, once, at its column) and speak up about their own failures.
import { beforeAll, describe, expect, it } from 'vitest';
import { panelErrorMessage } from '../../ui/src/features/events/components/panel-error.ts';
import { setLanguage } from '../../ui/src/i18n/i18n.ts';
import { ApiError } from '../../ui/src/lib/api-client.ts';

beforeAll(async () => {
  await setLanguage('en');
});

describe('panelErrorMessage', () => {
  it('shows nothing while the request has not failed', () => {
    expect(panelErrorMessage(null)).toBeNull();
    expect(panelErrorMessage(undefined)).toBeNull();
  });

  it('leaves a refused query (400) to the search box', () => {
    expect(panelErrorMessage(new ApiError(400, 'bad_input', 'q: OR at column 18 needs a term after it'))).toBeNull();
  });

  it("says the panel's own failures: an unreachable server, a refusal of access, a server error", () => {
    expect(panelErrorMessage(new ApiError(0, 'network_error', 'Cannot reach the Vigil server'))).toBe('Cannot reach the Vigil server. Check the network and try again.');
    expect(panelErrorMessage(new ApiError(403, 'forbidden', 'not your unit'))).toContain('not your unit');
    expect(panelErrorMessage(new ApiError(503, 'unavailable', 'the search store is not answering'))).toContain('not answering');
  });
});
