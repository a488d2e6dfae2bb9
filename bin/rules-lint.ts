// `vigil rules lint <path>`: compiles a rule file or folder (with its pipelines, meta
// filters and correlation rules) in collect-all mode and prints every problem as
// `file:line:col: message`, the form editors and CI annotate, so a SOC engineer fixes
// a whole library in one pass. Exit 2 when there is any problem, 0 otherwise.
import { loadRuleSet } from '../detect/sigma/rule-set.ts';
import type { CliOutput } from './cli-output.ts';

export const RULES_LINT_USAGE = 'vigil rules lint <rules file or dir>';

export function runRulesLint(args: readonly string[], output: CliOutput): number {
  const [path, ...extra] = args;
  if (path === undefined || extra.length > 0 || path.startsWith('-')) {
    output.err(`usage: ${RULES_LINT_USAGE}\n`);
    return 2;
  }
  const ruleSet = loadRuleSet(path, { collectErrors: true });
  for (const error of ruleSet.errors) output.err(`${error.message}\n`);
  if (ruleSet.errors.length > 0) {
    output.err(`${ruleSet.errors.length} problem(s) in ${path}\n`);
    return 2;
  }
  const rules = count(ruleSet.rules.length, 'rule');
  const correlations = count(ruleSet.correlations.length, 'correlation');
  const filters = count(ruleSet.filters, 'filter');
  output.out(`${path}: ${rules}, ${correlations} and ${filters} OK\n`);
  return 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
