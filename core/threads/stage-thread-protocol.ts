// Messages between a stage thread (stage-thread-host.ts, inside the worker) and its
// handle on the parent thread (stage-thread.ts). Status and health are opaque here:
// the stage that runs in the thread decides what they hold (structured-clone data).

export type StageQuestion = 'metrics' | 'health';

export type ToStageThread = { type: 'ask'; id: number; question: StageQuestion } | { type: 'stop' };

export type FromStageThread =
  /** Started: `status` is what the parent shows until the next update. */
  | { type: 'ready'; status: unknown }
  /** The stage's status changed (a rules reload). */
  | { type: 'status'; status: unknown }
  /** Something the stage tells once (a rules change for the audit log); the parent decides what to do with it. */
  | { type: 'event'; event: unknown }
  /** The answer to an `ask`; null when the stage could not answer. */
  | { type: 'answer'; id: number; answer: unknown }
  /** Finished its batch in hand, committed, closed its connections. */
  | { type: 'stopped' };
