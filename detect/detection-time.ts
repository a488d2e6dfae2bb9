// The time detection uses for an event: its @timestamp, but never further ahead of
// ingest's clock (event.ingested) than the future tolerance. One agent with a clock in
// year 3000 must not move event time for everyone (issue 9): its event still matches
// and is stored with its own @timestamp (ingest tags it vigil.future_timestamp), but it
// correlates and counts for the watermark as if sent at ingest time plus the tolerance.
import type { SecurityEvent } from '../core/schemas/event.ts';

export interface DetectionTime {
  /** Epoch ms detection uses. */
  time: number;
  /** Whether @timestamp was further in the future than the tolerance (and was clamped). */
  future: boolean;
}

export function detectionTime(
  event: Pick<SecurityEvent, '@timestamp'> & { event: Pick<SecurityEvent['event'], 'ingested'> },
  futureToleranceMs: number,
): DetectionTime {
  const stamped = Date.parse(event['@timestamp']);
  const ingested = Date.parse(event.event.ingested);
  const limit = ingested + futureToleranceMs;
  if (Number.isFinite(limit) && stamped > limit) return { time: limit, future: true };
  return { time: stamped, future: false };
}
