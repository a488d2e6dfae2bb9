// Rate limiting for announcements: alerts are collected and announced together, once
// the stream has been quiet for QUIET_MS (a burst of 1,000 in a few seconds is one
// announcement, "1,000 new critical alerts"), at the latest MAX_WAIT_MS after the
// first, and never sooner than COOLDOWN_MS after the previous announcement (what
// arrives meanwhile is announced once when it ends). Clock and timers are injected
// so tests can drive it.
import type { Alert, Severity } from '../types/alert.ts';

export const QUIET_MS = 1500;
export const MAX_WAIT_MS = 10_000;
export const COOLDOWN_MS = 30_000;

export interface Announcement {
  critical: number;
  high: number;
  /** The first alert collected, to name in the notification. */
  first: Alert;
}

export interface GateClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserClock: GateClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class AnnouncementGate {
  private counts: Record<'critical' | 'high', number> = { critical: 0, high: 0 };
  private first: Alert | null = null;
  private firstAt = 0;
  private lastAnnounced = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;

  constructor(
    private readonly announce: (announcement: Announcement) => void,
    private readonly clock: GateClock = browserClock,
  ) {}

  /** Collects the alerts of these severities (the rest are ignored). */
  add(alerts: readonly Alert[], severities: ReadonlySet<Severity>): void {
    let added = false;
    for (const alert of alerts) {
      if (!severities.has(alert.severity) || (alert.severity !== 'critical' && alert.severity !== 'high')) continue;
      this.counts[alert.severity] += 1;
      if (this.first === null || (this.first.severity !== 'critical' && alert.severity === 'critical')) this.first = alert;
      added = true;
    }
    if (!added) return;
    const now = this.clock.now();
    if (this.timer === null) this.firstAt = now;
    else this.clock.clearTimeout(this.timer);
    const due = Math.max(Math.min(now + QUIET_MS, this.firstAt + MAX_WAIT_MS), this.lastAnnounced + COOLDOWN_MS);
    this.timer = this.clock.setTimeout(() => this.flush(), Math.max(0, due - now));
  }

  /** Drops what was collected and stops the timer (the user switched announcements off, or left). */
  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.counts = { critical: 0, high: 0 };
    this.first = null;
  }

  private flush(): void {
    this.timer = null;
    const first = this.first;
    const { critical, high } = this.counts;
    this.counts = { critical: 0, high: 0 };
    this.first = null;
    if (first === null) return;
    this.lastAnnounced = this.clock.now();
    this.announce({ critical, high, first });
  }
}
