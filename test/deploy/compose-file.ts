// Reads docker-compose.yml as `docker compose` would, without a Docker engine: YAML with
// merge keys (`<<: *anchor`), validated with zod, and `${VAR:-default}` interpolation
// resolved against a given environment (empty by default: what a fresh clone gets).
import fs from 'node:fs';
import { parse, parseDocument } from 'yaml';
import { z } from 'zod';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const healthcheckSchema = z.looseObject({ test: z.union([z.array(z.string()), z.string()]) });

const serviceSchema = z.looseObject({
  image: z.string().optional(),
  build: z.union([z.string(), z.looseObject({ context: z.string(), dockerfile: z.string().optional() })]).optional(),
  command: z.union([z.array(z.string()), z.string()]).optional(),
  environment: z.union([z.record(z.string(), scalar), z.array(z.string())]).optional(),
  ports: z.array(z.union([z.string(), z.number()])).optional(),
  healthcheck: healthcheckSchema.optional(),
  depends_on: z.union([z.array(z.string()), z.record(z.string(), z.looseObject({ condition: z.string() }))]).optional(),
  deploy: z.looseObject({ replicas: z.number().int().optional() }).optional(),
  profiles: z.array(z.string()).optional(),
});

const composeSchema = z.looseObject({
  services: z.record(z.string(), serviceSchema),
  volumes: z.record(z.string(), z.unknown().nullable()).optional(),
});

export type ComposeService = z.infer<typeof serviceSchema>;
export type ComposeFile = z.infer<typeof composeSchema>;

export function readComposeFile(file: string): ComposeFile {
  return composeSchema.parse(parse(fs.readFileSync(file, 'utf8'), { merge: true }));
}

/** The comment written just above `key` in the mapping at `path` (YAML comments survive parseDocument). */
export function commentAbove(file: string, path: readonly string[], key: string): string {
  const document = parseDocument(fs.readFileSync(file, 'utf8'));
  const map = document.getIn(path, true) as { items?: { key: { value?: unknown; commentBefore?: string | null } }[] } | undefined;
  const pair = map?.items?.find((item) => item.key.value === key);
  return pair?.key.commentBefore ?? '';
}

/**
 * Compose's variable substitution: `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `$VAR` and `$$`. A required variable missing from `env` throws.
 */
export function interpolate(value: string, env: Record<string, string> = {}): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name, op, arg, bare) => {
    if (whole === '$$') return '$';
    if (bare !== undefined) return env[bare] ?? '';
    const current = env[name as string];
    const unset = current === undefined || (op?.startsWith(':') === true && current === '');
    if (op === ':-' || op === '-') return unset ? (arg as string) : current!;
    if (op === ':?' || op === '?') {
      if (unset) throw new Error(`${name}: ${arg as string}`);
      return current!;
    }
    return current ?? '';
  });
}

/** A service's environment as the container sees it (list or map form, interpolated). */
export function serviceEnvironment(service: ComposeService, env: Record<string, string> = {}): Record<string, string> {
  const raw = service.environment ?? {};
  const entries: [string, string][] = Array.isArray(raw)
    ? raw.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, env[line] ?? ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(raw).map(([key, value]) => [key, value === null ? (env[key] ?? '') : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value, env)]));
}

export interface PublishedPort {
  host: number;
  container: number;
}

/** `ports:` entries in the short syntax ("8080:8080", "127.0.0.1:8080:8080", "8080"). */
export function publishedPorts(service: ComposeService): PublishedPort[] {
  return (service.ports ?? []).map((entry) => {
    const parts = String(entry).replace(/\/(tcp|udp)$/, '').split(':');
    const container = Number(parts.at(-1));
    const host = parts.length >= 2 ? Number(parts.at(-2)) : container;
    return { host, container };
  });
}

/** The healthcheck's command as one string, for finding the URL or address it probes. */
export function healthcheckCommand(service: ComposeService): string {
  const test = service.healthcheck?.test;
  if (test === undefined) return '';
  return Array.isArray(test) ? test.slice(1).join(' ') : test;
}

/** `command:` as an argument list. */
export function commandArgs(service: ComposeService): string[] {
  const command = service.command;
  if (command === undefined) return [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter((part) => part !== '');
}
