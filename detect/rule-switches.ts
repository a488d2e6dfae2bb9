// Applies the rules people switched off in the console (core/accounts/rule-switches.ts
// says why they live in the audit log) to this process's detector: a switched-off rule
// fires no signal, so it raises no new alert, and a switched-off correlation is sent no
// new signals, so it raises none either. The rule stays compiled, so switching it back
// on takes effect as fast as switching it off, without a reload.
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

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}
