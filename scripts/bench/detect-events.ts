// The event streams `npm run bench:detect` measures: realistic antivirus, firewall, IDS
// and DNS records, stamped as ingest would, with a given share of antivirus detections.
import { securityEventSchema, type SecurityEvent } from '../../core/schemas/event.ts';
import { mixedEvent, seededRandom } from '../simulate/realistic-events.ts';

export const EVENTS = 50_000;

export function realisticEvents(antivirusShare: number): SecurityEvent[] {
  const random = seededRandom(2026);
  const now = new Date().toISOString();
  return Array.from({ length: EVENTS }, (_, i) => {
    const event = mixedEvent(`PC-${i % 5700}`, `FW-${i % 48}`, random, 0.02, new Date(), antivirusShare);
    return securityEventSchema.parse({
      ...event,
      organization: { id: `unit-${i % 230}`, name: `Unit ${i % 230}` },
      event: { ...(event.event as object), ingested: now },
    });
  });
}
