// Starts a real Vigil process for a test, all-in-one (`vigil start`) or one stage
// (`vigil ingest|detect|correlate|api`): a temp data dir, port 0 (the OS picks a free
// one; we read it from the banner), a known admin password and agent key. `kill()` is SIGKILL (a crash); `stop()` is SIGTERM (a clean drain).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface VigilProcess {
  url: string;
  dataDir: string;
  adminPassword: string;
  agentKey: string;
  unit: string;
  child: ChildProcess;
  /** Everything the process printed on stderr (the start banner, crashes). */
  stderr(): string;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  env?: Record<string, string>;
  adminPassword?: string;
  agentKey?: string;
  unit?: string;
}

export function makeTempDir(prefix = 'vigil-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startVigil(options: StartOptions = {}): Promise<VigilProcess> {
  return startVigilCommand('start', /Vigil is running: (\S+)/, options);
}

/** The processes of a distributed deployment, as `vigil <name>`. */
export type StageProcessName = 'ingest' | 'detect' | 'correlate' | 'api';

/** Starts `vigil ingest|detect|correlate|api`; `url` is where it listens (from its banner). */
export async function startVigilProcess(name: StageProcessName, options: StartOptions = {}): Promise<VigilProcess> {
  return startVigilCommand(name, new RegExp(`vigil ${name} listening on (\\S+)`), options);
}

async function startVigilCommand(command: string, banner: RegExp, options: StartOptions): Promise<VigilProcess> {
  const dataDir = options.dataDir ?? makeTempDir();
  const adminPassword = options.adminPassword ?? 'correct-horse-battery';
  const agentKey = options.agentKey ?? 'test-agent-key-0123456789abcdef';
  const unit = options.unit ?? 'so-y-te';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bin', 'vigil.ts'), command], {
    cwd: repoRoot,
    env: {
      ...process.env,
      VIGIL_HOST: '127.0.0.1',
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: dataDir,
      VIGIL_ADMIN_PASSWORD: adminPassword,
      VIGIL_BOOTSTRAP_UNIT: unit,
      VIGIL_BOOTSTRAP_AGENT_KEY: agentKey,
      VIGIL_LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Logs go to stdout as JSON; drain it so the child never blocks on a full pipe.
  child.stdout!.resume();

  // The banner on stderr says where the process listens, whatever the log level.
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigil ${command} did not start within 60 s:\n${stderr}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = banner.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`vigil ${command} exited with ${code} before listening:\n${stderr}`));
    });
  });

  return {
    url,
    dataDir,
    adminPassword,
    agentKey,
    unit,
    child,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Signs in and answers the session cookie header to send with later requests. */
export async function signIn(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}

/** Polls `check` until it answers a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
