// Starts Vigil distributed on this machine for a test or the benchmark: N processes of
// each kind (`vigil ingest|detect|correlate|api`) as child processes, all on the real
// Kafka broker and search node, each on its own free port with its own temp data dir,
// and lets the caller kill (SIGKILL: a crash), stop (SIGTERM: a drain) and restart any
// of them. Every run gets a fresh search index prefix and Kafka client id, and by
// default starts from empty Vigil topics (see resetTopics), so runs never see each
// other's data.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '../../core/ports/bus.ts';
import { CORRELATE_GROUP } from '../../detect/correlation/correlate-stage.ts';
import { DETECT_GROUP } from '../../detect/detect-stage.ts';
import { freePort } from '../../scripts/services/ports.ts';
import { makeTempDir, repoRoot } from './start-vigil.ts';

export type ProcessKind = 'ingest' | 'detect' | 'correlate' | 'api';

export const PROCESS_KINDS: readonly ProcessKind[] = ['api', 'ingest', 'detect', 'correlate'];

export interface ClusterOptions {
  kafkaBrokers: string;
  searchUrl: string;
  /** The search adapter; the Elasticsearch one only reaches OpenSearch through a test transport. */
  store?: 'opensearch' | 'elasticsearch';
  counts: Partial<Record<ProcessKind, number>>;
  /** Extra VIGIL_* settings for every process. */
  env?: Record<string, string>;
  /** Delete Vigil's topics first so this run starts from empty topics (default true). */
  freshTopics?: boolean;
  /** How long one process may take to answer /readyz (default 90 s: 2 shared cores). */
  readyTimeoutMs?: number;
}

export interface ClusterMember {
  kind: ProcessKind;
  /** e.g. `detect-1`. */
  name: string;
  port: number;
  url: string;
  /** Its own VIGIL_DATA_DIR (a distributed process should keep nothing there that matters). */
  dataDir: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** What the process printed on stderr since its last start (banner, crashes). */
  stderr(): string;
  /** The newest lines of its JSON log (stdout), for a failure message. */
  logTail(): string;
  /** SIGKILL: a crash, with no drain. */
  kill(): Promise<void>;
  /** SIGTERM: drain and exit; SIGKILL after 30 s. Resolves to the exit code. */
  stop(): Promise<number | null>;
  /**
   * Starts it (again: same port, data dir and settings) and waits until it is ready;
   * one that exits first is started again, up to 5 tries, as a supervisor would.
   */
  start(): Promise<void>;
}

export interface DistributedCluster {
  runId: string;
  /** The settings every process got (for a test that opens the store or bus itself). */
  env: Record<string, string>;
  members: ClusterMember[];
  of(kind: ProcessKind): ClusterMember[];
  /** URL of the first running process of `kind`. */
  url(kind: ProcessKind): string;
  adminPassword: string;
  agentKey: string;
  unit: string;
  /** Starts one more process of `kind`. */
  add(kind: ProcessKind): Promise<ClusterMember>;
  /** SIGTERM to every process, then removes their temp dirs; the exit codes by member name. */
  stop(): Promise<Record<string, number | null>>;
  /** Every member's stderr and log tail, for a failure message. */
  diagnostics(): string;
}

const LOG_TAIL_BYTES = 16 * 1024;
const STDERR_MAX_BYTES = 256 * 1024;

/** Children still running when the test process exits are killed, never left behind. */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/**
 * Deletes Vigil's topics (TOPICS) from the broker and waits until they are gone, so the
 * processes create them afresh. The topic names are fixed constants; until Vigil has a
 * topic prefix setting this is how one run is kept apart from the previous one.
 */
export async function resetTopics(kafkaBrokers: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'vigil-test-reset', brokers: kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted: string[] = Object.values(TOPICS);
    const present = (await admin.listTopics()).filter((topic) => wanted.includes(topic));
    if (present.length > 0) await admin.deleteTopics({ topics: present, timeout: 30_000 });
    const deadline = Date.now() + 30_000;
    while ((await admin.listTopics()).some((topic) => wanted.includes(topic))) {
      if (Date.now() > deadline) throw new Error(`topics not deleted within 30 s: ${present.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Records not yet committed by detect (events) and correlate (signals), summed over
 * partitions, read from the broker itself: 0 means the pipeline has caught up.
 */
export async function pipelineLag(kafkaBrokers: string): Promise<{ events: number; signals: number }> {
  const kafka = new Kafka({ clientId: 'vigil-test-lag', brokers: kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lag = async (topic: string, groupId: string) => {
      const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
      let total = 0;
      for (const end of ends) {
        const done = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        total += Number(end.high) - (Number(done) < 0 ? Number(end.low) : Number(done));
      }
      return total;
    };
    return { events: await lag(TOPICS.events, DETECT_GROUP), signals: await lag(TOPICS.signals, CORRELATE_GROUP) };
  } finally {
    await admin.disconnect();
  }
}

/** Tries a member gets to come up before start() gives up. */
const START_ATTEMPTS = 5;

class ExitedBeforeReady extends Error {
  constructor(
    name: string,
    readonly code: number | null,
    stderr: string,
  ) {
    super(`${name} exited with ${code} before it was ready:\n${stderr}`);
  }
}

async function waitReady(member: { url: string; name: string; exited: Promise<number | null>; stderr(): string }, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void member.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new ExitedBeforeReady(member.name, exitCode, member.stderr());
    try {
      const response = await fetch(`${member.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${member.name} was not ready within ${timeoutMs} ms:\n${member.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function createMember(kind: ProcessKind, index: number, port: number, env: Record<string, string>, readyTimeoutMs: number): ClusterMember {
  const name = `${kind}-${index}`;
  const url = `http://127.0.0.1:${port}`;
  const dataDir = makeTempDir(`vigil-${name}-`);
  let child: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);
  let stderr = '';
  let logTail = '';

  const spawnOnce = () => {
    stderr = '';
    // VIGIL_TEST_NODE_ARGS: extra Node.js flags for every member, e.g. `--cpu-prof
    // --cpu-prof-dir=/tmp/prof` to profile a bench run (Node refuses those in NODE_OPTIONS).
    const nodeArgs = (process.env.VIGIL_TEST_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const spawned = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(repoRoot, 'bin', 'vigil.ts'), kind], {
      cwd: repoRoot,
      env: { ...process.env, ...env, VIGIL_HOST: '127.0.0.1', VIGIL_PORT: String(port), VIGIL_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    liveChildren.add(spawned);
    exited = new Promise((resolve) =>
      spawned.once('exit', (code) => {
        liveChildren.delete(spawned);
        resolve(code);
      }),
    );
    spawned.stdout!.on('data', (chunk: Buffer) => {
      logTail = (logTail + chunk.toString()).slice(-LOG_TAIL_BYTES);
    });
    spawned.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_MAX_BYTES) stderr += chunk.toString();
    });
  };

  const member: ClusterMember = {
    kind,
    name,
    port,
    url,
    dataDir,
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    stderr: () => stderr,
    logTail: () => logTail,
    async kill() {
      if (!member.running) return;
      child!.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!member.running) return child?.exitCode ?? null;
      child!.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async start() {
      if (member.running) throw new Error(`${name} is already running`);
      // Like a supervisor (compose's `restart: unless-stopped`): a process that exits
      // before it is ready (the broker is restarting, say) is started again.
      const earlier: string[] = [];
      for (let attempt = 1; ; attempt++) {
        spawnOnce();
        try {
          await waitReady({ url, name, exited, stderr: () => `${earlier.join('\n')}${stderr}\n${logTail}` }, readyTimeoutMs);
          return;
        } catch (error) {
          if (!(error instanceof ExitedBeforeReady) || attempt >= START_ATTEMPTS) throw error;
          earlier.push(`(attempt ${attempt} exited with ${error.code})\n${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
        }
      }
    },
  };
  return member;
}

export async function startCluster(options: ClusterOptions): Promise<DistributedCluster> {
  const runId = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const adminPassword = 'correct-horse-battery';
  const agentKey = `agent-key-${runId}-0123456789abcdef`;
  const unit = 'so-y-te';
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  if (options.freshTopics !== false) await resetTopics(options.kafkaBrokers);

  const env: Record<string, string> = {
    VIGIL_BUS: 'kafka',
    VIGIL_KAFKA_BROKERS: options.kafkaBrokers,
    VIGIL_KAFKA_CLIENT_ID: `vigil-${runId}`,
    VIGIL_STORE: options.store ?? 'opensearch',
    VIGIL_SEARCH_URL: options.searchUrl,
    VIGIL_SEARCH_INDEX_PREFIX: `vigil-${runId}`,
    VIGIL_ADMIN_PASSWORD: adminPassword,
    VIGIL_BOOTSTRAP_UNIT: unit,
    VIGIL_BOOTSTRAP_AGENT_KEY: agentKey,
    VIGIL_LOG_LEVEL: 'warn',
    ...options.env,
  };

  const members: ClusterMember[] = [];
  const nextIndex = new Map<ProcessKind, number>();
  const create = async (kind: ProcessKind) => {
    const index = (nextIndex.get(kind) ?? 0) + 1;
    nextIndex.set(kind, index);
    const member = createMember(kind, index, await freePort(), env, readyTimeoutMs);
    members.push(member);
    return member;
  };

  const cluster: DistributedCluster = {
    runId,
    env,
    members,
    of: (kind) => members.filter((member) => member.kind === kind),
    url(kind) {
      const member = members.find((m) => m.kind === kind && m.running);
      if (!member) throw new Error(`no ${kind} process is running`);
      return member.url;
    },
    adminPassword,
    agentKey,
    unit,
    async add(kind) {
      const member = await create(kind);
      await member.start();
      return member;
    },
    async stop() {
      const codes = await Promise.all(members.map(async (member) => [member.name, await member.stop()] as const));
      for (const member of members) fs.rmSync(member.dataDir, { recursive: true, force: true });
      return Object.fromEntries(codes);
    },
    diagnostics: () =>
      members.map((member) => `--- ${member.name} (${member.running ? 'running' : 'stopped'})\n${member.stderr()}\n${member.logTail()}`).join('\n'),
  };

  try {
    // The api process first: it creates the accounts (admin, bootstrap unit and key)
    // that ingest checks agents against; then the rest together.
    for (let i = 0; i < (options.counts.api ?? 0); i++) await cluster.add('api');
    const rest = PROCESS_KINDS.filter((kind) => kind !== 'api').flatMap((kind) => Array.from({ length: options.counts[kind] ?? 0 }, () => kind));
    await Promise.all(rest.map((kind) => cluster.add(kind)));
  } catch (error) {
    const diagnostics = cluster.diagnostics();
    await Promise.all(members.map((member) => member.kill()));
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${diagnostics}`, { cause: error });
  }
  return cluster;
}
