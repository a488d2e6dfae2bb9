// One member per consumer group per data dir on the embedded bus. The embedded log has
// no group coordinator: two processes consuming as `vigil-detect` (or as
// `vigil-correlate`) from one data dir would each handle every record, and two
// correlators would both own every partition's state. So a process that consumes a
// group takes its lock file, <dataDir>/<group>.lock, holding its host and pid; a lock
// whose process is gone (a SIGKILL, a power loss) is taken over. Scaling a stage out
// is what the Kafka bus is for.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config.ts';

export interface DataDirLock {
  release(): void;
}

interface Holder {
  host: string;
  pid: number;
  what: string;
}

export function lockDataDir(dataDir: string, group: string, what: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `${group}.lock`);
  const me: Holder = { host: os.hostname(), pid: process.pid, what };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      return { release: () => releaseIfMine(file, me) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder !== undefined && isAlive(holder)) {
      throw new ConfigError([
        `VIGIL_DATA_DIR: ${holder.what} (pid ${holder.pid} on ${holder.host}) already consumes ${group} from ${dataDir}; ` +
          'the embedded bus takes one member per group and data dir (scale out with VIGIL_BUS=kafka). ' +
          `If that process is gone, delete ${file}.`,
      ]);
    }
    // Its process is gone: take the lock over.
    fs.rmSync(file, { force: true });
  }
  throw new ConfigError([`VIGIL_DATA_DIR: cannot take ${file}; another process keeps creating it`]);
}

function readHolder(file: string): Holder | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Holder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') return { host: value.host, pid: value.pid, what: String(value.what ?? 'another process') };
  } catch {
    // Unreadable or half-written (a crash while writing it): nobody holds it.
  }
  return undefined;
}

/** Whether the holder still runs. One on another host cannot be checked, so it counts as alive. */
function isAlive(holder: Holder): boolean {
  if (holder.host !== os.hostname()) return true;
  // The same pid as ours is a lock left by an earlier life of this container or process.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfMine(file: string, me: Holder): void {
  const holder = readHolder(file);
  if (holder?.pid === me.pid && holder.host === me.host) fs.rmSync(file, { force: true });
}

/** The lock when the bus is embedded; with Kafka the group coordinator does this job. */
export function lockEmbeddedGroup(config: { bus: string; dataDir: string }, group: string, what: string): DataDirLock | undefined {
  return config.bus === 'embedded' ? lockDataDir(config.dataDir, group, what) : undefined;
}
