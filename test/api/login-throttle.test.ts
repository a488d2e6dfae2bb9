// The login throttle on a clock the test controls: Retry-After counts down to the moment
// the oldest failure leaves the window, the window forgets, and a sprayed address is
// limited on its own. (The HTTP behaviour, 429 with Retry-After, is in sessions-end.test.ts.)
import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../core/accounts/login-throttle.ts';

describe('login throttle', () => {
  it('answers how long to wait until the oldest failure leaves the window, then lets the user try again', () => {
    let now = 1_000_000;
    const throttle = createLoginThrottle({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (const at of [0, 10_000, 20_000]) {
      now = 1_000_000 + at;
      expect(throttle.retryAfterSeconds('officer', '10.0.0.1')).toBe(0);
      throttle.recordFailure('officer', '10.0.0.1');
    }
    now = 1_000_000 + 30_000;
    expect(throttle.retryAfterSeconds('officer', '10.0.0.2')).toBe(30);
    expect(throttle.retryAfterSeconds('OFFICER', '10.0.0.2')).toBe(30);
    now = 1_000_000 + 59_500;
    expect(throttle.retryAfterSeconds('officer', '10.0.0.2')).toBe(1);
    now = 1_000_000 + 60_001;
    expect(throttle.retryAfterSeconds('officer', '10.0.0.2')).toBe(0);
    // One more failure brings it back to the limit until the second-oldest leaves.
    throttle.recordFailure('officer', '10.0.0.2');
    expect(throttle.retryAfterSeconds('officer', '10.0.0.3')).toBe(10);
  });

  it('limits an address across usernames, and a success clears only the username', () => {
    let now = 0;
    const throttle = createLoginThrottle({ maxFailures: 2, windowMs: 60_000, now: () => now });
    throttle.recordFailure('a', '10.0.0.9');
    throttle.recordFailure('b', '10.0.0.9');
    expect(throttle.retryAfterSeconds('c', '10.0.0.9')).toBe(60);
    expect(throttle.retryAfterSeconds('c', '10.0.0.8')).toBe(0);
    throttle.recordSuccess('c');
    expect(throttle.retryAfterSeconds('c', '10.0.0.9')).toBe(60);
    now = 61_000;
    expect(throttle.retryAfterSeconds('c', '10.0.0.9')).toBe(0);
  });
});
