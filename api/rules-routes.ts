// The Rules page's REST routes, for SOC analysts and admins (a viewer, SOC-wide or of a
// unit, never sees rules: file paths of the server and detection logic are no business
// of theirs):
// - GET /api/v1/rules: how many rules detection runs now and every problem of its last
//   load, so whoever just saved a rule sees whether it loaded without reading the
//   server log. The composition passes that snapshot in: in `vigil start` the detection
//   thread reports each reload (bin/detection-thread.ts); a `vigil api` process reads
//   what the correlate processes publish with their health (core/health/health-board.ts).
// - GET /api/v1/rules/library: every rule of the rules folder (rule-catalog.ts) with its
//   level, tags, file, whether it is switched on, and its hits: the times it matched
//   (an alert groups repeats, so this is the sum of its alerts' counts) and its alerts,
//   among the alerts seen in the last HIT_DAYS days in the caller's scope, and the
//   newest last_seen.
// - GET /api/v1/rules/library/:id: one rule with its YAML.
// - PATCH /api/v1/rules/library/:id { enabled }: switches a rule off or on. Only a
//   SOC-wide analyst or admin may: a rule runs for every unit. The switch is an audit
//   entry that detection applies live (core/accounts/rule-switches.ts says why).
// - POST /api/v1/rules/library/:id/test { events }: runs the rule on pasted events
//   through the production engine, injected by bin/ (the api cannot import detect).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../core/accounts/accounts.ts';
import { RULE_SWITCH_ACTION, readRuleSwitches } from '../core/accounts/rule-switches.ts';
import { ForbiddenError, NotFoundError, UnavailableError } from '../core/errors.ts';
import type { Store } from '../core/ports/store.ts';
import { recordAudit } from './audit-record.ts';
import { parsePastedEvents, type PastedEvent } from './pasted-events.ts';
import { parseRequest } from './parse-request.ts';
import { ruleCatalog, type RuleInfo } from './rule-catalog.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

export interface RulesStatus {
  readonly loaded: number;
  /** `file:line:col: message`, one per problem. */
  readonly errors: readonly string[];
}

/** What "test this rule" answers for each pasted event (detect/rule-tester.ts runs it). */
export interface RuleTestVerdict {
  line: number;
  matched: boolean;
  reason?: 'logsource' | 'detection';
  rules?: string[];
}

export type RuleTestRun =
  | { found: false }
  | {
      found: true;
      kind: 'detection' | 'correlation';
      events: RuleTestVerdict[];
      firings: { group: Record<string, string>; time: string; count: number; lines: number[] }[];
    };

/** Runs one rule of the rules folder on events; built by bin/ from the detect engine. */
export type RuleTestRunner = (ruleId: string, events: readonly PastedEvent[]) => RuleTestRun;

export interface RulesRoutesDeps {
  accounts: Accounts;
  store: Store;
  rules: () => RulesStatus;
  rulesDir?: string;
  testRule?: RuleTestRunner;
}

/** The period hit counts cover. */
export const HIT_DAYS = 30;

const idParams = z.object({ id: z.string().min(1).max(200) });
const switchBody = z.object({ enabled: z.boolean() }).strict();
const testBody = z.object({ events: z.string().max(900_000, 'at most 900,000 characters of events') }).strict();

export async function rulesRoutes(app: FastifyInstance, deps: RulesRoutesDeps) {
  const authors = requireUser(deps.accounts, 'admin', 'analyst');
  const catalog = ruleCatalog(deps.rulesDir ?? defaultRulesDir());

  app.get('/api/v1/rules', { preHandler: authors }, async () => {
    const { loaded, errors } = deps.rules();
    return { loaded, errors };
  });

  app.get('/api/v1/rules/library', { preHandler: authors }, async (request) => {
    const scope = scopeOf(signedIn(request));
    const since = new Date(Date.now() - HIT_DAYS * 86_400_000).toISOString();
    const [rules, switches, hitList] = await Promise.all([catalog.list(), readRuleSwitches(deps.accounts), deps.store.ruleHits({ from: since }, scope)]);
    const hits = new Map(hitList.map((hit) => [hit.rule, hit]));
    const { loaded, errors } = deps.rules();
    return {
      since,
      loaded,
      errors,
      items: rules.map((rule) => {
        const state = switches.get(rule.id);
        const hit = hits.get(rule.id);
        return {
          ...summary(rule),
          enabled: state?.enabled ?? true,
          switchedBy: state?.actor ?? null,
          switchedAt: state?.time ?? null,
          // The times it matched, not its alerts (one alert groups many matches).
          hits: hit?.matches ?? 0,
          alerts: hit?.alerts ?? 0,
          lastHit: hit?.lastHit ?? null,
        };
      }),
    };
  });

  app.get('/api/v1/rules/library/:id', { preHandler: authors }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const rule = await known(catalog, id);
    const state = (await readRuleSwitches(deps.accounts)).get(id);
    return {
      ...summary(rule),
      description: rule.description,
      falsepositives: rule.falsepositives,
      references: rule.references,
      author: rule.author,
      yaml: rule.yaml,
      enabled: state?.enabled ?? true,
      switchedBy: state?.actor ?? null,
      switchedAt: state?.time ?? null,
    };
  });

  app.patch('/api/v1/rules/library/:id', { preHandler: authors }, async (request) => {
    const user = signedIn(request);
    if (user.units !== 'all') throw new ForbiddenError('a rule runs for every unit: only a SOC-wide analyst or admin may switch it', 'api');
    const { id } = parseRequest(idParams, request.params, 'params');
    const { enabled } = parseRequest(switchBody, request.body, 'body');
    await known(catalog, id);
    const before = (await readRuleSwitches(deps.accounts)).get(id)?.enabled ?? true;
    // Switching to the state in force changes nothing and records nothing.
    if (before !== enabled) {
      await recordAudit(deps.accounts, request, { action: RULE_SWITCH_ACTION, target: id, units: ['all'], before: { enabled: before }, after: { enabled } });
    }
    return { id, enabled };
  });

  app.post('/api/v1/rules/library/:id/test', { preHandler: authors }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const { events: text } = parseRequest(testBody, request.body, 'body');
    if (deps.testRule === undefined) throw new UnavailableError('rule tests are not available in this process', 'api');
    const rule = await known(catalog, id);
    const { events, problems } = parsePastedEvents(text);
    const run = deps.testRule(id, events);
    if (!run.found) throw new NotFoundError(`rule ${id} (${rule.file}) does not load; see the rules' load problems`, 'api');
    return { id, kind: run.kind, problems, events: run.events, firings: run.firings };
  });
}

async function known(catalog: ReturnType<typeof ruleCatalog>, id: string): Promise<RuleInfo> {
  const rule = await catalog.get(id);
  if (rule === null || rule.kind === 'filter') throw new NotFoundError(`no rule ${id} in the rules folder`, 'api');
  return rule;
}

function summary(rule: RuleInfo) {
  return { id: rule.id, title: rule.title, kind: rule.kind, level: rule.level, tags: rule.tags, file: rule.file, line: rule.line };
}

/** Where the Sigma files are when the composition does not say (as core/config.ts defaults). */
function defaultRulesDir(): string {
  return process.env['VIGIL_RULES_DIR'] ?? new URL('../rules', import.meta.url).pathname;
}
