// The record a correlate member publishes to TOPICS.health every few seconds: its
// detection health and the rule set it runs, under its member name. Read by every api
// process (health-board.ts); zod checks it at that edge like any other bus record.
import { z } from 'zod';
import type { DetectionHealth } from '../schemas/detection-health.ts';

const counts = z.record(z.string(), z.number());

const detectionHealthSchema = z.object({
  correlation: z.object({
    watermark: z.number().nullable(),
    activeGroups: z.number(),
    rules: z.number(),
    titles: z.record(z.string(), z.string()),
    late: counts,
    groupsRefused: counts,
    entriesDropped: counts,
    recentLate: z.array(z.object({ correlation: z.string(), eventId: z.string(), time: z.number(), watermark: z.number() })),
  }),
  lag: z.object({
    events: z.number(),
    signals: z.number(),
    catchUp: z.object({ drainPerSecond: z.number(), inflowPerSecond: z.number(), seconds: z.number().nullable() }).optional(),
  }),
  silentSources: z.array(z.object({ kind: z.enum(['agent', 'unit']), id: z.string(), unit: z.string(), lastSeen: z.string() })),
  futureTimestamps: z.array(z.object({ unit: z.string(), agent: z.string(), count: z.number(), lastSeen: z.string() })).optional(),
}) satisfies z.ZodType<DetectionHealth>;

export const healthSnapshotSchema = z.object({
  /** Which correlate process (host and pid): one key per member in the compacted topic. */
  member: z.string().min(1),
  /** When it was taken, epoch ms; a snapshot that stops being refreshed goes stale. */
  at: z.number(),
  /** The member stopped cleanly: its partitions moved to others, leave it out. */
  stopped: z.boolean().optional(),
  rules: z.object({ loaded: z.number(), errors: z.array(z.string()) }),
  detection: detectionHealthSchema.nullable(),
});

export type HealthSnapshot = Omit<z.infer<typeof healthSnapshotSchema>, 'detection'> & { detection: DetectionHealth | null };
