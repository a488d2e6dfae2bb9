// What detection reports about its own health: the correlation engine's event time,
// groups, late events and caps, the stages' backlog, and silent sources. The detect
// thread produces it; the API serves it to the console's Health view. It lives in core
// so that the API does not import the detect stage.

/** What the engine tells the stage about its health, for metrics and the console. */
export interface EngineHealth {
  /** Event-time watermark, epoch ms (null until the first event). */
  readonly watermark: number | null;
  readonly activeGroups: number;
  /** Late signals refused, per correlation rule, since start of the state. */
  readonly late: Readonly<Record<string, number>>;
  /** New groups refused because a rule's cap was hit, per rule. */
  readonly groupsRefused: Readonly<Record<string, number>>;
  /** Entries dropped because a group's cap was hit, per rule. */
  readonly entriesDropped: Readonly<Record<string, number>>;
  /** The most recent late signals, newest first (at most 50). */
  readonly recentLate: readonly { correlation: string; eventId: string; time: number; watermark: number }[];
}

/** Everything the console's health view shows about detection. */
export interface DetectionHealth {
  readonly correlation: EngineHealth & {
    readonly rules: number;
    /** Correlation rule titles by id, so the console names the rules it lists. */
    readonly titles: Readonly<Record<string, string>>;
  };
  /** Events waiting for detect, and signals waiting for the correlation stage. */
  readonly lag: {
    readonly events: number;
    readonly signals: number;
    /**
     * How fast detect works the events backlog off (core/health/backlog.ts): records
     * committed and appended per second over the last minute, and the seconds until it
     * is gone (null while it is not shrinking). Optional: absent from older producers.
     */
    readonly catchUp?: { readonly drainPerSecond: number; readonly inflowPerSecond: number; readonly seconds: number | null };
  };
  /** Sources (agents, units) currently silent while they normally send. */
  readonly silentSources: readonly { kind: 'agent' | 'unit'; id: string; unit: string; lastSeen: string }[];
  /**
   * Agents that sent events stamped further in the future than the tolerance (clamped
   * for detection, flagged vigil.future_timestamp): how many, and when last. Optional:
   * absent from producers that predate it, and a console that does not know it ignores it.
   */
  readonly futureTimestamps?: readonly { unit: string; agent: string; count: number; lastSeen: string }[];
}
