// The event identities detect has seen lately, and where on the events topic each was
// first seen, so a copy of an event at a second position is recognised and skipped.
//
// Why copies exist: an agent that gets no answer retries its post (DESIGN.md: agents
// retry), and ingest answers 503 when Kafka did not acknowledge in time although the
// send may still land; either way the same event (unit, event.id, @timestamp) sits on
// the topic twice. The store shrugs a copy off (its _id comes from that identity), but
// a correlation rule counting events would count it twice, and nothing downstream can
// tell the copy from a genuine repeat. A replay of the SAME position (a batch retried
// after a failure, a partition handed to another replica) is not a copy: it must be
// processed again, so the first position is remembered along with the identity.
//
// Bounded: the oldest identities are forgotten first. Copies arrive within seconds of
// the original (a retry), far inside the default bound; a copy older than the bound, or
// one straddling a restart of this process, is processed as it was before.
import type { SecurityEvent } from '../core/schemas/event.ts';

/** Identities remembered by default: about 40 MB at most, minutes of a province's traffic. */
export const DEFAULT_RECENT_EVENT_IDS = 200_000;

export interface TopicPosition {
  partition: number;
  offset: number;
}

export class RecentEventIds {
  /** identity → "partition:offset" of its first sighting; Map keeps insertion order for eviction. */
  private readonly firstSeen = new Map<string, string>();

  constructor(private readonly capacity: number = DEFAULT_RECENT_EVENT_IDS) {}

  /**
   * True when this event was already seen at another position (a copy to skip); else
   * remembers this position as its first sighting (if new) and answers false.
   */
  isCopy(event: SecurityEvent, at: TopicPosition): boolean {
    const identity = `${event.organization.id}\u0000${event.event.id}\u0000${Date.parse(event['@timestamp'])}`;
    const position = `${at.partition}:${at.offset}`;
    const first = this.firstSeen.get(identity);
    if (first !== undefined) return first !== position;
    this.firstSeen.set(identity, position);
    if (this.firstSeen.size > this.capacity) {
      const oldest = this.firstSeen.keys().next().value;
      if (oldest !== undefined) this.firstSeen.delete(oldest);
    }
    return false;
  }

  get size(): number {
    return this.firstSeen.size;
  }
}
