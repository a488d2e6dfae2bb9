// Conformance of the Sigma 2.1.0 string and generic modifiers through compiled rules:
// contains, startswith, endswith, all, cased, neq, exists, windash, expand, fieldref,
// and the spec's backslash escaping under them.
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../../detect/sigma/compile-rule.ts';
import { dedent, detectionRule } from './rule-text.ts';

describe('contains / startswith / endswith', () => {
  it('place the value anywhere, at the start, at the end', () => {
    const contains = detectionRule(`
      selection:
        process.command_line|contains: mimikatz
      condition: selection
    `);
    expect(contains.matches({ process: { command_line: 'C:\\t\\MimiKatz.exe' } })).toBe(true);
    expect(contains.matches({ process: { command_line: 'mimi katz' } })).toBe(false);
    const starts = detectionRule(`
      selection:
        file.path|startswith: 'C:\\Temp\\'
      condition: selection
    `);
    expect(starts.matches({ file: { path: 'c:\\temp\\a.exe' } })).toBe(true);
    expect(starts.matches({ file: { path: 'd:\\c:\\temp\\a.exe' } })).toBe(false);
    const ends = detectionRule(`
      selection:
        file.name|endswith: [.hta, .js]
      condition: selection
    `);
    expect(ends.matches({ file: { name: 'INVOICE.HTA' } })).toBe(true);
    expect(ends.matches({ file: { name: 'a.json' } })).toBe(false);
  });

  it(String.raw`keep \*, \? and \\ literal, and a trailing backslash is a backslash`, () => {
    // String.raw: the YAML is exactly what a rule file holds.
    const rule = detectionRule(String.raw`
      star:
        message|contains: 'a\*b'
      question:
        message|startswith: 'why\?'
      double:
        file.path|endswith: '\\*'
      trailing:
        file.directory|endswith: 'C:\Windows\'
      condition: 1 of them
    `);
    expect(rule.matches({ message: 'x a*b y' })).toBe(true);
    expect(rule.matches({ message: 'x aXb y' })).toBe(false);
    expect(rule.matches({ message: 'why? not' })).toBe(true);
    expect(rule.matches({ message: 'whyX not' })).toBe(false);
    // `\\*`: a literal backslash, then the wildcard; endswith adds nothing after it.
    expect(rule.matches({ file: { path: String.raw`C:\dir\anything` } })).toBe(true);
    expect(rule.matches({ file: { path: 'C:/dir/anything' } })).toBe(false);
    expect(rule.matches({ file: { directory: 'D:\\C:\\Windows\\' } })).toBe(true);
    expect(rule.matches({ file: { directory: String.raw`C:\Windows` } })).toBe(false);
  });
});

describe('all', () => {
  it('ANDs a list of values, and chains after contains', () => {
    const rule = detectionRule(`
      selection:
        process.command_line|contains|all: [' -w hidden', ' -enc ']
      condition: selection
    `);
    expect(rule.matches({ process: { command_line: 'powershell -enc AAA -w hidden' } })).toBe(true);
    expect(rule.matches({ process: { command_line: 'powershell -enc AAA' } })).toBe(false);
  });
});

describe('cased', () => {
  it('compares case-sensitively, with and without wildcards', () => {
    const rule = detectionRule(`
      exact:
        rule.name|cased: EICAR
      contained:
        process.command_line|cased|contains: 'IEX('
      condition: exact or contained
    `);
    expect(rule.matches({ rule: { name: 'EICAR' } })).toBe(true);
    expect(rule.matches({ rule: { name: 'eicar' } })).toBe(false);
    expect(rule.matches({ process: { command_line: 'x; IEX(New-Object)' } })).toBe(true);
    expect(rule.matches({ process: { command_line: 'x; iex(New-Object)' } })).toBe(false);
  });

  it('leaves the default case-insensitive', () => {
    const rule = detectionRule(`
      selection:
        rule.name: EICAR
      condition: selection
    `);
    expect(rule.matches({ rule: { name: 'eicar' } })).toBe(true);
  });
});

describe('neq', () => {
  it('holds when the field matches none of the values, or is absent', () => {
    const rule = detectionRule(`
      selection:
        event.action|neq: [quarantined, deleted]
      condition: selection
    `);
    expect(rule.matches({ event: { action: 'allowed' } })).toBe(true);
    expect(rule.matches({ event: { action: 'Quarantined' } })).toBe(false);
    expect(rule.matches({ event: { action: 'deleted' } })).toBe(false);
    expect(rule.matches({})).toBe(true);
  });

  it('negates after the other modifiers of the chain', () => {
    const rule = detectionRule(`
      selection:
        file.path|neq|startswith: 'C:\\Program Files\\'
      condition: selection
    `);
    expect(rule.matches({ file: { path: 'C:\\Users\\x.exe' } })).toBe(true);
    expect(rule.matches({ file: { path: 'c:\\program files\\x.exe' } })).toBe(false);
  });
});

describe('exists', () => {
  it('tests presence only: null and empty values exist', () => {
    const rule = detectionRule(`
      has_parent:
        process.parent.pid|exists: true
      no_user:
        user.name|exists: false
      condition: has_parent and no_user
    `);
    expect(rule.matches({ process: { parent: { pid: 4 } } })).toBe(true);
    expect(rule.matches({ process: { parent: { pid: null } } })).toBe(true);
    expect(rule.matches({ process: { parent: { pid: '' } } })).toBe(true);
    expect(rule.matches({ process: { parent: {} } })).toBe(false);
    expect(rule.matches({ process: { parent: { pid: 4 } }, user: { name: null } })).toBe(false);
  });
});

describe('windash', () => {
  const rule = detectionRule(`
    selection:
      process.command_line|windash|contains: ' -encodedcommand '
    condition: selection
  `);

  it('matches a flag written with -, /, en dash, em dash and horizontal bar', () => {
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(rule.matches({ process: { command_line: `powershell ${dash}EncodedCommand SQBFAFgA` } }), dash).toBe(true);
    }
    expect(rule.matches({ process: { command_line: 'powershell _EncodedCommand SQBFAFgA' } })).toBe(false);
    expect(rule.matches({ process: { command_line: 'powershell EncodedCommand SQBFAFgA' } })).toBe(false);
  });

  it('makes every combination of several flags, and leaves dashes inside words alone', () => {
    const two = detectionRule(`
      selection:
        process.command_line|windash|contains: 'net-tool -s -n'
      condition: selection
    `);
    expect(two.matches({ process: { command_line: 'net-tool /s \u2013n' } })).toBe(true);
    expect(two.matches({ process: { command_line: 'net-tool \u2014s -n' } })).toBe(true);
    expect(two.matches({ process: { command_line: 'net/tool -s -n' } })).toBe(false);
  });

  it('under all, each written value may match in any of its forms', () => {
    const all = detectionRule(`
      selection:
        process.command_line|windash|contains|all: [' -nop ', ' -w hidden']
      condition: selection
    `);
    expect(all.matches({ process: { command_line: 'powershell /nop \u2013w hidden' } })).toBe(true);
    expect(all.matches({ process: { command_line: 'powershell /nop' } })).toBe(false);
  });
});

describe('expand', () => {
  const text = `
    title: Admin logon from a workstation
    id: expand-test
    detection:
      selection:
        user.name|expand: '%admins%'
        host.name|expand|startswith: '%sites%-ws'
      condition: selection
  `;
  const placeholders = { admins: ['alice.admin', 'bob.admin'], sites: ['par', 'lyo'] };

  it('replaces a placeholder with any of its configured values', () => {
    const { rule, errors } = compileRule(dedent(text), 'rules/inline.yml', { placeholders });
    expect(errors).toEqual([]);
    expect(rule?.matches({ user: { name: 'Bob.Admin' }, host: { name: 'LYO-WS042' } })).toBe(true);
    expect(rule?.matches({ user: { name: 'alice.admin' }, host: { name: 'par-ws1' } })).toBe(true);
    expect(rule?.matches({ user: { name: 'carol' }, host: { name: 'par-ws1' } })).toBe(false);
    expect(rule?.matches({ user: { name: 'alice.admin' }, host: { name: 'nyc-ws1' } })).toBe(false);
  });

  it('an unknown placeholder is a located error', () => {
    const { rule, errors } = compileRule(dedent(text), 'rules/inline.yml', { placeholders: { admins: ['a'] } });
    expect(rule).toBeUndefined();
    expect(errors[0]?.code).toBe('rule_modifier');
    expect(errors[0]?.message).toMatch(/^rules\/inline\.yml:6:15: unknown placeholder '%sites%'/);
  });
});

describe('fieldref', () => {
  it('compares with another field of the same event', () => {
    const rule = detectionRule(`
      selection:
        process.executable|fieldref: process.parent.executable
      condition: selection
    `);
    const same = { process: { executable: 'C:\\x\\svc.exe', parent: { executable: 'c:\\X\\SVC.exe' } } };
    expect(rule.matches(same)).toBe(true);
    expect(rule.matches({ process: { executable: 'a.exe', parent: { executable: 'b.exe' } } })).toBe(false);
    expect(rule.matches({ process: { executable: 'a.exe' } })).toBe(false);
  });

  it('is case-sensitive under cased and negated under neq', () => {
    const rule = detectionRule(`
      selection:
        user.name|fieldref|cased|neq: user.target.name
      condition: selection
    `);
    expect(rule.matches({ user: { name: 'Admin', target: { name: 'admin' } } })).toBe(true);
    expect(rule.matches({ user: { name: 'admin', target: { name: 'admin' } } })).toBe(false);
  });
});
