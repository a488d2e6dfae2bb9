// Applies the rules people switched off in the console (core/accounts/rule-switches.ts
// says why they live in the audit log) to this process's detection. Switched off means
// off, whichever way the rule is reached: it raises no alert and feeds no correlation.
// - detect (withoutDisabled): a switched-off rule fires no signal, and no signal is
//   routed to a switched-off correlation;
// - correlate (correlationsWithoutDisabled): a switched-off correlation is left out of
//   the correlation engine. Without this, a correlation chained on another one (Sigma
//   `rules:` naming a correlation) fired inside the engine whenever its inner
//   correlation did, as did a correlation's windows already open when it was switched
//   off; and a switched-off inner correlation still fed the outer one.
// Why a switched-off rule does not feed the correlations that name it: the switch has
// one meaning for every rule. Most rules a correlation names are building blocks that
// raise no alert of their own (Sigma `generate`), so "stop its alerts but keep feeding"
// would make their switch do nothing at all, while an analyst who switches a rule off
// because it matches wrongly expects its wrong matches gone everywhere. A correlation
// has its own switch, and the Rules page says next to every switch what off means.
// Detection rules stay compiled, so switching back on is as fast as switching off; a
// switched-on correlation starts with empty windows (what it held was dropped).
//
// Live, without a restart: every POLL_MS the watcher asks Accounts for the newest
// switch entry (one indexed row) and reads every switch again only when that changed.
// The first read happens before detection starts, so a restart never lets a disabled
// rule fire. `vigil_rules_disabled` says what this process applies now (tests and
// operators wait on it).
import { Gauge } from 'prom-client';
import type { Accounts } from '../core/accounts/accounts.ts';
import { disabledRuleIds, newestRuleSwitchId, readRuleSwitches } from '../core/accounts/rule-switches.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { CorrelationRules } from './correlation/correlator.ts';
import type { Detector } from './detect-stage.ts';

export const RULE_SWITCH_POLL_MS = 2000;

export interface RuleSwitchWatcher {
  /** Rule ids switched off now; a new object after every change. */
  disabled(): ReadonlySet<string>;
  /** Reads the switches now (what each poll does). */
  refresh(): Promise<void>;
  close(): void;
}

export async function watchRuleSwitches(options: {
  accounts: Pick<Accounts, 'listAudit'>;
  metrics: Pick<Metrics, 'registry'>;
  log: Logger;
  pollMs?: number;
}): Promise<RuleSwitchWatcher> {
  const log = options.log.child({ stage: 'rules' });
  const gauge = new Gauge({
    name: 'vigil_rules_disabled',
    help: 'Rules switched off in the console that this process applies (they raise no alerts).',
    registers: [options.metrics.registry],
  });
  let disabled: ReadonlySet<string> = new Set();
  let newest: string | null | undefined;
  let failing = false;

  const refresh = async () => {
    try {
      const latest = await newestRuleSwitchId(options.accounts);
      if (latest !== newest) {
        const next = disabledRuleIds(await readRuleSwitches(options.accounts));
        newest = latest;
        if (!sameSet(next, disabled)) {
          disabled = next;
          log.info({ disabled: [...next] }, 'rules switched off in the console now applied');
        }
        gauge.set(disabled.size);
      }
      if (failing) log.info('reading the rule switches works again');
      failing = false;
    } catch (error) {
      // The switches in force stay; the next poll tries again.
      if (!failing) log.error({ err: error }, 'cannot read the rule switches; the ones in force stay until it works again');
      failing = true;
    }
  };

  await refresh();
  let polling: Promise<void> | undefined;
  const timer = setInterval(() => {
    polling ??= refresh().finally(() => {
      polling = undefined;
    });
  }, options.pollMs ?? RULE_SWITCH_POLL_MS);
  timer.unref();
  return {
    disabled: () => disabled,
    refresh,
    close: () => clearInterval(timer),
  };
}

const wrapped = new WeakMap<Detector, { disabled: ReadonlySet<string>; detector: Detector }>();

/** `base` without the rules in `disabled`; the same object for the same two inputs (callers cache by it). */
export function withoutDisabled(base: Detector, disabled: ReadonlySet<string>): Detector {
  if (disabled.size === 0) return base;
  const cached = wrapped.get(base);
  if (cached !== undefined && cached.disabled === disabled) return cached.detector;
  const detector: Detector = {
    match(event) {
      const fired = base.match(event);
      return fired.some((id) => disabled.has(id)) ? fired.filter((id) => !disabled.has(id)) : fired;
    },
    routing: {
      correlationsReferencing: (id) => base.routing.correlationsReferencing(id).filter((correlation) => !disabled.has(correlation.id)),
      raisesOwnAlerts: (id) => base.routing.raisesOwnAlerts(id),
    },
  };
  wrapped.set(base, { disabled, detector });
  return detector;
}

const wrappedRules = new WeakMap<CorrelationRules, { disabled: ReadonlySet<string>; rules: CorrelationRules }>();

/**
 * The correlate stage's rules without the correlations in `disabled`: the engine never
 * holds them, so they fire neither on their own signals nor on a chained correlation's
 * firing, and cannot feed a correlation chained on them. The same object for the same
 * two inputs: the correlate stage rebuilds its engine only when the object changes.
 */
export function correlationsWithoutDisabled(base: CorrelationRules, disabled: ReadonlySet<string>): CorrelationRules {
  if (disabled.size === 0 || !base.correlations.some((correlation) => disabled.has(correlation.id))) return base;
  const cached = wrappedRules.get(base);
  if (cached !== undefined && cached.disabled === disabled) return cached.rules;
  const rules: CorrelationRules = {
    // Order kept: the engine chains a correlation only on those listed before it.
    correlations: base.correlations.filter((correlation) => !disabled.has(correlation.id)),
    ruleMeta: (id) => base.ruleMeta(id),
    // Unchanged: a rule that only feeds a switched-off correlation stays a building block, it does not start alerting.
    raisesOwnAlerts: (id) => base.raisesOwnAlerts(id),
  };
  wrappedRules.set(base, { disabled, rules });
  return rules;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}
