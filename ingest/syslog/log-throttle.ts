// At most one log line per interval for a repeating problem (malformed messages on a
// UDP port can arrive by the thousand); the next line says how many were not logged.

export class LogThrottle {
  private last = -Infinity;
  private suppressed = 0;

  constructor(private readonly intervalMs: number) {}

  /** undefined: do not log now; a number: log, mentioning that many suppressed since the last line. */
  take(now = Date.now()): number | undefined {
    if (now - this.last < this.intervalMs) {
      this.suppressed += 1;
      return undefined;
    }
    this.last = now;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    return suppressed;
  }
}
