// What a compiled detection matches: each Sigma detection form, value syntax and
// modifier, against events shaped as agents send them.
import { describe, expect, it } from 'vitest';
import { detectionRule } from './rule-text.ts';

describe('detection forms', () => {
  it('ANDs the fields of a map', () => {
    const rule = detectionRule(`
      selection:
        event.action: quarantined
        rule.name: Mimikatz
      condition: selection
    `);
    expect(rule.matches({ event: { action: 'quarantined' }, rule: { name: 'Mimikatz' } })).toBe(true);
    expect(rule.matches({ event: { action: 'quarantined' }, rule: { name: 'Other' } })).toBe(false);
    expect(rule.matches({ rule: { name: 'Mimikatz' } })).toBe(false);
  });

  it('ORs the maps of a list', () => {
    const rule = detectionRule(`
      selection:
        - event.action: failed
        - event.outcome: failure
      condition: selection
    `);
    expect(rule.matches({ event: { action: 'failed' } })).toBe(true);
    expect(rule.matches({ event: { outcome: 'failure' } })).toBe(true);
    expect(rule.matches({ event: { action: 'cleaned', outcome: 'success' } })).toBe(false);
  });

  it('ORs the values of a field', () => {
    const rule = detectionRule(`
      selection:
        event.action: [quarantined, deleted]
      condition: selection
    `);
    expect(rule.matches({ event: { action: 'deleted' } })).toBe(true);
    expect(rule.matches({ event: { action: 'blocked' } })).toBe(false);
  });

  it('searches keywords in every value of the event, at any depth', () => {
    const rule = detectionRule(`
      keywords:
        - sekurlsa::logonpasswords
        - 'event::clear'
      condition: keywords
    `);
    expect(rule.matches({ process: { command_line: 'm.exe "SEKURLSA::LogonPasswords" exit' } })).toBe(true);
    expect(rule.matches({ tags: ['x', { deep: ['wevtutil event::clear'] }] })).toBe(true);
    expect(rule.matches({ process: { command_line: 'whoami /all' } })).toBe(false);
  });

  it('ANDs keywords under |all and lets a lone string be a keyword', () => {
    const all = detectionRule(`
      keywords:
        '|all':
          - OabVirtualDirectory
          - ' -ExternalUrl '
      condition: keywords
    `);
    expect(all.matches({ message: 'Set-OabVirtualDirectory -ExternalUrl http://x' })).toBe(true);
    expect(all.matches({ message: 'Set-OabVirtualDirectory', other: ' -ExternalUrl ' })).toBe(true);
    expect(all.matches({ message: 'Set-OabVirtualDirectory -InternalUrl http://x' })).toBe(false);
    const lone = detectionRule(`
      keyword: mimikatz
      condition: keyword
    `);
    expect(lone.matches({ file: { name: 'mimikatz.exe' } })).toBe(true);
  });

  it('finds keywords in numbers by their string form', () => {
    const rule = detectionRule(`
      keywords: ['4444']
      condition: keywords
    `);
    expect(rule.matches({ destination: { port: 4444 } })).toBe(true);
  });
});

describe('values', () => {
  it('compares strings case-insensitively', () => {
    const rule = detectionRule(`
      selection:
        rule.name: 'Trojan:Win32/Emotet'
      condition: selection
    `);
    expect(rule.matches({ rule: { name: 'TROJAN:WIN32/EMOTET' } })).toBe(true);
    expect(rule.matches({ rule: { name: 'Trojan:Win32/Emotet.B' } })).toBe(false);
  });

  it('treats * as any run of characters and ? as exactly one', () => {
    const rule = detectionRule(`
      selection:
        file.name: 'inv?ice*.exe'
      condition: selection
    `);
    expect(rule.matches({ file: { name: 'invoice.exe' } })).toBe(true);
    expect(rule.matches({ file: { name: 'INV0ICE_2026.pdf.exe' } })).toBe(true);
    expect(rule.matches({ file: { name: 'invice.exe' } })).toBe(false);
    expect(rule.matches({ file: { name: 'invoice.exe.txt' } })).toBe(false);
  });

  it('lets * span lines', () => {
    const rule = detectionRule(`
      selection:
        message: 'begin*end'
      condition: selection
    `);
    expect(rule.matches({ message: 'begin\nmiddle\nend' })).toBe(true);
  });

  it(String.raw`reads \* and \? as literal characters and \\ as one backslash`, () => {
    // String.raw: the YAML below is exactly what a rule file holds.
    const rule = detectionRule(String.raw`
      selection:
        - file.name: 'what\?.txt'
        - file.path: 'C:\Temp\\*'
        - process.command_line: 'calc \* 2'
        - file.directory: 'D:\Share\*'
      condition: selection
    `);
    // The ? is literal.
    expect(rule.matches({ file: { name: 'what?.txt' } })).toBe(true);
    expect(rule.matches({ file: { name: 'whatX.txt' } })).toBe(false);
    // A backslash before a letter is itself; \\ then * is a backslash and a wildcard.
    expect(rule.matches({ file: { path: String.raw`C:\Temp\evil.exe` } })).toBe(true);
    expect(rule.matches({ file: { path: String.raw`C:\Tempo` } })).toBe(false);
    // \* is a literal star.
    expect(rule.matches({ process: { command_line: 'calc * 2' } })).toBe(true);
    expect(rule.matches({ process: { command_line: 'calc 3 2' } })).toBe(false);
    expect(rule.matches({ file: { directory: String.raw`D:\Share*` } })).toBe(true);
    expect(rule.matches({ file: { directory: String.raw`D:\Share\x` } })).toBe(false);
  });

  it('keeps regular-expression characters literal', () => {
    const rule = detectionRule(`
      selection:
        url.path: '/a.b(c)+[d]*'
      condition: selection
    `);
    expect(rule.matches({ url: { path: '/a.b(c)+[d]/x' } })).toBe(true);
    expect(rule.matches({ url: { path: '/aXb(c)+[d]/x' } })).toBe(false);
  });

  it('matches numbers and their string forms both ways', () => {
    const rule = detectionRule(`
      selection:
        event.severity: 4
        destination.port: '445'
      condition: selection
    `);
    expect(rule.matches({ event: { severity: 4 }, destination: { port: 445 } })).toBe(true);
    expect(rule.matches({ event: { severity: '4' }, destination: { port: '445' } })).toBe(true);
    expect(rule.matches({ event: { severity: 40 }, destination: { port: 445 } })).toBe(false);
  });

  it('keeps every digit of a long integer', () => {
    const rule = detectionRule(`
      selection:
        file.inode: 123456789012345678901
      condition: selection
    `);
    expect(rule.matches({ file: { inode: '123456789012345678901' } })).toBe(true);
    expect(rule.matches({ file: { inode: '123456789012345678900' } })).toBe(false);
  });

  it('matches booleans by their string form', () => {
    const rule = detectionRule(`
      selection:
        file.signed: false
      condition: selection
    `);
    expect(rule.matches({ file: { signed: false } })).toBe(true);
    expect(rule.matches({ file: { signed: 'False' } })).toBe(true);
    expect(rule.matches({ file: { signed: true } })).toBe(false);
  });

  it('reads null as "absent or null" and an empty string as itself', () => {
    const rule = detectionRule(`
      no_user:
        user.name: null
      empty_domain:
        user.domain: ''
      condition: no_user or empty_domain
    `);
    expect(rule.matches({})).toBe(true);
    expect(rule.matches({ user: { name: null } })).toBe(true);
    expect(rule.matches({ user: { name: 'lan' } })).toBe(false);
    expect(rule.matches({ user: { name: 'lan', domain: '' } })).toBe(true);
  });

  it('matches a list-valued field when any element matches', () => {
    const rule = detectionRule(`
      selection:
        event.category: malware
        host.ip|startswith: '10.'
      condition: selection
    `);
    const both = { event: { category: ['file', 'malware'] }, host: { ip: ['192.168.1.4', '10.0.0.7'] } };
    expect(rule.matches(both)).toBe(true);
    expect(rule.matches({ event: { category: ['file'] }, host: { ip: ['10.0.0.7'] } })).toBe(false);
  });

  it('fans out over lists of objects on the way to a field', () => {
    const rule = detectionRule(`
      selection:
        threat.indicator.ip: 203.0.113.9
      condition: selection
    `);
    const threat = [{ indicator: { ip: '198.51.100.1' } }, { indicator: { ip: '203.0.113.9' } }];
    expect(rule.matches({ threat })).toBe(true);
  });

  it('reads a flat dotted key before the nested path', () => {
    const rule = detectionRule(`
      selection:
        id.orig_h: 10.0.0.5
      condition: selection
    `);
    expect(rule.matches({ 'id.orig_h': '10.0.0.5' })).toBe(true);
    expect(rule.matches({ id: { orig_h: '10.0.0.5' } })).toBe(true);
    expect(rule.matches({ 'id.orig_h': '10.0.0.6', id: { orig_h: '10.0.0.5' } })).toBe(false);
  });

  it('never reads inherited properties as fields', () => {
    const rule = detectionRule(`
      selection:
        constructor: null
        toString: null
      condition: selection
    `);
    expect(rule.matches({})).toBe(true);
  });
});

describe('modifiers', () => {
  it('contains, startswith and endswith anchor the value as named', () => {
    const rule = detectionRule(`
      contains:
        process.command_line|contains: -EncodedCommand
      startswith:
        file.path|startswith: 'C:\\Users\\Public\\'
      endswith:
        file.name|endswith: .scr
      condition: 1 of them
    `);
    expect(rule.matches({ process: { command_line: 'powershell -encodedcommand SQBFAFgA' } })).toBe(true);
    expect(rule.matches({ file: { path: 'c:\\users\\public\\x.exe' } })).toBe(true);
    expect(rule.matches({ file: { path: 'D:\\C:\\Users\\Public\\x.exe' } })).toBe(false);
    expect(rule.matches({ file: { name: 'photo.SCR' } })).toBe(true);
    expect(rule.matches({ file: { name: 'photo.scr.txt' } })).toBe(false);
  });

  it('keeps wildcards inside a modified value', () => {
    const rule = detectionRule(`
      selection:
        rule.name|contains: Cobalt*Strike
      condition: selection
    `);
    expect(rule.matches({ rule: { name: 'Backdoor:Win64/Cobalt_Strike.A' } })).toBe(true);
    expect(rule.matches({ rule: { name: 'Cobalt.A' } })).toBe(false);
  });

  it('all ANDs the values, each free to match a different list element', () => {
    const rule = detectionRule(`
      selection:
        process.command_line|contains|all:
          - vssadmin
          - delete
          - shadows
      condition: selection
    `);
    expect(rule.matches({ process: { command_line: 'vssadmin.exe Delete Shadows /All /Quiet' } })).toBe(true);
    expect(rule.matches({ process: { command_line: 'vssadmin list shadows' } })).toBe(false);
    const tags = detectionRule(`
      selection:
        tags|all: [usb, autorun]
      condition: selection
    `);
    expect(tags.matches({ tags: ['autorun', 'usb', 'x'] })).toBe(true);
    expect(tags.matches({ tags: ['usb'] })).toBe(false);
  });
});

describe('conditions', () => {
  const rule = (condition: string) =>
    detectionRule(`
      a:
        x: 1
      b:
        y: 1
      c:
        z: 1
      _hidden:
        h: 1
      condition: ${condition}
    `);
  const event = (...set: string[]) => Object.fromEntries(set.map((field) => [field, 1]));

  it('combines identifiers with and, or, not and parentheses', () => {
    expect(rule('a and b').matches(event('x', 'y'))).toBe(true);
    expect(rule('a and b').matches(event('x'))).toBe(false);
    expect(rule('a or b').matches(event('y'))).toBe(true);
    expect(rule('a and not b').matches(event('x', 'y'))).toBe(false);
    expect(rule('a and not b').matches(event('x'))).toBe(true);
    expect(rule('(a or b) and c').matches(event('x'))).toBe(false);
    expect(rule('(a or b) and c').matches(event('y', 'z'))).toBe(true);
  });

  it('binds not tighter than and, and and tighter than or', () => {
    // a or (b and c)
    expect(rule('a or b and c').matches(event('x'))).toBe(true);
    expect(rule('a or b and c').matches(event('y'))).toBe(false);
    // (not a) and b
    expect(rule('not a and b').matches(event('y'))).toBe(true);
    expect(rule('not a and b').matches(event('x', 'y'))).toBe(false);
    // (not a) or b
    expect(rule('not a or b').matches(event('x'))).toBe(false);
    expect(rule('not not a').matches(event('x'))).toBe(true);
  });

  it('1 of / any of / all of a pattern', () => {
    const patterned = (condition: string) =>
      detectionRule(`
        selection_port:
          destination.port: 4444
        selection_ip:
          destination.ip: 203.0.113.9
        filter:
          source.ip: 10.0.0.1
        condition: ${condition}
      `);
    const both = { destination: { port: 4444, ip: '203.0.113.9' } };
    const portOnly = { destination: { port: 4444 } };
    expect(patterned('1 of selection_*').matches(portOnly)).toBe(true);
    expect(patterned('any of selection_*').matches(portOnly)).toBe(true);
    expect(patterned('all of selection_*').matches(portOnly)).toBe(false);
    expect(patterned('all of selection_*').matches(both)).toBe(true);
    expect(patterned('all of sel*_i*').matches(portOnly)).toBe(false);
    expect(patterned('1 of selection_* and not filter').matches({ ...both, source: { ip: '10.0.0.1' } })).toBe(false);
  });

  it('1 of them and all of them leave out identifiers starting with _', () => {
    expect(rule('1 of them').matches(event('h'))).toBe(false);
    expect(rule('1 of them').matches(event('z'))).toBe(true);
    expect(rule('all of them').matches(event('x', 'y', 'z'))).toBe(true);
    expect(rule('all of them').matches(event('x', 'y'))).toBe(false);
    expect(rule('1 of _*').matches(event('h'))).toBe(true);
  });

  it('ORs a list of conditions', () => {
    const listed = detectionRule(`
      a:
        x: 1
      b:
        y: 1
      condition:
        - a and b
        - not a
    `);
    expect(listed.matches({ x: 1, y: 1 })).toBe(true);
    expect(listed.matches({})).toBe(true);
    expect(listed.matches({ x: 1 })).toBe(false);
  });
});
