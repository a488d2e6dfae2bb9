// What an antivirus console mapping file (rules/decoders/*.yaml) may say, validated
// with zod when ingest starts. A mapping names the console's fields (JSON keys or dotted
// paths, or CSV column titles) for each ECS field Vigil's antivirus rules read, how to
// read its time, and how its action and result words translate to Vigil's. See
// rules/decoders/_template.yaml for every option with its meaning.
import { z } from 'zod';

/** The antivirus actions Vigil's rules know (README, "What agents may send"). */
export const AV_ACTIONS = ['detected', 'quarantined', 'cleaned', 'deleted', 'blocked', 'failed'] as const;
export const AV_OUTCOMES = ['success', 'failure', 'unknown'] as const;

/**
 * ECS fields a mapping may fill from a console field. `file.hash` picks md5, sha1 or
 * sha256 by the value's length; `labels.<name>` keeps anything else as text.
 */
export const AV_TARGETS = [
  'host.name',
  'host.hostname',
  'host.id',
  'host.ip',
  'host.os.name',
  'user.name',
  'user.domain',
  'rule.name',
  'rule.id',
  'rule.category',
  'file.path',
  'file.name',
  'file.size',
  'file.hash',
  'file.hash.md5',
  'file.hash.sha1',
  'file.hash.sha256',
  'process.executable',
  'process.name',
  'process.command_line',
  'observer.name',
  'observer.version',
  'event.id',
  'event.severity',
  'message',
] as const;

export type AvTarget = (typeof AV_TARGETS)[number] | `labels.${string}`;

const LABEL = /^labels\.[a-z0-9_]{1,64}$/;
const isTarget = (name: string) => (AV_TARGETS as readonly string[]).includes(name) || LABEL.test(name);
const notTarget = (name: string) =>
  `"${name}" is not a field a mapping may fill; use one of ${AV_TARGETS.join(', ')} or labels.<name> (lowercase letters, digits and _)`;
const target = z.string().refine(isTarget, { error: (issue) => notTarget(String(issue.input)) });
const sourceField = z.string().trim().min(1);
const STATIC_NAME = /^(?!organization(\.|$))(?!_vigil)[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;
const wordMap = <T extends readonly [string, ...string[]]>(values: T) => z.record(z.string().min(1), z.enum(values));

export const avMappingSchema = z.strictObject({
  /** The format is `av:<name>`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _'),
  description: z.string().min(1),
  /** Where the console's format is documented, for whoever maintains the mapping. */
  documentation: z.string().optional(),
  input: z.enum(['json', 'csv']),
  csv: z.strictObject({ delimiter: z.enum([',', ';', '\t', '|']).default(',') }).optional(),
  /** Only records whose field has one of these values are read; others are refused, saying why. */
  where: z.record(sourceField, z.union([z.string(), z.array(z.string()).min(1)])).optional(),
  // Keys checked here rather than by the record's key schema, so a typo is named.
  fields: z.record(z.string(), sourceField).superRefine((fields, ctx) => {
    if (Object.keys(fields).length === 0) ctx.addIssue({ code: 'custom', message: 'map at least one field' });
    for (const key of Object.keys(fields)) if (!isTarget(key)) ctx.addIssue({ code: 'custom', path: [key], message: notTarget(key) });
  }),
  /** The console's own unit or group: kept in labels.console_group, never used as the unit (the agent key decides). */
  unit_hint: sourceField.optional(),
  time: z
    .strictObject({
      field: sourceField,
      /** iso8601, epoch_s, epoch_ms, or a pattern of YYYY MM MMM DD HH hh mm ss SSS A. */
      format: z.string().min(1).default('iso8601'),
      /** UTC, an offset (+07:00) or an IANA name (Asia/Bangkok), for times written without one. */
      timezone: z.string().min(1).default('UTC'),
    })
    .optional(),
  action: z
    .strictObject({ field: sourceField, map: wordMap(AV_ACTIONS).default({}), default: z.enum(AV_ACTIONS).default('detected') })
    .optional(),
  result: z
    .strictObject({ field: sourceField, map: wordMap(AV_OUTCOMES).default({}), default: z.enum(AV_OUTCOMES).default('unknown') })
    .optional(),
  /** Constant fields for every event (observer.vendor, observer.product); organization.* is refused. */
  static: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .superRefine((fields, ctx) => {
      for (const key of Object.keys(fields)) {
        if (!STATIC_NAME.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'a dotted ECS name, not organization.* (the agent key decides the unit)' });
      }
    })
    .optional(),
  /** ECS fields a record must have, or it is refused (e.g. host.name, rule.name). */
  required: z.array(target).default([]),
});

export type AvMapping = z.output<typeof avMappingSchema>;
