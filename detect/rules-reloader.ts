// Keeps a process's rule set in step with the rules folder: loads it at start, reloads
// on every change (the watcher debounces an editor's save into one reload), and hands
// the stages the set in force. The policy: a broken file is reported and skipped; a
// folder where nothing loads at all (all broken, or caught mid-save) never replaces a
// working set, so a bad save can not switch detection off. The detect and correlate
// stages read `current()` between batches, so a swap never splits a batch. A reload
// that changed the set in force is told to `onRulesChanged` (the audit log, wired by
// the process: this stage holds no accounts).
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import { detectorFor, type LoadedDetector } from './rule-detector.ts';
import { diffRuleSets, fingerprintRuleSet, type RuleFingerprints, type RuleSetChange } from './rule-set-diff.ts';
import { loadRuleSet } from './sigma/rule-set.ts';
import { watchRules } from './watch-rules.ts';

export interface RulesStatus {
  /** Rules in force. */
  readonly loaded: number;
  /** Problems of the latest load, `file:line:col: message`. */
  readonly errors: readonly string[];
}

export interface RulesReloader {
  /** The rule set in force; a new object after every reload that took effect. */
  current(): LoadedDetector;
  status(): RulesStatus;
  /** Reloads now (what a folder change triggers); answers the status after it. */
  reload(): RulesStatus;
  close(): void;
}

export interface RulesReloaderOptions {
  rulesDir: string;
  metrics: Metrics;
  log: Logger;
  /** Told after every reload, kept or refused, with the status then in force. */
  onReload?: (status: RulesStatus) => void;
  /**
   * Told after a reload that changed the rule set in force or its number of problems
   * (not at the first load, not for a refused folder, not for a save that changed
   * nothing). A throw here is logged; the reload stands.
   */
  onRulesChanged?: (change: RuleSetChange) => void;
  /** false: load once, never watch (`vigil rules match`, tests). */
  watch?: boolean;
  debounceMs?: number;
}

export function startRulesReloader(options: RulesReloaderOptions): RulesReloader {
  const { metrics } = options;
  const log = options.log.child({ stage: 'rules' });
  const load = (): { detector: LoadedDetector; fingerprints: RuleFingerprints } => {
    const ruleSet = loadRuleSet(options.rulesDir, { collectErrors: true });
    const detector = detectorFor(ruleSet, (rule, error) => {
      metrics.ruleFailures.inc({ rule: rule.id });
      log.error({ stage: 'detect', rule: rule.id, err: error }, 'rule failed on an event; skipped for that event');
    });
    return { detector, fingerprints: fingerprintRuleSet(ruleSet) };
  };

  /** Metrics and log lines for a load: `running` rules in force, `errors` of the latest load. */
  const report = (running: number, errors: readonly string[]) => {
    metrics.rulesLoaded.set(running);
    metrics.ruleErrors.set(errors.length);
    for (const error of errors) log.error(error);
  };

  const first = load();
  let rules = first.detector;
  let fingerprints = first.fingerprints;
  let status: RulesStatus = { loaded: rules.loaded, errors: rules.errors };
  report(rules.loaded, rules.errors);

  const tellChange = (previous: { fingerprints: RuleFingerprints; errors: number }) => {
    if (options.onRulesChanged === undefined) return;
    const change = diffRuleSets(options.rulesDir, previous, { fingerprints, errors: rules.errors.length });
    if (change === null) return;
    try {
      options.onRulesChanged(change);
    } catch (error) {
      log.error({ err: error }, 'recording a rules change failed');
    }
  };

  const reload = (): RulesStatus => {
    const loaded = load();
    const next = loaded.detector;
    const keepPrevious = next.loaded === 0 && next.errors.length > 0 && rules.loaded > 0;
    if (!keepPrevious) {
      const previous = { fingerprints, errors: rules.errors.length };
      rules = next;
      fingerprints = loaded.fingerprints;
      tellChange(previous);
    }
    status = { loaded: rules.loaded, errors: next.errors };
    report(rules.loaded, next.errors);
    if (keepPrevious) log.error({ kept: rules.loaded }, 'the rules folder failed to load; the previous rule set keeps running');
    else log.info({ loaded: rules.loaded, errors: rules.errors.length }, 'rules reloaded');
    options.onReload?.(status);
    return status;
  };

  const watcher =
    options.watch === false
      ? undefined
      : watchRules(
          options.rulesDir,
          () => {
            try {
              reload();
            } catch (error) {
              log.error({ err: error }, 'reloading the rules failed; the previous rule set keeps running');
            }
          },
          (error) => log.warn({ err: error }, 'cannot watch the rules folder; rule changes need a restart'),
          options.debounceMs,
        );

  return {
    current: () => rules,
    status: () => status,
    reload,
    close: () => watcher?.close(),
  };
}
