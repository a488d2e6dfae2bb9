// Builds a full SecurityEvent from the partial ECS objects tests and rule test cases
// write, adding what ingest would stamp (unit, ids, times), and validating it against
// the contract so a test case cannot drift from what agents may send.
import { securityEventSchema, type SecurityEvent } from '../../core/schemas/event.ts';

let sequence = 0;

export function securityEvent(partial: Record<string, unknown>): SecurityEvent {
  sequence += 1;
  const event = (partial.event ?? {}) as Record<string, unknown>;
  return securityEventSchema.parse({
    '@timestamp': '2026-11-22T08:30:00.000Z',
    organization: { id: 'unit-042', name: 'Sở Y tế' },
    host: { id: 'host-0001', name: 'yte-pc-017' },
    ...partial,
    event: { id: `evt-${sequence}`, ingested: '2026-11-22T08:30:01.000Z', ...event },
  });
}
