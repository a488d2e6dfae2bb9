// Password hashing with a bound on how many scrypt computations run at once. scrypt runs
// on libuv's small thread pool (4 threads by default), which gzip/zlib decoding of agent
// posts shares: 40 parallel logins would otherwise hold every thread and stall ingest.
// Hashes beyond the bound wait in a queue, in arrival order.
import { hashPassword, verifyPassword } from './secrets.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** Hashes computing now and waiting now; the most that ever computed at once. */
  stats(): { active: number; queued: number; peakActive: number };
}

export function createPasswordHasher(options: { concurrency: number }): PasswordHasher {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  let active = 0;
  let peakActive = 0;
  const waiting: Array<() => void> = [];

  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    // A slot is ours here: either taken above, or handed over by the finishing holder.
    peakActive = Math.max(peakActive, active);
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };

  return {
    hash: (password) => run(() => hashPassword(password)),
    verify: (password, stored) => run(() => verifyPassword(password, stored)),
    stats: () => ({ active, queued: waiting.length, peakActive }),
  };
}
