// Invalid modifier chains and values are located rule errors (file:line:col, pointing
// at the modifier in the key), never a rule that silently matches nothing or a crash.
import { describe, expect, it } from 'vitest';
import { compileInline } from './rule-text.ts';

/** The one error of a rule whose selection is `key: value`, as `line:col: reason`. */
function failure(key: string, value: string): string {
  const { rule, errors } = compileInline(`
    title: t
    id: r1
    detection:
      selection:
        '${key}': ${value}
      condition: selection
  `);
  expect(rule).toBeUndefined();
  expect(errors).toHaveLength(1);
  const [error] = errors;
  expect(error?.code).toBe('rule_modifier');
  const where = `${error?.location.line}:${error?.location.col}`;
  expect(error?.message).toBe(`rules/inline.yml:${where}: ${error?.reason}`);
  return `${where}: ${error?.reason}`;
}

// The key is quoted and starts at column 5 of line 5, so a modifier at offset n into
// the key is reported at column 6 + n.
describe('chain order', () => {
  it('re must come first, and wildcard modifiers cannot follow it', () => {
    expect(failure('cmd|contains|re', "'a.*b'")).toMatch(/^5:19: 're' must come first in the chain/);
    expect(failure('cmd|re|contains', "'a.*b'")).toMatch(/^5:13: 'contains' applies to strings, not to regular expressions/);
    expect(failure('cmd|re|cased', "'a'")).toMatch(/^5:13: 'cased' applies to strings and field references, not to regular/);
  });

  it('i, m and s are flags of re and must follow it', () => {
    expect(failure('cmd|i', "'a'")).toMatch(/^5:10: 'i' is a flag of 're' and must follow it/);
    expect(failure('cmd|contains|m', "'a'")).toMatch(/^5:19: 'm' is a flag of 're'/);
  });

  it('cidr must come first and take a valid network', () => {
    expect(failure('ip|startswith|cidr', '10.0.0.0/8')).toMatch(/^5:20: 'cidr' must come first in the chain/);
    expect(failure('ip|cidr|contains', '10.0.0.0/8')).toMatch(/^5:14: 'contains' applies to strings, not to CIDR/);
    expect(failure('ip|cidr', '10.0.0.1/8')).toMatch(/^5:9: invalid CIDR '10.0.0.1\/8': host bits are set; the network is 10.0.0.0\/8/);
    expect(failure('ip|cidr', '10.0.0.0/33')).toMatch(/^5:9: invalid CIDR '10.0.0.0\/33': prefix length must be 0 to 32/);
    expect(failure('ip|cidr', '2001:db8::/129')).toMatch(/^5:9: invalid CIDR/);
    expect(failure('ip|cidr', 'intranet')).toMatch(/^5:9: invalid CIDR 'intranet'/);
  });

  it('a time part comes before its comparison', () => {
    expect(failure('ts|gte|hour', '22')).toMatch(/^5:13: 'hour' must come before 'gte'/);
    expect(failure('ts|hour|minute', '22')).toMatch(/^5:14: 'minute' follows 'hour'/);
  });

  it('a modifier written twice is an error', () => {
    expect(failure('cmd|contains|contains', "'a'")).toMatch(/^5:19: modifier 'contains' is written twice/);
  });
});

describe('values a modifier cannot take', () => {
  it('all needs a list', () => {
    expect(failure('cmd|contains|all', "'a'")).toMatch(/^5:19: 'all' needs a list of at least two values/);
  });

  it('numeric comparators and time parts need numbers', () => {
    expect(failure('bytes|gt', 'many')).toMatch(/^5:12: 'gt' compares numbers; "many" is not a number/);
    expect(failure('bytes|lte', "'100'")).toMatch(/^5:12: 'lte' compares numbers; "100" is not a number \(write it unquoted\)/);
    expect(failure('ts|hour', 'noon')).toMatch(/^5:9: 'hour' compares numbers/);
  });

  it('exists takes one boolean and stands alone', () => {
    expect(failure('user|exists', "'yes'")).toMatch(/^5:11: 'exists' takes one boolean/);
    expect(failure('user|exists|neq', 'true')).toMatch(/^5:11: 'exists' stands alone/);
  });

  it('base64offset needs contains; base64 cannot encode wildcards', () => {
    expect(failure('cmd|base64offset', 'foobar')).toMatch(/^5:10: 'base64offset' must be followed by 'contains'/);
    expect(failure('cmd|contains|base64offset', 'foobar')).toMatch(/^5:19: 'base64offset' must be followed by 'contains'/);
    expect(failure('cmd|base64', "'foo*bar'")).toMatch(/^5:10: 'base64' cannot encode a wildcard/);
    expect(failure('cmd|base64offset|contains', "'foo?bar'")).toMatch(/^5:10: 'base64offset' cannot encode a wildcard/);
    expect(failure('cmd|wide|utf16be', 'cmd')).toMatch(/^5:15: 'utf16be': the value is already utf16le/);
  });

  it('re rejects invalid patterns and what RE2 lacks', () => {
    expect(failure('cmd|re', "'a(b'")).toMatch(/^5:10: invalid regular expression for RE2/);
    expect(failure('cmd|re', "'(?<=a)b'")).toMatch(/^5:10: invalid regular expression for RE2 \(no lookaround or backreferences\)/);
  });

  it('windash caps its combinations', () => {
    expect(failure('cmd|windash', "' -a -b -c -d -e'")).toMatch(/^5:10: 'windash' expands at most 4 dashes per value/);
  });

  it('field-only modifiers are refused on keywords', () => {
    expect(failure('|re', "'a.*b'")).toMatch(/^5:7: 're' needs a field; keywords take only string modifiers/);
    expect(failure('|cased', "'A'")).toMatch(/^5:7: 'cased' needs a field/);
  });
});

describe('collectErrors', () => {
  it('reports every misapplied modifier of a rule, each at its place', () => {
    const { rule, errors } = compileInline(
      `
        title: t
        id: r1
        detection:
          selection:
            a|lt: x
            b|cidr: 300.0.0.0/8
            c|exists: maybe
          condition: selection
      `,
      true,
    );
    expect(rule).toBeUndefined();
    expect(errors.map((error) => `${error.code} ${error.location.line}:${error.location.col}`)).toEqual([
      'rule_modifier 5:7',
      'rule_modifier 6:7',
      'rule_modifier 7:7',
    ]);
  });
});
