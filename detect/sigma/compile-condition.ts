// Phase 4b of rule compilation: a condition tree → a closure, resolving identifiers and
// `1 of`/`all of` patterns against the rule's compiled detection identifiers.
import type { EventPredicate } from './compile-detection.ts';
import type { ConditionNode } from './condition-parser.ts';

/** Called for each identifier or pattern the detection does not define. */
export type UnresolvedHandler = (reason: string, offset: number) => void;

/** The condition's closure, or `undefined` when a name did not resolve. */
export function compileCondition(
  node: ConditionNode,
  identifiers: ReadonlyMap<string, EventPredicate>,
  onUnresolved: UnresolvedHandler,
): EventPredicate | undefined {
  let resolved = true;
  const unresolved = (reason: string, offset: number): EventPredicate => {
    resolved = false;
    onUnresolved(reason, offset);
    return () => false;
  };

  const build = (current: ConditionNode): EventPredicate => {
    switch (current.kind) {
      case 'identifier': {
        const predicate = identifiers.get(current.name);
        if (predicate !== undefined) return predicate;
        const known = [...identifiers.keys()].join(', ');
        const reason = `unknown detection identifier '${current.name}' (defined: ${known || 'none'})`;
        return unresolved(reason, current.offset);
      }
      case 'not': {
        const operand = build(current.operand);
        return (event) => !operand(event);
      }
      case 'and':
        return every(current.operands.map(build));
      case 'or':
        return some(current.operands.map(build));
      case 'of': {
        const names = selectIdentifiers([...identifiers.keys()], current.target);
        if (names.length === 0) {
          const what = 'them' in current.target ? "'them'" : `'${current.target.pattern}'`;
          return unresolved(`${what} matches no detection identifier`, current.offset);
        }
        const operands = names.map((name) => identifiers.get(name) as EventPredicate);
        return current.quantifier === 'all' ? every(operands) : some(operands);
      }
    }
  };

  const predicate = build(node);
  return resolved ? predicate : undefined;
}

/**
 * The identifiers `them` or a pattern stands for. Identifiers starting with `_` are
 * left out, by Sigma convention, unless the pattern itself starts with `_`.
 */
export function selectIdentifiers(names: readonly string[], target: { them: true } | { pattern: string }): string[] {
  if ('them' in target) return names.filter((name) => !name.startsWith('_'));
  const { pattern } = target;
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`, 's');
  return names.filter((name) => regex.test(name) && (pattern.startsWith('_') || !name.startsWith('_')));
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function every(operands: readonly EventPredicate[]): EventPredicate {
  if (operands.length === 1) return operands[0] as EventPredicate;
  return (event) => operands.every((operand) => operand(event));
}

function some(operands: readonly EventPredicate[]): EventPredicate {
  if (operands.length === 1) return operands[0] as EventPredicate;
  return (event) => operands.some((operand) => operand(event));
}
