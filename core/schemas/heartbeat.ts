// An agent's heartbeat as it travels from ingest to the correlate stage: "this agent
// of this unit is alive", so the silence monitor tells a quiet source (alive, nothing
// to send) from a silent one. It goes on the signals topic, the one correlate reads,
// as a signal bundle of its own (`{ signals: [heartbeat] }`, the envelope of
// detect/correlation/signal-record.ts) in the partition that owns the unit's sources,
// so whichever replica watches the unit hears it. It never touches the events topic:
// a heartbeat is not an event, is not stored, and counts as none.
//
// Nothing in it comes from the agent's body: the agent and unit are its key's, the
// time is Vigil's clock when ingest received it (an agent's clock may be wrong or
// hostile). Here in core, so ingest and detect share it without importing each other.
import { z } from 'zod';
import { unitShard } from '../bus/shard-of.ts';
import type { BusMessage } from '../ports/bus.ts';
import { organizationSchema } from './event.ts';

export const heartbeatSignalSchema = z.object({
  kind: z.literal('heartbeat'),
  /** When ingest received it, epoch ms, by Vigil's clock. */
  time: z.number(),
  /** The agent key's unit. */
  organization: organizationSchema,
  /** The agent key's id: the agent.id ingest stamps on this agent's events that carry none. */
  agent: z.string().min(1),
});
export type HeartbeatSignal = z.infer<typeof heartbeatSignalSchema>;

/** The bus record of one heartbeat, for the signals topic (TOPICS.signals) of `signalsPartitions` partitions. */
export function heartbeatMessage(heartbeat: HeartbeatSignal, signalsPartitions: number): BusMessage {
  const partition = unitShard(heartbeat.organization.id, Math.max(1, signalsPartitions));
  return {
    key: `heartbeat-${heartbeat.organization.id}`,
    partition,
    value: Buffer.from(JSON.stringify({ signals: [heartbeat] })),
  };
}
