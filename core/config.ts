// Configuration from the environment, parsed once with zod. Every problem is reported
// in one error, so a misconfigured deployment is fixed in one go, not one var at a time.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { VigilError } from './errors.ts';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const configSchema = z.object({
  VIGIL_HOST: z.string().min(1).default('127.0.0.1'),
  VIGIL_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  VIGIL_DATA_DIR: z.string().min(1).default('./data'),
  VIGIL_RULES_DIR: z.string().min(1).default(path.join(packageRoot, 'rules')),
  VIGIL_UI_DIR: z.string().min(1).default(path.join(packageRoot, 'ui', 'dist')),
  VIGIL_ADMIN_PASSWORD: optionalText.pipe(z.string().min(8, 'must be at least 8 characters').optional()),
  VIGIL_BOOTSTRAP_UNIT: optionalText.pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a unit id: lowercase letters, digits, - and _, at most 64')
      .optional(),
  ),
  VIGIL_BOOTSTRAP_AGENT_KEY: optionalText.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  VIGIL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  VIGIL_BUS: z.enum(['embedded']).default('embedded'),
  VIGIL_STORE: z.enum(['embedded']).default('embedded'),
  VIGIL_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  VIGIL_SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  VIGIL_SESSION_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
  VIGIL_BUS_RETENTION_HOURS: z.coerce.number().min(1).max(24 * 365).default(72),
  VIGIL_CORRELATION_LATENESS_SECONDS: z.coerce.number().min(0).max(7 * 24 * 3600).default(900),
  VIGIL_CORRELATION_MAX_GROUPS: z.coerce.number().int().min(1).default(200_000),
  VIGIL_CORRELATION_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000),
  VIGIL_ALERT_GROUP_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(60),
  VIGIL_SILENT_AGENT_MINUTES: z.coerce.number().min(1).default(120),
  VIGIL_SILENT_UNIT_MINUTES: z.coerce.number().min(1).default(30),
  VIGIL_UTC_OFFSET_MINUTES: z.coerce.number().int().min(-14 * 60).max(14 * 60).default(420),
  VIGIL_IDLE_ADVANCE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export interface VigilConfig {
  host: string;
  port: number;
  dataDir: string;
  rulesDir: string;
  uiDir: string;
  adminPassword: string | undefined;
  bootstrapUnit: string | undefined;
  bootstrapAgentKey: string | undefined;
  maxBodyBytes: number;
  bus: 'embedded';
  store: 'embedded';
  logLevel: string;
  secureCookies: boolean;
  sessionHours: number;
  busRetentionHours: number;
  correlation: CorrelationConfig;
}

/** Streaming correlation and alert grouping (detect/correlation/). */
export interface CorrelationConfig {
  /**
   * Events later than this behind the newest are counted as late, not correlated. The
   * default, 15 minutes, covers AV agents that sync with their management server every
   * few minutes; close-time conditions are decided this long after their window ends.
   */
  allowedLatenessMs: number;
  maxGroupsPerRule: number;
  maxEntriesPerGroup: number;
  /** Repeats of a rule on the same group within this window update one alert. */
  alertGroupWindowMs: number;
  silentAgentMs: number;
  silentUnitMs: number;
  /** The SOC's local time, for learning which hours of the day a source normally sends. */
  utcOffsetMinutes: number;
  /** Move event time with the wall clock when the pipeline is idle. */
  idleAdvance: boolean;
}

export class ConfigError extends VigilError {
  constructor(readonly problems: string[]) {
    super('bad_config', `invalid configuration:\n  ${problems.join('\n  ')}`, 'config');
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const c = parsed.data;
  return {
    host: c.VIGIL_HOST,
    port: c.VIGIL_PORT,
    dataDir: path.resolve(c.VIGIL_DATA_DIR),
    rulesDir: path.resolve(c.VIGIL_RULES_DIR),
    uiDir: path.resolve(c.VIGIL_UI_DIR),
    adminPassword: c.VIGIL_ADMIN_PASSWORD,
    bootstrapUnit: c.VIGIL_BOOTSTRAP_UNIT,
    bootstrapAgentKey: c.VIGIL_BOOTSTRAP_AGENT_KEY,
    maxBodyBytes: c.VIGIL_MAX_BODY_BYTES,
    bus: c.VIGIL_BUS,
    store: c.VIGIL_STORE,
    logLevel: c.VIGIL_LOG_LEVEL,
    secureCookies: c.VIGIL_SECURE_COOKIES,
    sessionHours: c.VIGIL_SESSION_HOURS,
    busRetentionHours: c.VIGIL_BUS_RETENTION_HOURS,
    correlation: {
      allowedLatenessMs: c.VIGIL_CORRELATION_LATENESS_SECONDS * 1000,
      maxGroupsPerRule: c.VIGIL_CORRELATION_MAX_GROUPS,
      maxEntriesPerGroup: c.VIGIL_CORRELATION_MAX_ENTRIES,
      alertGroupWindowMs: c.VIGIL_ALERT_GROUP_MINUTES * 60_000,
      silentAgentMs: c.VIGIL_SILENT_AGENT_MINUTES * 60_000,
      silentUnitMs: c.VIGIL_SILENT_UNIT_MINUTES * 60_000,
      utcOffsetMinutes: c.VIGIL_UTC_OFFSET_MINUTES,
      idleAdvance: c.VIGIL_IDLE_ADVANCE,
    },
  };
}
