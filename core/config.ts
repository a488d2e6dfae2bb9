// Configuration from the environment, parsed once with zod. Every problem is reported
// in one error, so a misconfigured deployment is fixed in one go, not one var at a time.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { VigilError } from './errors.ts';
import { DEFAULT_REPORT_SCHEDULE, reportConfigProblems, type ReportConfig } from './report/report-settings.ts';
import { parseTriageTargets } from './report/triage-targets.ts';

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
  VIGIL_BUS: z.enum(['embedded', 'kafka']).default('embedded'),
  VIGIL_STORE: z.enum(['embedded', 'elasticsearch', 'opensearch']).default('embedded'),
  // Kafka (VIGIL_BUS=kafka)
  VIGIL_KAFKA_BROKERS: optionalText,
  VIGIL_KAFKA_CLIENT_ID: z.string().min(1).default('vigil'),
  VIGIL_KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(7).default(1),
  // Partitions of each topic, created at start (both bus adapters). The signals topic's
  // partition count is the number of correlation shards. Unset: 6 on Kafka (room for
  // replicas), 1 on the embedded bus, where one thread consumes every partition and
  // more only cost bookkeeping (a 60,000-event all-in-one bench: 10,400 and 6,500
  // events/s on the province and stress mixes with 1, against 9,400–10,400 and 5,000
  // with 6).
  VIGIL_EVENTS_PARTITIONS: z.coerce.number().int().min(1).max(1024).optional(),
  VIGIL_SIGNALS_PARTITIONS: z.coerce.number().int().min(1).max(1024).optional(),
  VIGIL_ALERTS_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(1),
  // Search store (VIGIL_STORE=elasticsearch|opensearch); accounts live there too.
  VIGIL_SEARCH_URL: optionalText,
  VIGIL_SEARCH_USERNAME: optionalText,
  VIGIL_SEARCH_PASSWORD: optionalText,
  VIGIL_SEARCH_INDEX_PREFIX: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, 'must be lowercase letters, digits, - and _').default('vigil'),
  VIGIL_SEARCH_TLS_CA_FILE: optionalText,
  VIGIL_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // Time
  VIGIL_FUTURE_TOLERANCE_SECONDS: z.coerce.number().min(0).max(24 * 3600).default(300),
  VIGIL_SOURCE_IDLE_SECONDS: z.coerce.number().min(1).max(24 * 3600).default(60),
  // Ingest limits
  VIGIL_MAX_EVENTS_PER_POST: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  VIGIL_MAX_EVENT_BYTES: z.coerce.number().int().min(256).max(16 * 1024 * 1024).default(64 * 1024),
  VIGIL_MAX_EVENT_DEPTH: z.coerce.number().int().min(2).max(1000).default(32),
  VIGIL_AGENT_RATE_PER_SECOND: z.coerce.number().min(0).default(2000),
  VIGIL_AGENT_RATE_BURST: z.coerce.number().min(1).default(20_000),
  /**
   * Events detection may be behind before ingest refuses posts with 503 and a Retry-After
   * of about the time it needs to catch up (agents keep and resend them); 0: never refuse.
   * The default is under two minutes of all-in-one detection, and about 600 MB of bus.
   */
  VIGIL_INGEST_MAX_BACKLOG: z.coerce.number().int().min(0).default(1_000_000),
  /**
   * Syslog listeners (UDP/TCP, RFC 5424/3164 carrying CEF, LEEF or plain text), each bound
   * to one unit: JSON [{"protocol":"udp","host":"0.0.0.0","port":5514,"unit":"so-tttt","format":"auto"}]
   * or compact "udp:0.0.0.0:5514=so-tttt/cef,tcp:1514=dc-firewall"; none when unset. Plain TCP only (no TLS).
   * Read by ingest/syslog/listener-config.ts when `vigil ingest` or `vigil start` begins.
   */
  VIGIL_SYSLOG_LISTENERS: optionalText,
  // Keep each decoded line (Suricata EVE, antivirus console exports, ...) as sent in the
  // event's event.original, for investigation and re-parsing; native ECS posts are kept
  // as they are. Off by default: it roughly doubles what each decoded event stores.
  VIGIL_INGEST_KEEP_ORIGINAL: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  // People and sessions
  VIGIL_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  VIGIL_LOGIN_WINDOW_MINUTES: z.coerce.number().min(1).max(24 * 60).default(15),
  VIGIL_PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  VIGIL_METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
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
  // Threat intel (detect/intel/). The lists are files in the rules folder's intel/.
  /** YAML file naming the TAXII 2.1 feeds to pull on a schedule (detect/intel/taxii-config.ts); none when unset. */
  VIGIL_TAXII_CONFIG: optionalText,
  /** Most indicators held in memory (lists and feeds together); more are dropped and logged. */
  VIGIL_INTEL_MAX_INDICATORS: z.coerce.number().int().min(0).default(5_000_000),
  // Notifications (`vigil notify`, and inside `vigil start` when the rules file exists).
  // Secrets (SMTP password, webhook secrets, bot tokens) come from here or the rules
  // file's ${NAME} references, and are never logged.
  /** Routing rules and channels (YAML); default <VIGIL_DATA_DIR>/notify.yml. */
  VIGIL_NOTIFY_RULES_FILE: optionalText,
  /** The console's address as people reach it, for links in messages: <url>/alerts/<id>. */
  VIGIL_CONSOLE_URL: optionalText,
  /** SMTP server for email channels: smtp://user:password@host:587 or smtps://host:465. */
  VIGIL_SMTP_URL: optionalText,
  VIGIL_SMTP_FROM: optionalText,
  /** Overrides the password in VIGIL_SMTP_URL. */
  VIGIL_SMTP_PASSWORD: optionalText,
  /** Telegram Bot API base (a local Bot API server, or a test receiver). */
  VIGIL_TELEGRAM_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /** Attempts per notification before it goes to the dead-letter list. */
  VIGIL_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** First retry delay; each further retry waits twice as long (at most an hour). */
  VIGIL_NOTIFY_RETRY_SECONDS: z.coerce.number().min(0.01).max(3600).default(10),
  /** How long one send may take (connect and answer). */
  VIGIL_NOTIFY_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(10),
  // Reports (core/report/, `vigil report`, GET /api/v1/reports, monthly emails).
  /** When each unit's monthly report (the previous calendar month) is emailed: a cron expression in VIGIL_UTC_OFFSET_MINUTES local time. */
  VIGIL_REPORT_SCHEDULE: z.string().trim().min(1).default(DEFAULT_REPORT_SCHEDULE),
  /** Triage targets per severity, acknowledge/resolve: "critical=15m/4h,high=30m/8h" (m, h, d); others keep their defaults. */
  VIGIL_REPORT_TARGETS: optionalText,
  /** YAML of each unit's report recipients; default <VIGIL_DATA_DIR>/report-recipients.yml. */
  VIGIL_REPORT_RECIPIENTS_FILE: optionalText,
});

/** Every environment variable Vigil reads (docker-compose.yml is checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(configSchema.shape);

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
  bus: 'embedded' | 'kafka';
  store: 'embedded' | 'elasticsearch' | 'opensearch';
  kafka: KafkaConfig;
  search: SearchConfig;
  partitions: { events: number; signals: number; alerts: number };
  time: TimeConfig;
  ingestLimits: IngestLimits;
  /** VIGIL_SYSLOG_LISTENERS as given; ingest/syslog/listener-config.ts validates it (core does not import a stage). */
  syslogListeners: string | undefined;
  /** Keep a decoded line's text in event.original (VIGIL_INGEST_KEEP_ORIGINAL). */
  keepOriginalEvents: boolean;
  security: SecurityConfig;
  logLevel: string;
  secureCookies: boolean;
  sessionHours: number;
  busRetentionHours: number;
  correlation: CorrelationConfig;
  intel: IntelConfig;
  notify: NotifySettings;
  report: ReportConfig;
}

export interface KafkaConfig {
  /** host:port list; required when bus is kafka. */
  brokers: string[];
  clientId: string;
  replicationFactor: number;
}

export interface SearchConfig {
  /** Node URLs; required when store is elasticsearch or opensearch. */
  nodes: string[];
  username: string | undefined;
  password: string | undefined;
  /** Every index, template and policy name starts with this. */
  indexPrefix: string;
  /** PEM file of the CA that signed the cluster's certificate. */
  tlsCaFile: string | undefined;
  /** Events older than this are deleted (ILM on Elasticsearch, ISM on OpenSearch). */
  eventsRetentionDays: number;
}

export interface TimeConfig {
  /** Event times further ahead of ingest's clock than this are clamped for detection and flagged. */
  futureToleranceMs: number;
  /** An events partition that sent nothing for this long is advanced by the clock in the watermark. */
  sourceIdleMs: number;
}

export interface IngestLimits {
  maxEventsPerPost: number;
  /** Largest event, as JSON, in bytes. */
  maxEventBytes: number;
  /** Deepest nesting of objects and arrays in an event. */
  maxEventDepth: number;
  /** Sustained events per second per agent key (0: no limit), and the burst above it. */
  agentRatePerSecond: number;
  agentRateBurst: number;
  /** Detection backlog (events) above which posts get 503 + Retry-After; 0: never. */
  maxBacklogEvents: number;
}

export interface SecurityConfig {
  /** Failed logins per user and per address within the window before 429. */
  loginMaxFailures: number;
  loginWindowMs: number;
  /** Password hashes computed at once; the rest wait, so logins cannot starve ingest. */
  passwordHashConcurrency: number;
  /** Bearer token /metrics requires; when unset /metrics answers only on loopback. */
  metricsToken: string | undefined;
}

/** Threat-intelligence lists matched in the stream (detect/intel/). */
export interface IntelConfig {
  /** The lists: the rules folder's intel/ (rules' `%intel_<list>%` placeholders read it too). */
  dir: string;
  /** YAML file naming the TAXII 2.1 feeds to pull; none when unset. */
  taxiiConfig: string | undefined;
  /** Indicators held at most (a memory bound); more are dropped and logged. */
  maxIndicators: number;
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

/** Notifications (notify/): where the rules are, how to reach people, how hard to try. */
export interface NotifySettings {
  rulesFile: string;
  /** No trailing slash. */
  consoleUrl: string;
  smtp: { url: string; from: string; password: string | undefined } | undefined;
  telegramApiUrl: string;
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
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
  const problems: string[] = [];
  const list = (value: string | undefined) => (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
  const brokers = list(c.VIGIL_KAFKA_BROKERS);
  if (c.VIGIL_BUS === 'kafka' && brokers.length === 0) problems.push('VIGIL_KAFKA_BROKERS: required when VIGIL_BUS=kafka (host:port, comma-separated)');
  const nodes = list(c.VIGIL_SEARCH_URL);
  if (c.VIGIL_STORE !== 'embedded' && nodes.length === 0) {
    problems.push(`VIGIL_SEARCH_URL: required when VIGIL_STORE=${c.VIGIL_STORE} (http(s)://host:port, comma-separated)`);
  }
  for (const node of nodes) {
    if (!/^https?:\/\/[^\s/]+/.test(node)) problems.push(`VIGIL_SEARCH_URL: "${node}" is not an http(s) URL`);
  }
  // A time clamped to ingest + tolerance must still fall within the lateness the
  // correlation windows allow, or one agent's clock could still make others' events late.
  // The default follows a lateness set lower than it; an explicit larger value is a mistake.
  const futureToleranceSeconds = Math.min(c.VIGIL_FUTURE_TOLERANCE_SECONDS, c.VIGIL_CORRELATION_LATENESS_SECONDS);
  if (env.VIGIL_FUTURE_TOLERANCE_SECONDS !== undefined && c.VIGIL_FUTURE_TOLERANCE_SECONDS > c.VIGIL_CORRELATION_LATENESS_SECONDS) {
    problems.push(
      `VIGIL_FUTURE_TOLERANCE_SECONDS: ${c.VIGIL_FUTURE_TOLERANCE_SECONDS} must not exceed VIGIL_CORRELATION_LATENESS_SECONDS (${c.VIGIL_CORRELATION_LATENESS_SECONDS})`,
    );
  }
  if (c.VIGIL_SMTP_URL !== undefined && !/^smtps?:\/\/[^\s/]+/.test(c.VIGIL_SMTP_URL)) problems.push('VIGIL_SMTP_URL: must be smtp://host:port or smtps://host:port');
  if ((c.VIGIL_SMTP_URL === undefined) !== (c.VIGIL_SMTP_FROM === undefined)) problems.push('VIGIL_SMTP_URL and VIGIL_SMTP_FROM: set both, or neither');
  if (c.VIGIL_CONSOLE_URL !== undefined && !/^https?:\/\/[^\s/]+/.test(c.VIGIL_CONSOLE_URL)) problems.push('VIGIL_CONSOLE_URL: must be an http(s) URL');
  problems.push(...reportConfigProblems(c.VIGIL_REPORT_SCHEDULE, c.VIGIL_REPORT_TARGETS));
  if (problems.length > 0) throw new ConfigError(problems);
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
    kafka: { brokers, clientId: c.VIGIL_KAFKA_CLIENT_ID, replicationFactor: c.VIGIL_KAFKA_REPLICATION_FACTOR },
    search: {
      nodes,
      username: c.VIGIL_SEARCH_USERNAME,
      password: c.VIGIL_SEARCH_PASSWORD,
      indexPrefix: c.VIGIL_SEARCH_INDEX_PREFIX,
      tlsCaFile: c.VIGIL_SEARCH_TLS_CA_FILE,
      eventsRetentionDays: c.VIGIL_EVENTS_RETENTION_DAYS,
    },
    partitions: {
      events: c.VIGIL_EVENTS_PARTITIONS ?? (c.VIGIL_BUS === 'kafka' ? 6 : 1),
      signals: c.VIGIL_SIGNALS_PARTITIONS ?? (c.VIGIL_BUS === 'kafka' ? 6 : 1),
      alerts: c.VIGIL_ALERTS_PARTITIONS,
    },
    time: { futureToleranceMs: futureToleranceSeconds * 1000, sourceIdleMs: c.VIGIL_SOURCE_IDLE_SECONDS * 1000 },
    ingestLimits: {
      maxEventsPerPost: c.VIGIL_MAX_EVENTS_PER_POST,
      maxEventBytes: c.VIGIL_MAX_EVENT_BYTES,
      maxEventDepth: c.VIGIL_MAX_EVENT_DEPTH,
      agentRatePerSecond: c.VIGIL_AGENT_RATE_PER_SECOND,
      agentRateBurst: c.VIGIL_AGENT_RATE_BURST,
      maxBacklogEvents: c.VIGIL_INGEST_MAX_BACKLOG,
    },
    syslogListeners: c.VIGIL_SYSLOG_LISTENERS,
    keepOriginalEvents: c.VIGIL_INGEST_KEEP_ORIGINAL,
    security: {
      loginMaxFailures: c.VIGIL_LOGIN_MAX_FAILURES,
      loginWindowMs: c.VIGIL_LOGIN_WINDOW_MINUTES * 60_000,
      passwordHashConcurrency: c.VIGIL_PASSWORD_HASH_CONCURRENCY,
      metricsToken: c.VIGIL_METRICS_TOKEN,
    },
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
    intel: {
      dir: path.join(path.resolve(c.VIGIL_RULES_DIR), 'intel'),
      taxiiConfig: c.VIGIL_TAXII_CONFIG === undefined ? undefined : path.resolve(c.VIGIL_TAXII_CONFIG),
      maxIndicators: c.VIGIL_INTEL_MAX_INDICATORS,
    },
    notify: {
      rulesFile: path.resolve(c.VIGIL_NOTIFY_RULES_FILE ?? path.join(c.VIGIL_DATA_DIR, 'notify.yml')),
      consoleUrl: (c.VIGIL_CONSOLE_URL ?? `http://${c.VIGIL_HOST === '0.0.0.0' ? '127.0.0.1' : c.VIGIL_HOST}:${c.VIGIL_PORT}`).replace(/\/+$/, ''),
      smtp:
        c.VIGIL_SMTP_URL !== undefined && c.VIGIL_SMTP_FROM !== undefined
          ? { url: c.VIGIL_SMTP_URL, from: c.VIGIL_SMTP_FROM, password: c.VIGIL_SMTP_PASSWORD }
          : undefined,
      telegramApiUrl: c.VIGIL_TELEGRAM_API_URL,
      maxAttempts: c.VIGIL_NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: c.VIGIL_NOTIFY_RETRY_SECONDS * 1000,
      timeoutMs: c.VIGIL_NOTIFY_TIMEOUT_SECONDS * 1000,
    },
    report: {
      schedule: c.VIGIL_REPORT_SCHEDULE,
      targets: parseTriageTargets(c.VIGIL_REPORT_TARGETS),
      recipientsFile: path.resolve(c.VIGIL_REPORT_RECIPIENTS_FILE ?? path.join(c.VIGIL_DATA_DIR, 'report-recipients.yml')),
    },
  };
}
