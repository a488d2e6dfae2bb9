// The shape of notify.yml: the channels (where messages go, in which language, at what
// rate) and the routing rules (which alerts go to which channels). zod is the contract;
// load-notify-config.ts reads the YAML, fills in secrets from the environment and turns
// every problem into a line naming the rule or channel and the key.
import { z } from 'zod';
import { alertKinds, notificationLanguages } from '../core/ports/notifications.ts';
import { severitySchema } from '../core/schemas/alert.ts';

/** One value or a list of them; routing keys read naturally either way (`unit: a` or `unit: [a, b]`). */
const oneOrMany = <S extends z.ZodType<string>>(item: S) =>
  z.union([item, z.array(item).min(1)]).transform((value): Array<z.output<S>> => (Array.isArray(value) ? value : [value]));

const unitId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a unit id: lowercase letters, digits, - and _');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const rateLimitSchema = z
  .object({
    /** Messages about single alerts per minute; beyond it they are folded into a digest. */
    per_minute: z.number().int().min(1).max(10_000).default(20),
    /** How long a digest collects the surplus before it is sent. */
    digest_minutes: z.number().min(0.1).max(24 * 60).default(5),
  })
  .strict();

const common = {
  /** Bound to a unit: gets that unit's alerts only, whatever the rules say. */
  unit: unitId.optional(),
  language: z.enum(notificationLanguages).default('vi'),
  rate_limit: rateLimitSchema.default({ per_minute: 20, digest_minutes: 5 }),
};

const emailChannelSchema = z.object({ type: z.literal('email'), to: oneOrMany(z.email()), ...common }).strict();
const webhookChannelSchema = z
  .object({ type: z.literal('webhook'), url: httpUrl, secret: z.string().min(16, 'must be at least 16 characters'), ...common })
  .strict();
const telegramChannelSchema = z
  .object({
    type: z.literal('telegram'),
    token: z.string().min(1),
    chat_id: z.union([z.string().min(1), z.number().int()]).transform(String),
    ...common,
  })
  .strict();
const chatWebhookSchema = z.object({ type: z.enum(['slack', 'teams']), url: httpUrl, ...common }).strict();

export const channelConfigSchema = z.discriminatedUnion('type', [emailChannelSchema, webhookChannelSchema, telegramChannelSchema, chatWebhookSchema]);
export type ChannelConfig = z.output<typeof channelConfigSchema> & { name: string };

const matchSchema = z
  .object({
    /** At least this severe. */
    severity: severitySchema.optional(),
    unit: oneOrMany(unitId).optional(),
    /** Rule ids or titles. */
    rule: oneOrMany(z.string().min(1)).optional(),
    /** ATT&CK tactics (`lateral-movement`, `attack.lateral_movement` and `TA0008`-less names alike). */
    tactic: oneOrMany(z.string().min(1)).optional(),
    kind: oneOrMany(z.enum(alertKinds)).optional(),
  })
  .strict();

const ruleSchema = z
  .object({
    name: z.string().min(1),
    match: matchSchema.default({}),
    channels: z.array(z.string().min(1)).default([]),
    /** Also every channel bound to the alert's unit (its IT officer), without listing them. */
    unit_channels: z.boolean().default(false),
  })
  .strict()
  .refine((rule) => rule.channels.length > 0 || rule.unit_channels, { message: 'name at least one channel, or set unit_channels: true', path: ['channels'] });
export type RoutingRule = z.output<typeof ruleSchema>;

export const notifyFileSchema = z
  .object({
    channels: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'channel names: letters, digits, _ . -'), channelConfigSchema),
    rules: z.array(ruleSchema).default([]),
  })
  .strict();

export interface NotifyConfig {
  channels: ChannelConfig[];
  rules: RoutingRule[];
}
