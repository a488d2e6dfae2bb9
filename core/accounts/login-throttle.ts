// Failed-login throttling, per username and per client address: after `maxFailures`
// failures within `windowMs`, further attempts are refused (429 with Retry-After) until
// the oldest failure leaves the window, before any password is hashed. A success clears
// the username's count, not the address's, so one valid account cannot launder guesses
// at others from the same address. The counts live in this process's memory: in a
// cluster each api process throttles on its own (the audit log still records every
// failure), and a restart forgets them.

export interface LoginThrottle {
  /** Seconds to wait before `username` may try again from `address`, or 0 when it may now. */
  retryAfterSeconds(username: string, address: string): number;
  recordFailure(username: string, address: string): void;
  recordSuccess(username: string): void;
}

/** Keys remembered at most; beyond it the stalest are forgotten, so a spray of names cannot grow memory without end. */
const MAX_KEYS = 100_000;

export function createLoginThrottle(options: { maxFailures: number; windowMs: number; now?: () => number }): LoginThrottle {
  const now = options.now ?? Date.now;
  // Key -> failure times, oldest first. A Map iterates in insertion order, which keeps
  // eviction of the stalest key cheap (re-inserted on every failure).
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const times = failures.get(key);
    if (!times) return [];
    const cutoff = now() - options.windowMs;
    while (times.length > 0 && times[0]! <= cutoff) times.shift();
    if (times.length === 0) failures.delete(key);
    return times;
  };
  const waitFor = (key: string): number => {
    const times = recent(key);
    if (times.length < options.maxFailures) return 0;
    // Free again when enough old failures have left the window.
    const freeAt = times[times.length - options.maxFailures]! + options.windowMs;
    return Math.max(1, Math.ceil((freeAt - now()) / 1000));
  };
  const add = (key: string) => {
    const times = recent(key);
    failures.delete(key);
    times.push(now());
    // Never more than needed to decide.
    if (times.length > options.maxFailures) times.splice(0, times.length - options.maxFailures);
    failures.set(key, times);
    while (failures.size > MAX_KEYS) failures.delete(failures.keys().next().value!);
  };

  return {
    retryAfterSeconds(username, address) {
      return Math.max(waitFor(`user:${username.toLowerCase()}`), waitFor(`addr:${address}`));
    },
    recordFailure(username, address) {
      add(`user:${username.toLowerCase()}`);
      add(`addr:${address}`);
    },
    recordSuccess(username) {
      failures.delete(`user:${username.toLowerCase()}`);
    },
  };
}
