// The security event contract (ECS field names). Agents post `incomingEventSchema`;
// ingest stamps it into a `SecurityEvent`, the only shape that travels on the bus and
// lands in the store. Unknown fields are kept: ECS allows custom fields and agents
// send more than we model; only the fields Vigil relies on are typed here.
import { z } from 'zod';
import { isoTimestamp } from './timestamp.ts';

const text = z.string().max(32_768);
const textList = z.union([text, z.array(text)]).transform((v) => (Array.isArray(v) ? v : [v]));
const port = z.number().int().min(0).max(65_535);

const endpoint = z.looseObject({
  ip: text.optional(),
  port: port.optional(),
  address: text.optional(),
  domain: text.optional(),
  bytes: z.number().nonnegative().optional(),
  packets: z.number().nonnegative().optional(),
});

export const eventOutcomes = ['success', 'failure', 'unknown'] as const;

/**
 * Added to `tags` by ingest when `@timestamp` was further in the future than the
 * tolerance (VIGIL_FUTURE_TOLERANCE_SECONDS); the original time is kept.
 */
export const FUTURE_TIMESTAMP_TAG = 'vigil.future_timestamp';

export const incomingEventSchema = z.looseObject({
  '@timestamp': isoTimestamp.optional(),
  message: text.optional(),
  tags: textList.optional(),
  event: z
    .looseObject({
      id: z.string().min(1).max(128).optional(),
      kind: text.optional(),
      category: textList.optional(),
      type: textList.optional(),
      action: text.optional(),
      outcome: z.enum(eventOutcomes).optional(),
      severity: z.number().int().min(0).max(1000).optional(),
      module: text.optional(),
      dataset: text.optional(),
      original: z.string().max(1_048_576).optional(),
    })
    .optional(),
  host: z
    .looseObject({
      id: text.optional(),
      name: text.optional(),
      hostname: text.optional(),
      ip: textList.optional(),
      os: z.looseObject({ name: text.optional(), version: text.optional(), family: text.optional() }).optional(),
    })
    .optional(),
  agent: z
    .looseObject({ id: text.optional(), name: text.optional(), type: text.optional(), version: text.optional() })
    .optional(),
  source: endpoint.optional(),
  destination: endpoint.optional(),
  network: z
    .looseObject({ protocol: text.optional(), transport: text.optional(), direction: text.optional() })
    .optional(),
  dns: z.looseObject({ question: z.looseObject({ name: text.optional(), type: text.optional() }).optional() }).optional(),
  url: z.looseObject({ full: text.optional(), domain: text.optional(), path: text.optional() }).optional(),
  tls: z.looseObject({}).optional(),
  file: z
    .looseObject({
      path: text.optional(),
      name: text.optional(),
      size: z.number().nonnegative().optional(),
      hash: z.looseObject({ md5: text.optional(), sha1: text.optional(), sha256: text.optional() }).optional(),
    })
    .optional(),
  process: z
    .looseObject({
      pid: z.number().int().optional(),
      name: text.optional(),
      executable: text.optional(),
      command_line: text.optional(),
    })
    .optional(),
  user: z.looseObject({ name: text.optional(), domain: text.optional(), id: text.optional() }).optional(),
  rule: z
    .looseObject({ id: text.optional(), name: text.optional(), category: text.optional(), ruleset: text.optional() })
    .optional(),
  observer: z
    .looseObject({ vendor: text.optional(), product: text.optional(), type: text.optional(), name: text.optional() })
    .optional(),
});

export type IncomingEvent = z.output<typeof incomingEventSchema>;

/** The unit an event belongs to: stamped from the agent key, never from the body. */
export const organizationSchema = z.object({ id: z.string().min(1), name: z.string() });
export type Organization = z.infer<typeof organizationSchema>;

/** An event after ingest: timestamps, id and unit are always present. */
export const securityEventSchema = incomingEventSchema.extend({
  '@timestamp': z.iso.datetime({ offset: true }),
  event: incomingEventSchema.shape.event.unwrap().extend({
    id: z.string().min(1).max(128),
    ingested: z.iso.datetime({ offset: true }),
  }),
  organization: organizationSchema,
});

export type SecurityEvent = z.output<typeof securityEventSchema>;
