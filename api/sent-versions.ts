// What one console has been sent, per alert: the last version's fingerprint. The correlate
// stage publishes at least once — after a crash between publishing a batch's alerts and
// committing its signals, the replacement replays that batch and publishes the same
// versions again (only their `updated` wall-clock time differs). A console must see each
// update once, so a record carrying the version this socket already has is not sent.
import type { Alert } from '../core/schemas/alert.ts';

/** Alerts remembered per socket; the oldest are forgotten first (a console shows far fewer). */
const DEFAULT_CAPACITY = 20_000;

export class SentVersions {
  private readonly versions = new Map<string, string>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** True when `alert` is the version last sent for its id; otherwise remembers it as sent. */
  repeat(alert: Alert): boolean {
    const fingerprint = versionOf(alert);
    if (this.versions.get(alert.id) === fingerprint) return true;
    // Delete first so the alert moves to the newest end of the insertion order.
    this.versions.delete(alert.id);
    this.versions.set(alert.id, fingerprint);
    if (this.versions.size > this.capacity) this.versions.delete(this.versions.keys().next().value!);
    return false;
  }
}

/** Everything an analyst sees of the alert, without the time it was (re)written. */
function versionOf(alert: Alert): string {
  const { updated: _updated, ...visible } = alert;
  return JSON.stringify(visible);
}
