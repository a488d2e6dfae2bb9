// The agent's configuration: one YAML file, validated with zod. Every problem is
// reported at once, each with its line in the file and its key ("agent.yml:7:5:
// inputs.0.format: ..."), so an operator fixes a broken file in one go. Unknown keys are
// errors: a misspelt `max_wait_ms` must not silently fall back to the default.
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { AgentConfigError } from './agent-errors.ts';
import { hasFolderWildcard } from './input-pattern.ts';

const MIB = 1024 * 1024;

const inputSchema = z.strictObject({
  /** A file to tail, or a pattern (`*`, `?` in the file name) whose files are all tailed, new ones included. Relative paths are read from the config file's folder. */
  path: z.string().min(1, 'must name a file'),
  /** Ingest's decoder for these lines (`?format=`); `ecs` is Vigil's native NDJSON. */
  format: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/, 'must be a format name such as ecs, suricata or av:<console> (lowercase letters, digits, ., :, _ and -)')
    .default('ecs'),
  /** The file's first line is its column titles (a CSV export): sent first in every post, never as an event. */
  header_line: z.boolean().default(false),
  /** Where to begin a file the agent has never read: its first line, or what is appended from now on. */
  start_at: z.enum(['beginning', 'end']).default('beginning'),
});

const configSchema = z.strictObject({
  vigil: z.strictObject({
    /** Where Vigil (all-in-one or an ingest process) listens, e.g. https://vigil.example:8443 */
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:8080' }),
    /** The agent key (Vigil's console: Agents, Enrol), or a file holding it. */
    key: z.string().min(24, 'must be an agent key (at least 24 characters)').optional(),
    key_file: z.string().min(1).optional(),
    timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
  }),
  /** The agent's own folder: the tail state (state.json) and the spool (spool/). */
  state_dir: z.string().min(1, 'must name a folder'),
  inputs: z.array(inputSchema).min(1, 'must list at least one file to tail'),
  batch: z
    .strictObject({
      max_events: z.number().int().min(1).max(10_000).default(500),
      max_bytes: z.number().int().min(1024).max(10 * MIB).default(MIB),
      max_wait_ms: z.number().int().min(10).max(600_000).default(1000),
    })
    .default({ max_events: 500, max_bytes: MIB, max_wait_ms: 1000 }),
  spool: z
    .strictObject({
      max_bytes: z.number().int().min(4096).default(100 * MIB),
    })
    .default({ max_bytes: 100 * MIB }),
  retry: z
    .strictObject({
      initial_backoff_ms: z.number().int().min(1).max(600_000).default(500),
      max_backoff_ms: z.number().int().min(1).max(3_600_000).default(60_000),
      /** With --once: attempts per batch before giving up and leaving it in the spool for the next run. */
      once_max_attempts: z.number().int().min(1).max(1000).default(6),
    })
    .default({ initial_backoff_ms: 500, max_backoff_ms: 60_000, once_max_attempts: 6 }),
  heartbeat: z
    .strictObject({
      /** 0 turns heartbeats off. */
      interval_seconds: z.number().min(0).max(86_400).default(60),
    })
    .default({ interval_seconds: 60 }),
  poll_interval_ms: z.number().int().min(10).max(60_000).default(250),
  /** A longer line is skipped (and counted): ingest refuses events over VIGIL_MAX_EVENT_BYTES anyway. */
  max_line_bytes: z.number().int().min(256).max(16 * MIB).default(64 * 1024),
  log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

type ParsedConfig = z.infer<typeof configSchema>;

export interface AgentInput {
  /** Absolute path of the tailed file; also its key in the state and in event ids. */
  path: string;
  format: string;
  startAt: 'beginning' | 'end';
  headerLine: boolean;
}

export interface AgentConfig {
  url: string;
  key: string;
  timeoutMs: number;
  stateDir: string;
  inputs: AgentInput[];
  batch: { maxEvents: number; maxBytes: number; maxWaitMs: number };
  spool: { maxBytes: number };
  retry: { initialBackoffMs: number; maxBackoffMs: number; onceMaxAttempts: number };
  heartbeatIntervalMs: number;
  pollIntervalMs: number;
  maxLineBytes: number;
  logLevel: string;
}

/** Reads and validates the agent's YAML file; throws AgentConfigError listing every problem. */
export function loadAgentConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AgentConfigError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseAgentConfig(text, file);
}

/** Validates the YAML text of `file` (which is only used for messages and relative paths). */
export function parseAgentConfig(text: string, file: string): AgentConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new AgentConfigError(
      file,
      doc.errors.map((error) => {
        const at = lineCounter.linePos(error.pos[0]);
        return `${file}:${at.line}:${at.col}: not valid YAML: ${error.message.split('\n')[0]}`;
      }),
    );
  }
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new AgentConfigError(
      file,
      parsed.error.issues.map((issue) => {
        const keys = issue.path.map((part) => (typeof part === 'number' ? part : String(part)));
        // An unknown key is pointed at itself, not at the section holding it.
        const at = locate(doc, lineCounter, issue.code === 'unrecognized_keys' ? [...keys, issue.keys[0]!] : keys, issue.code === 'unrecognized_keys');
        const name = keys.length > 0 ? keys.join('.') : 'top level';
        return `${at ? `${file}:${at.line}:${at.col}: ` : ''}${name}: ${issue.message}`;
      }),
    );
  }
  return resolve(parsed.data, file);
}

/** Cross-field checks and paths made absolute; every problem at once. */
function resolve(c: ParsedConfig, file: string): AgentConfig {
  const base = path.dirname(path.resolve(file));
  const problems: string[] = [];
  if ((c.vigil.key === undefined) === (c.vigil.key_file === undefined)) {
    problems.push('vigil: give exactly one of key and key_file');
  }
  let key = c.vigil.key ?? '';
  if (c.vigil.key_file !== undefined) {
    try {
      key = fs.readFileSync(path.resolve(base, c.vigil.key_file), 'utf8').trim();
      if (key.length < 24) problems.push(`vigil.key_file: ${c.vigil.key_file} does not hold an agent key (at least 24 characters)`);
    } catch (error) {
      problems.push(`vigil.key_file: cannot read ${c.vigil.key_file}: ${(error as Error).message}`);
    }
  }
  const inputs = c.inputs.map((input) => ({ path: path.resolve(base, input.path), format: input.format, startAt: input.start_at, headerLine: input.header_line }));
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    if (seen.has(input.path)) problems.push(`inputs.${index}.path: ${input.path} is listed twice`);
    if (hasFolderWildcard(input.path)) problems.push(`inputs.${index}.path: wildcards (* and ?) are read in the file name only, not in folders`);
    seen.add(input.path);
    if (input.headerLine && input.format === 'ecs') problems.push(`inputs.${index}.header_line: only for a CSV format (such as av:<console>), not ecs`);
  });
  if (c.retry.max_backoff_ms < c.retry.initial_backoff_ms) problems.push('retry.max_backoff_ms: must be at least retry.initial_backoff_ms');
  // The newest batch must fit next to the oldest, or a full spool could hold nothing.
  if (c.spool.max_bytes < 2 * c.batch.max_bytes) problems.push('spool.max_bytes: must be at least twice batch.max_bytes');
  if (c.max_line_bytes > c.batch.max_bytes) problems.push('max_line_bytes: must not exceed batch.max_bytes');
  if (problems.length > 0) throw new AgentConfigError(file, problems);
  return {
    url: c.vigil.url.replace(/\/+$/, ''),
    key,
    timeoutMs: c.vigil.timeout_ms,
    stateDir: path.resolve(base, c.state_dir),
    inputs,
    batch: { maxEvents: c.batch.max_events, maxBytes: c.batch.max_bytes, maxWaitMs: c.batch.max_wait_ms },
    spool: { maxBytes: c.spool.max_bytes },
    retry: { initialBackoffMs: c.retry.initial_backoff_ms, maxBackoffMs: c.retry.max_backoff_ms, onceMaxAttempts: c.retry.once_max_attempts },
    heartbeatIntervalMs: c.heartbeat.interval_seconds * 1000,
    pollIntervalMs: c.poll_interval_ms,
    maxLineBytes: c.max_line_bytes,
    logLevel: c.log_level,
  };
}

/** The line and column of the deepest node along `keys` that the file has. */
function locate(
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  keys: (string | number)[],
  keyItself = false,
): { line: number; col: number } | undefined {
  if (keyItself && keys.length > 0) {
    const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
    const items = (parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null)?.items ?? [];
    const pair = items.find((item) => item.key?.value === keys.at(-1));
    if (pair?.key?.range) return lines.linePos(pair.key.range[0]);
  }
  for (let depth = keys.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keys.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lines.linePos(range[0]);
  }
  return undefined;
}
