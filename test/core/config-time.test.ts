// Time settings: the future-time tolerance must stay within the correlation lateness,
// or a clamped event from one agent's fast clock could still make other units' events late.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.ts';

describe('time configuration', () => {
  it('defaults to 5 minutes of future tolerance and 60 s before an idle partition is advanced', () => {
    expect(loadConfig({}).time).toEqual({ futureToleranceMs: 300_000, sourceIdleMs: 60_000 });
  });

  it('lowers the default tolerance to a smaller lateness instead of failing', () => {
    expect(loadConfig({ VIGIL_CORRELATION_LATENESS_SECONDS: '30' }).time.futureToleranceMs).toBe(30_000);
  });

  it('refuses an explicit tolerance larger than the lateness, naming both settings', () => {
    let error: unknown;
    try {
      loadConfig({ VIGIL_FUTURE_TOLERANCE_SECONDS: '1200', VIGIL_CORRELATION_LATENESS_SECONDS: '900' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'VIGIL_FUTURE_TOLERANCE_SECONDS: 1200 must not exceed VIGIL_CORRELATION_LATENESS_SECONDS (900)',
    ]);
  });
});
