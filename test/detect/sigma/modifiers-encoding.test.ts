// Conformance of the encoding modifiers (base64, base64offset, utf16le, utf16be, utf16,
// wide) against known vectors: the spec's `cmd` bytes and pySigma's base64offset forms.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { DetectionItem } from '../../../detect/sigma/detection-tree.ts';
import { base64OffsetForms } from '../../../detect/sigma/modifiers/encoding.ts';
import { detectionRule } from './rule-text.ts';

/** The values of the rule's only identifier, `selection`, as strings where plain. */
function selectionValues(yaml: string): unknown[] {
  const item = detectionRule(yaml).detection.get('selection') as DetectionItem;
  const text = (value: unknown): unknown => {
    const v = value as { kind: string; parts?: unknown[]; values?: unknown[] };
    if (v.kind === 'expansion') return v.values?.map(text);
    return v.parts?.map((part) => (typeof part === 'string' ? part : '*')).join('');
  };
  return item.values.map(text);
}

/** Any text around `inner`, encoded whole, as it would appear in an event. */
function encodedWithin(inner: string, before: string, encoding: 'utf8' | 'utf16le'): string {
  return Buffer.from(`${before}${inner} -and more`, encoding).toString('base64');
}

describe('base64offset', () => {
  it('gives the three forms of "foobar": Zm9vYmFy, Zvb2Jhc, mb29iYX', () => {
    expect(base64OffsetForms(Buffer.from('foobar'))).toEqual(['Zm9vYmFy', 'Zvb2Jhc', 'mb29iYX']);
    expect(
      selectionValues(`
        selection:
          message|base64offset|contains: foobar
        condition: selection
      `),
    ).toEqual([['*Zm9vYmFy*', '*Zvb2Jhc*', '*mb29iYX*']]);
  });

  it('finds the value at any byte offset inside a longer base64 text', () => {
    const rule = detectionRule(`
      selection:
        process.command_line|base64offset|contains: 'Invoke-Mimikatz'
      condition: selection
    `);
    for (const before of ['', 'a', 'ab', 'abc', 'IEX; ']) {
      const payload = encodedWithin('Invoke-Mimikatz', before, 'utf8');
      expect(rule.matches({ process: { command_line: `powershell -e ${payload}` } }), before).toBe(true);
    }
    const other = encodedWithin('Invoke-Mimidogz', 'ab', 'utf8');
    expect(rule.matches({ process: { command_line: `powershell -e ${other}` } })).toBe(false);
  });
});

describe('wide / utf16le / utf16be / utf16', () => {
  it('encode "cmd" as the spec says', () => {
    const bytes = (modifier: string): unknown[] =>
      selectionValues(`
        selection:
          message|${modifier}: cmd
        condition: selection
      `).map((value) => Buffer.from(value as string, 'latin1').toString('hex'));
    expect(bytes('utf16le')).toEqual(['63006d006400']);
    expect(bytes('wide')).toEqual(['63006d006400']);
    expect(bytes('utf16be')).toEqual(['0063006d0064']);
    expect(bytes('utf16')).toEqual(['fffe63006d006400']);
  });

  it('wide of "*foobar*" keeps the wildcards and encodes the literal as UTF-16LE', () => {
    expect(
      selectionValues(`
        selection:
          message|wide: '*foobar*'
        condition: selection
      `),
    ).toEqual(['*f\0o\0o\0b\0a\0r\0*']);
    const rule = detectionRule(`
      selection:
        message|wide: '*foobar*'
      condition: selection
    `);
    expect(rule.matches({ message: 'x\0f\0o\0o\0b\0a\0r\0y\0' })).toBe(true);
    expect(rule.matches({ message: 'foobar' })).toBe(false);
  });

  it('wide|base64offset|contains on "*foobar*" encodes UTF-16LE before base64', () => {
    expect(
      selectionValues(`
        selection:
          message|wide|base64offset|contains: '*foobar*'
        condition: selection
      `),
    ).toEqual([['*ZgBvAG8AYgBhAHIA*', '*YAbwBvAGIAYQByA*', '*mAG8AbwBiAGEAcg*']]);
  });

  it('wide|base64offset|contains finds PowerShell -EncodedCommand payloads', () => {
    const rule = detectionRule(`
      selection:
        process.command_line|wide|base64offset|contains: 'Invoke-Mimikatz'
      condition: selection
    `);
    for (const before of ['', 'a', 'ab', 'IEX (']) {
      const payload = encodedWithin('Invoke-Mimikatz', before, 'utf16le');
      expect(rule.matches({ process: { command_line: `powershell -enc ${payload}` } }), before).toBe(true);
    }
    const utf8 = encodedWithin('Invoke-Mimikatz', '', 'utf8');
    expect(rule.matches({ process: { command_line: `powershell -enc ${utf8}` } })).toBe(false);
  });
});

describe('base64', () => {
  it('encodes the whole value, as UTF-8 or after a utf16 modifier', () => {
    expect(
      selectionValues(`
        selection:
          message|base64: foobar
        condition: selection
      `),
    ).toEqual(['Zm9vYmFy']);
    expect(
      selectionValues(`
        selection:
          message|utf16le|base64: cmd
        condition: selection
      `),
    ).toEqual(['YwBtAGQA']);
    expect(
      selectionValues(`
        selection:
          message|utf16|base64: cmd
        condition: selection
      `),
    ).toEqual(['//5jAG0AZAA=']);
    expect(
      selectionValues(`
        selection:
          message|utf16be|base64: cmd
        condition: selection
      `),
    ).toEqual(['AGMAbQBk']);
  });

  it('matches the encoded value, and inside text with contains', () => {
    const rule = detectionRule(`
      selection:
        http.request.headers.authorization|base64|contains: 'admin:admin'
      condition: selection
    `);
    expect(rule.matches({ http: { request: { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } } } })).toBe(true);
    expect(rule.matches({ http: { request: { headers: { authorization: 'Basic YWRtaW46c2VjcmV0' } } } })).toBe(false);
  });

  it('encodes non-ASCII text as UTF-8', () => {
    expect(
      selectionValues(`
        selection:
          message|base64: 'é'
        condition: selection
      `),
    ).toEqual(['w6k=']);
  });
});
