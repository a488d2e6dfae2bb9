// Runs the agent: the reader (files → batches → spool), the sender (spool → Vigil) and
// the heartbeat, until stopped; or, with `once` (for cron), until every file was read to
// its end and the spool is empty, or a batch failed `retry.once_max_attempts` times (it
// stays in the spool for the next run). The spool and the tail state are reconciled
// first, so a restart resumes after the last spooled line and replays what is spooled.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/log.ts';
import type { AgentConfig } from './agent-config.ts';
import { emptyStats, type AgentStats } from './agent-stats.ts';
import type { PostTarget } from './event-poster.ts';
import { sendHeartbeat } from './heartbeat.ts';
import { ReadLoop, reconcile } from './read-loop.ts';
import { SendLoop, type SendEnd } from './send-loop.ts';
import { Spool } from './spool.ts';
import { StateFile } from './tail-state.ts';
import { Wake } from './wake.ts';

/** A clock further off than this from Vigil's is worth a warning. */
const CLOCK_SKEW_WARN_MS = 5 * 60_000;

export interface AgentRunOptions {
  once: boolean;
  log: Logger;
  random?: () => number;
}

export interface AgentEnd {
  /** drained: everything read was answered for (--once); gave_up: Vigil unreachable, the spool keeps the rest; stopped: by stop(). */
  outcome: SendEnd;
  stats: AgentStats;
}

export interface RunningAgent {
  /** The counters now (for the progress line). */
  stats(): AgentStats;
  /** Settles when the run ends; rejects on a fatal error (a refused key, a spool that cannot be written). */
  readonly done: Promise<AgentEnd>;
  /** Stops reading and sending; what was read is in the spool for the next start. */
  stop(): Promise<AgentEnd>;
  readonly spoolDir: string;
}

export function startAgent(config: AgentConfig, options: AgentRunOptions): RunningAgent {
  const { log } = options;
  fs.mkdirSync(config.stateDir, { recursive: true });
  const stateFile = new StateFile(config.stateDir);
  const spool = Spool.open(path.join(config.stateDir, 'spool'), config.spool.maxBytes);
  const state = reconcile(stateFile.read(), spool);
  stateFile.write(state);

  const stats = emptyStats();
  stats.spoolBatches = spool.batches;
  stats.spoolBytes = spool.bytes;
  if (spool.batches > 0) log.info({ batches: spool.batches, bytes: spool.bytes }, 'replaying the spool left by an earlier run');

  const stopping = new AbortController();
  const target: PostTarget = { url: config.url, key: config.key, timeoutMs: config.timeoutMs };
  const sendOptions = { policy: config.retry, ...(options.once ? { maxAttempts: config.retry.onceMaxAttempts } : {}), ...(options.random ? { random: options.random } : {}) };
  const sender = new SendLoop(target, spool, stats, log, sendOptions, stopping.signal);
  const reader = new ReadLoop(config, spool, stateFile, state, stats, log, () => sender.work.wake());
  const poll = new Wake();
  let readerDone = false;

  const reading = (async () => {
    try {
      while (!stopping.signal.aborted) {
        const idle = await reader.pass();
        if (idle && options.once) break;
        if (idle) await poll.sleep(config.pollIntervalMs, stopping.signal);
      }
      reader.flush();
    } finally {
      readerDone = true;
      sender.work.wake();
      await reader.close();
    }
  })();

  let heartbeatUnsupported = false;
  const heartbeat = async () => {
    if (heartbeatUnsupported || config.heartbeatIntervalMs === 0) return;
    const result = await sendHeartbeat({ ...target, timeoutMs: Math.min(target.timeoutMs, 10_000) });
    if (result.ok) {
      stats.heartbeats++;
      if (Math.abs(result.clockSkewMs) > CLOCK_SKEW_WARN_MS) {
        log.warn({ clockSkewMs: result.clockSkewMs }, "this machine's clock is far from Vigil's: events without their own time will carry a wrong one");
      }
    } else if (result.unsupported) {
      heartbeatUnsupported = true;
      log.warn('this Vigil has no heartbeat route (POST /api/v1/heartbeat): a quiet agent will look silent there');
    } else {
      log.debug({ reason: result.message }, 'heartbeat not delivered');
    }
  };
  const timer = !options.once && config.heartbeatIntervalMs > 0 ? setInterval(() => void heartbeat(), config.heartbeatIntervalMs) : undefined;
  timer?.unref();
  if (!options.once) void heartbeat();

  const done = (async (): Promise<AgentEnd> => {
    try {
      const [, outcome] = await Promise.all([reading, sender.run(options.once ? () => readerDone : undefined)]);
      if (options.once) await heartbeat();
      return { outcome, stats: { ...stats } };
    } catch (error) {
      stopping.abort();
      await reading.catch(() => undefined);
      throw error;
    } finally {
      if (timer) clearInterval(timer);
      stats.spoolBatches = spool.batches;
      stats.spoolBytes = spool.bytes;
    }
  })();

  return {
    stats: () => ({ ...stats }),
    done,
    spoolDir: spool.dir,
    async stop() {
      stopping.abort();
      poll.wake();
      return done;
    },
  };
}
