// The record of running services in .services/state.json (pids, ports, dirs), read and
// written under a lock file so two `start`s at once (a CLI and a test run) never start
// two brokers. Validated with zod: a stale or hand-edited file is reported, not trusted.
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { lockFile, servicesDir, stateFile } from './paths.ts';
import { isRunning } from './process.ts';

export const kafkaStateSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().positive(),
  controllerPort: z.number().int().positive(),
  dir: z.string(),
  logFile: z.string(),
  java: z.string(),
  startedAt: z.string(),
});

export const opensearchStateSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().positive(),
  basePort: z.number().int().positive(),
  transportPort: z.number().int().positive(),
  dir: z.string(),
  logFile: z.string(),
  java: z.string(),
  startedAt: z.string(),
});

const stateSchema = z.object({
  kafka: kafkaStateSchema.optional(),
  opensearch: opensearchStateSchema.optional(),
});

export type KafkaState = z.infer<typeof kafkaStateSchema>;
export type OpenSearchState = z.infer<typeof opensearchStateSchema>;
export type ServicesState = z.infer<typeof stateSchema>;

export function readState(): ServicesState {
  if (!fs.existsSync(stateFile)) return {};
  const parsed = stateSchema.safeParse(JSON.parse(fs.readFileSync(stateFile, 'utf8')));
  if (!parsed.success) throw new Error(`services: ${stateFile} is not valid: ${parsed.error.message}`);
  return parsed.data;
}

export function writeState(state: ServicesState): void {
  fs.mkdirSync(servicesDir, { recursive: true });
  const tmp = `${stateFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, stateFile);
}

export function updateState(change: (state: ServicesState) => ServicesState): void {
  writeState(change(readState()));
}

function lockHolder(): number | null {
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Runs `work` holding .services/state.lock. A lock left by a dead process is taken over;
 * one held by a live process is waited for (it is starting or stopping the services).
 */
export async function withStateLock<T>(work: () => Promise<T>, waitMs = 300_000): Promise<T> {
  fs.mkdirSync(servicesDir, { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder();
      if (holder !== null && holder !== process.pid && !isRunning(holder)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`services: ${lockFile} is held by pid ${holder ?? '?'} for too long`, { cause: error });
      }
      // Another process owns the lock and there is no event to wait on across processes.
      await delay(200);
    }
  }
  try {
    return await work();
  } finally {
    if (lockHolder() === process.pid) fs.rmSync(lockFile, { force: true });
  }
}
