// Compiles a rule written inline in a test, so each test shows the exact YAML it is
// about. Indentation common to all lines is removed, as in a heredoc.
import { compileRule, type CompiledRule, type CompileResult } from '../../../detect/sigma/compile-rule.ts';

export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0));
  return `${lines.map((line) => line.slice(indent)).join('\n')}\n`;
}

/** Compiles the YAML, which must be a valid rule. */
export function ruleFrom(yaml: string): CompiledRule {
  const result = compileRule(dedent(yaml), 'rules/inline.yml');
  if (result.rule === undefined) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.rule;
}

/** A rule with just this detection block (indented as under `detection:`) and no logsource. */
export function detectionRule(detection: string): CompiledRule {
  const body = dedent(detection)
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
  return ruleFrom(`title: Test rule\nid: test-rule\ndetection:\n${body}`);
}

export function compileInline(yaml: string, collectErrors = false): CompileResult {
  return compileRule(dedent(yaml), 'rules/inline.yml', { collectErrors });
}
