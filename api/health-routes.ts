// GET /api/v1/health: is detection keeping up? The console's Health view reads it: the
// correlation watermark, lag, late events (counted, never silently dropped), caps hit,
// silent sources, and the rule load. The detect stage computes DetectionHealth; this
// only reads it through the provider the composition passes in, and scopes it.
//
// Who sees what:
// - Anyone signed in may read it. A unit IT officer's first question is "are my agents
//   still sending, and is detection keeping up?", so refusing them would hide the
//   answer they need most.
// - Silent sources and agents with clocks ahead (future timestamps) are unit data: a
//   unit-scoped user gets only their own units' entries.
// - The watermark (a time, how far correlation has got) and the rule load are the same
//   for every unit: everyone gets them.
// - Lag, active groups and the per-rule counters (late, groups refused, entries
//   dropped) count the events and alerts of every unit: SOC-wide numbers a unit-scoped
//   user must not read (issue 10: a unit's officer saw SOC-wide volumes). They get
//   none: `lag` and `activeGroups` are left out, the per-rule counters are empty.
// - The 50 most recent late events carry event ids of every unit and cannot be told
//   apart by unit, so a unit-scoped user gets none.
// - Rule load problems name server file paths: only admins and analysts get their text
//   (as GET /api/v1/rules); everyone gets `errorCount`, so nobody reads "no problems".
// Until the composition passes a provider, or when it fails or hangs, the route answers
// 503 `unavailable`: the console then says detection health is not available.
import type { FastifyInstance } from 'fastify';
import type { Accounts, User } from '../core/accounts/accounts.ts';
import { UnavailableError } from '../core/errors.ts';
import { scopeAllows } from '../core/ports/scope.ts';
import type { DetectionHealth } from '../core/schemas/detection-health.ts';
import type { RulesStatus } from './rules-routes.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

/** Longest wait for the detect stage's answer before saying it is unavailable. */
const PROVIDER_TIMEOUT_MS = 5_000;
const UNAVAILABLE = 'detection health is not available';

/** DetectionHealth as a user may see it: SOC-wide counts are absent for unit-scoped users. */
export type ScopedDetectionHealth = Omit<DetectionHealth, 'correlation' | 'lag'> & {
  readonly correlation: Omit<DetectionHealth['correlation'], 'activeGroups'> & { readonly activeGroups?: number };
  readonly lag?: DetectionHealth['lag'];
};

export interface HealthResponse {
  readonly detection: ScopedDetectionHealth;
  readonly rules: { readonly loaded: number; readonly errors: readonly string[]; readonly errorCount: number };
}

export interface HealthDeps {
  accounts: Accounts;
  rules: () => RulesStatus;
  /** The detect stage's health; absent until the composition wires it. */
  health?: () => Promise<DetectionHealth>;
}

export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.get('/api/v1/health', { preHandler: requireUser(deps.accounts) }, async (request): Promise<HealthResponse> => {
    const user = signedIn(request);
    if (!deps.health) throw new UnavailableError(UNAVAILABLE, 'api');
    const detection = await withTimeout(deps.health(), PROVIDER_TIMEOUT_MS);
    const { loaded, errors } = deps.rules();
    const seesRuleErrors = user.role === 'admin' || user.role === 'analyst';
    return {
      detection: scopeDetection(detection, user),
      rules: { loaded, errors: seesRuleErrors ? [...errors] : [], errorCount: errors.length },
    };
  });
}

/** Copies only the contract's fields, limited to what `user` may see. */
function scopeDetection(health: DetectionHealth, user: User): ScopedDetectionHealth {
  const scope = scopeOf(user);
  const socWide = scope.kind === 'all';
  const { correlation: c } = health;
  return {
    correlation: {
      watermark: c.watermark,
      ...(socWide ? { activeGroups: c.activeGroups } : {}),
      rules: c.rules,
      titles: { ...c.titles },
      late: socWide ? { ...c.late } : {},
      groupsRefused: socWide ? { ...c.groupsRefused } : {},
      entriesDropped: socWide ? { ...c.entriesDropped } : {},
      recentLate: socWide ? c.recentLate.map(({ correlation, eventId, time, watermark }) => ({ correlation, eventId, time, watermark })) : [],
    },
    ...(socWide
      ? {
          lag: {
            events: health.lag.events,
            signals: health.lag.signals,
            ...(health.lag.catchUp ? { catchUp: { ...health.lag.catchUp } } : {}),
          },
        }
      : {}),
    silentSources: health.silentSources
      .filter((source) => scopeAllows(scope, source.unit))
      .map(({ kind, id, unit, lastSeen }) => ({ kind, id, unit, lastSeen })),
    // Per agent, so unit data like silent sources: a unit-scoped user gets their units'.
    ...(health.futureTimestamps === undefined
      ? {}
      : {
          futureTimestamps: health.futureTimestamps
            .filter((source) => scopeAllows(scope, source.unit))
            .map(({ unit, agent, count, lastSeen }) => ({ unit, agent, count, lastSeen })),
        }),
  };
}

async function withTimeout<T>(answer: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnavailableError(`${UNAVAILABLE}: the detect stage did not answer within ${ms} ms`, 'api')), ms);
  });
  try {
    return await Promise.race([answer, timeout]);
  } catch (err) {
    if (err instanceof UnavailableError) throw err;
    throw new UnavailableError(UNAVAILABLE, 'api', err);
  } finally {
    clearTimeout(timer);
  }
}
