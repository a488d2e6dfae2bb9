// A broken rule is a located error (file:line:col and a fixed code), never a crash;
// collectErrors lists every problem in the file at once.
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../detect/sigma/rule-error.ts';
import { compileInline } from './rule-text.ts';

/** The one error of a rule expected to fail, as `code @ line:col: reason`. */
function failure(yaml: string): string {
  const { rule, errors } = compileInline(yaml);
  expect(rule).toBeUndefined();
  expect(errors).toHaveLength(1);
  const [error] = errors;
  expect(error).toBeInstanceOf(RuleError);
  expect(error?.stage).toBe('rules');
  expect(error?.message.startsWith(`rules/inline.yml:${error?.location.line}:${error?.location.col}: `)).toBe(true);
  return `${error?.code} @ ${error?.location.line}:${error?.location.col}: ${error?.reason}`;
}

describe('located rule errors', () => {
  it('an unknown modifier points at the modifier', () => {
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection:
            file.path|contians: temp
          condition: selection
      `),
    ).toMatch(/^rule_modifier @ 5:15: unknown modifier 'contians'/);
  });

  it('a modifier out of place in its chain points at it', () => {
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection:
            'process.command_line|contains|re': 'a.*b'
          condition: selection
      `),
    ).toMatch(/^rule_modifier @ 5:36: 're' must come first in the chain/);
  });

  it('a misapplied modifier points at it', () => {
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection:
            user.name|contains: null
          condition: selection
      `),
    ).toMatch(/^rule_modifier @ 5:15: 'contains' applies to strings, not to null/);
  });

  it('an unknown identifier points at it inside the condition', () => {
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection:
            event.action: failed
          condition: selection and not filter
      `),
    ).toMatch(/^rule_condition @ 6:32: unknown detection identifier 'filter' \(defined: selection\)/);
  });

  it('a condition that does not parse points at the failing token, also in a list', () => {
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection:
            event.action: failed
          condition:
            - selection
            - 'selection and (selection'
      `),
    ).toMatch(/^rule_condition @ 8:32: expected '\)', found the end/);
  });

  it('a pattern that selects nothing is an error', () => {
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection:
            event.action: failed
          condition: 1 of filter_*
      `),
    ).toMatch(/^rule_condition @ 6:19: 'filter_\*' matches no detection identifier/);
  });

  it('invalid YAML points at the syntax error', () => {
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection:
            event.action: [failed
          condition: selection
      `),
    ).toMatch(/^rule_yaml @ \d+:\d+: invalid YAML/);
  });

  it('a missing or mistyped field of the rule points at where it belongs', () => {
    expect(
      failure(`
        title: t
        detection:
          selection:
            event.action: failed
          condition: selection
      `),
    ).toMatch(/^rule_schema @ 1:1: id: /);
    expect(
      failure(`
        title: t
        id: r1
        level: severe
        detection:
          selection:
            event.action: failed
          condition: selection
      `),
    ).toMatch(/^rule_schema @ 3:8: level: /);
  });

  it('detection shapes Sigma does not allow are errors at the offending value', () => {
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection:
            event.action:
              nested: map
          condition: selection
      `),
    ).toMatch(/^rule_detection @ 6:7: a field takes a value or a list of values, not a map/);
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection:
            - event.action: failed
            - just a keyword
          condition: selection
      `),
    ).toMatch(/^rule_detection @ 6:7: a list holds either keywords/);
    expect(
      failure(`
        title: t
        id: r1
        detection:
          selection: []
          condition: selection
      `),
    ).toMatch(/^rule_detection @ 4:14: an empty list matches nothing/);
  });

  it('a logsource Vigil does not route is an error, not a rule that never fires', () => {
    expect(
      failure(`
        title: t
        id: r1
        logsource:
          product: amigaos
          category: process_creation
        detection:
          selection:
            Image|endswith: '\\cmd.exe'
          condition: selection
      `),
    ).toMatch(/^rule_logsource @ 4:12: logsource product 'amigaos' is not routed.*known: antivirus.*see rules\/pipelines\//);
  });

  it('Sigma documents that are not detection rules are reported as not supported yet', () => {
    expect(
      failure(`
        title: t
        id: r1
        action: global
      `),
    ).toMatch(/^rule_unsupported @ 3:1: rule collections \(action: global\/repeat\/reset\) are not supported yet/);
  });
});

describe('collectErrors', () => {
  it('reports every problem of the file instead of the first', () => {
    const { rule, errors } = compileInline(
      `
        title: t
        id: r1
        logsource:
          category: mainframe
        detection:
          selection:
            file.path|foo: x
            file.name|bar: y
          condition: selection and nope
      `,
      true,
    );
    expect(rule).toBeUndefined();
    expect(errors.map((error) => `${error.code} ${error.location.line}`)).toEqual([
      'rule_logsource 4',
      'rule_modifier 7',
      'rule_modifier 8',
      'rule_condition 9',
    ]);
  });
});
