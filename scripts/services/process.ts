// Starting a service JVM that outlives the script (detached, output to a log file) and
// stopping one by pid: SIGTERM, then SIGKILL when it has not exited within a timeout.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
export function isRunning(pid: number, cmdlineMarker?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z/s.test(stat)) return false;
    // Guard against pid reuse: the process must still be the one we started.
    if (cmdlineMarker !== undefined) return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(cmdlineMarker);
  } catch {
    // No /proc (not Linux): trust kill(0).
  }
  return true;
}

export function spawnDetached(command: string, args: string[], logFile: string, cwd: string): number {
  const out = fs.openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', out, out] });
    if (child.pid === undefined) throw new Error(`services: could not spawn ${command}`);
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(out);
  }
}

/** Polls until `pid` has exited; false when `timeoutMs` passed first. */
async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    // The process is not our child in general (another CLI run started it): poll.
    await delay(100);
  }
  return true;
}

/** Stops `pid` with SIGTERM, then SIGKILL after `timeoutMs`. Returns how it ended. */
export async function stopProcess(pid: number, timeoutMs = 20_000): Promise<'not-running' | 'terminated' | 'killed'> {
  if (!isRunning(pid)) return 'not-running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'not-running';
  }
  if (await waitForExit(pid, timeoutMs)) return 'terminated';
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'terminated';
  }
  await waitForExit(pid, 5_000);
  return 'killed';
}

/** The last lines of a log file, for error messages. */
export function logTail(logFile: string, lines = 30): string {
  try {
    return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Size of a file now, so a wait can look only at what a new start writes after it. */
export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, offset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.max(0, fs.fstatSync(fd).size - offset);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, offset);
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/**
 * Waits until `ready()` holds, failing early with the log's tail when the process died.
 * Polls: the JVM is a detached process writing to a file, with no event to subscribe to.
 */
export async function waitUntilReady(
  what: string,
  pid: number,
  logFile: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    if (!isRunning(pid)) throw new Error(`services: ${what} (pid ${pid}) exited before it was ready; ${logFile}:\n${logTail(logFile)}`);
    if (Date.now() > deadline) {
      throw new Error(`services: ${what} (pid ${pid}) was not ready within ${timeoutMs / 1000} s; ${logFile}:\n${logTail(logFile)}`);
    }
    await delay(150);
  }
}

/** A readiness check that holds once `pattern` appears in what the log gained after `offset`. */
export function logContains(logFile: string, offset: number, pattern: string): () => Promise<boolean> {
  return async () => readFrom(logFile, offset).includes(pattern);
}
