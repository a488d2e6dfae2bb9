// The sending half of the agent: posts the spool's batches to Vigil oldest first, one at
// a time (so Vigil sees each file's lines in order), and deletes each batch once Vigil
// answered for it. A batch that could not be delivered stays first in line and is sent
// again after a backoff (Retry-After honoured); one too large for the server is split in
// halves; one Vigil refuses is logged with the server's reason and counted, never resent.
import type { Logger } from '../core/log.ts';
import { AgentError, AgentUnauthorizedError } from './agent-errors.ts';
import type { AgentStats } from './agent-stats.ts';
import { postBatch, type PostOutcome, type PostTarget } from './event-poster.ts';
import { retryDelayMs, type BackoffPolicy } from './retry-policy.ts';
import type { Spool, SpoolEntry } from './spool.ts';
import { Wake } from './wake.ts';

export interface SendOptions {
  policy: BackoffPolicy;
  /** Attempts per batch before giving up (--once); unbounded when undefined. */
  maxAttempts?: number;
  random?: () => number;
}

/** How a run of the sender ended. */
export type SendEnd = 'drained' | 'stopped' | 'gave_up';

type Delivery = 'done' | 'stopped' | 'gave_up' | 'dropped';

export class SendLoop {
  /** Woken when a batch is spooled. */
  readonly work = new Wake();
  private readonly backoff = new Wake();
  private readonly counted = new Set<number>();

  constructor(
    private readonly target: PostTarget,
    private readonly spool: Spool,
    private readonly stats: AgentStats,
    private readonly log: Logger,
    private readonly options: SendOptions,
    private readonly stop: AbortSignal,
  ) {}

  /**
   * Sends until stopped; with `untilEmpty`, also returns once the spool is empty and
   * `untilEmpty()` says no more batches will come. Throws AgentUnauthorizedError on a 401.
   */
  async run(untilEmpty?: () => boolean): Promise<SendEnd> {
    for (;;) {
      if (this.stop.aborted) return 'stopped';
      const entry = this.spool.oldest();
      if (entry === undefined) {
        if (untilEmpty?.()) return 'drained';
        await this.work.sleep(untilEmpty ? 50 : 60_000, this.stop);
        continue;
      }
      const body = this.spool.readBody(entry);
      const delivery = body === undefined ? 'dropped' : await this.deliver(entry, body.split('\n').filter((line) => line !== ''));
      if (delivery === 'stopped' || delivery === 'gave_up') return delivery;
      if (delivery === 'done') this.spool.remove(entry);
      this.counted.delete(entry.seq);
      this.stats.spoolBatches = this.spool.batches;
      this.stats.spoolBytes = this.spool.bytes;
    }
  }

  /** Posts these lines (after the batch's header, if any) until Vigil answered for them; a 413 sends each half instead. */
  private async deliver(entry: SpoolEntry, rows: string[]): Promise<Delivery> {
    const posted = entry.meta.header === undefined ? rows : [entry.meta.header, ...rows];
    const body = `${posted.join('\n')}\n`;
    const events = rows.length;
    for (let attempt = 0; ; attempt++) {
      this.spool.inFlight = entry.seq;
      let outcome: PostOutcome;
      try {
        outcome = await postBatch({ ...this.target, signal: this.stop }, entry.meta.format, body);
      } finally {
        this.spool.inFlight = undefined;
      }
      if (this.stop.aborted) return 'stopped';
      switch (outcome.verdict) {
        case 'delivered':
          this.stats.eventsSent += outcome.accepted;
          this.stats.batchesSent++;
          this.refused(entry, posted, outcome, outcome.refused.length);
          return 'done';
        case 'rejected':
          this.refused(entry, posted, outcome, events);
          return 'done';
        case 'unauthorized':
          throw new AgentUnauthorizedError(outcome.message, this.target.url);
        case 'unknown_format':
          throw new AgentError('bad_config', `${outcome.message} (inputs: format of ${entry.meta.source}); batches stay in the spool until it is fixed`, entry.meta.source);
        case 'split': {
          if (rows.length <= 1) {
            this.refused(entry, posted, outcome, events);
            return 'done';
          }
          const half = Math.ceil(rows.length / 2);
          this.log.info({ batch: entry.seq, lines: rows.length, reason: outcome.message }, 'batch too large for Vigil: sending it in halves');
          for (const part of [rows.slice(0, half), rows.slice(half)]) {
            const delivery = await this.deliver(entry, part);
            if (delivery !== 'done') return delivery;
          }
          return 'done';
        }
        case 'retry': {
          if (!this.counted.has(entry.seq)) {
            this.counted.add(entry.seq);
            this.stats.spooled++;
          }
          if (this.options.maxAttempts !== undefined && attempt + 1 >= this.options.maxAttempts) {
            this.log.warn({ batch: entry.seq, attempts: attempt + 1, reason: outcome.message }, 'giving up on this run: the batch stays in the spool');
            return 'gave_up';
          }
          this.stats.retries++;
          const delay = retryDelayMs(attempt, outcome.retryAfterMs, this.options.policy, this.options.random);
          this.log.warn(
            { batch: entry.seq, status: outcome.status, reason: outcome.message, retryInMs: delay, retryAfterMs: outcome.retryAfterMs },
            outcome.status === 0 ? 'Vigil did not answer: retrying' : `Vigil answered ${outcome.status}: retrying`,
          );
          await this.backoff.sleep(delay, this.stop);
          if (this.stop.aborted) return 'stopped';
          // Dropped from a full spool while waiting: the newer batches go first now.
          if (!this.spool.list().includes(entry)) return 'dropped';
          break;
        }
      }
    }
  }

  /** Logs and counts what Vigil refused, each line with its reason and its text's start. */
  private refused(entry: SpoolEntry, lines: string[], outcome: PostOutcome, count: number): void {
    if (count === 0) return;
    this.stats.rejected += count;
    const sample = outcome.refused.slice(0, 20).map((item) => ({ line: item.line, error: item.error, text: (lines[item.line - 1] ?? '').slice(0, 200) }));
    this.log.warn(
      { batch: entry.seq, source: entry.meta.source, status: outcome.status, rejected: count, reason: outcome.message || undefined, lines: sample },
      'Vigil rejected events: they are not sent again',
    );
  }
}
