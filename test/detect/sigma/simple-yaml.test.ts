// The fast rule-file reader must read exactly what the yaml package reads (core schema,
// integers as bigints, unique keys), or decline so yaml reads the file: checked on
// every YAML file of the shipped library and the test fixtures, and on the shapes Sigma
// rules are written in, one by one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { readSimpleYaml } from '../../../detect/sigma/simple-yaml.ts';
import { repoRoot } from '../../support/start-vigil.ts';

const yamlOptions = { prettyErrors: false, uniqueKeys: true, intAsBigInt: true } as const;

/** Data with key order made visible, so order differences count as differences. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([key, item]) => [key, ordered(item)]);
  return value;
}

function yamlReads(text: string): unknown {
  const docs = parseAllDocuments(text, yamlOptions);
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0]!.errors.length > 0) return '<not one valid document>';
  return docs[0]!.toJS();
}

describe('simple YAML reader', () => {
  it('reads every shipped rule and fixture it takes exactly as yaml does, values located where yaml locates them', () => {
    let taken = 0;
    let total = 0;
    for (const dir of ['rules', 'test/bin/fixtures', 'test/detect/fixtures']) {
      for (const entry of readdirSync(join(repoRoot, dir), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
        const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
        total += 1;
        const simple = readSimpleYaml(text);
        if (simple === undefined) continue;
        taken += 1;
        expect(isDeepStrictEqual(ordered(simple.data), ordered(yamlReads(text))), entry.name).toBe(true);
        const lineCounter = new LineCounter();
        const doc = parseDocument(text, { ...yamlOptions, lineCounter });
        for (const [key, at] of simple.valueAt) {
          const node = doc.get(key, true) as { range?: [number, number, number] } | undefined;
          expect({ key, ...at }).toEqual({ key, ...lineCounter.linePos(node!.range![0]) });
        }
      }
    }
    // Many rule files are plain YAML (the shipped library often writes flow maps, which
    // yaml reads); the rest still load, through yaml.
    expect(taken).toBeGreaterThan(total / 3);
  });

  it.each([
    ['block maps, sequences and comments', 'title: T # note\nid: 1\ntags:\n- attack.t1\n  # between\n- attack.t2\nlogsource:\n  product: windows\n'],
    ['multi-line plain scalars', 'description: one\n  two\n  three\nlevel: high\n'],
    ['literal blocks', 'a: |\n  line one\n    indented\n\n  after blank\nb: |-\n  kept\nc: x\n'],
    ['quoted scalars', "a: 'it''s # not a comment'\nb: \"C:/no\"\nc: 'x' # comment\nd: ''\n"],
    ['scalars by the core schema', 'a: 4688\nc: true\nd: False\ne: ~\nf: null\ng: 2023/01/02\nh: 2023-01-02\n'],
    ['flow lists and empty values', 'a: [x, 5, y z]\nb: []\nc:\nd: v\n'],
    ['sequences of maps', 'detection:\n  sel:\n    - Image|endswith: a.exe\n      CommandLine|contains|all:\n        - x\n        - "y"\n    - Other: 1\n  condition: sel\n'],
    ['values with colons and hashes', 'a: C:\\Windows\\x.exe\nb: http://x.y/z#frag\nc: a#b\n'],
  ])('%s: as yaml reads them', (_name, text) => {
    expect(ordered(readSimpleYaml(text)?.data)).toEqual(ordered(yamlReads(text)));
  });

  it('takes the plain shapes rules are written in', () => {
    const text = "title: T\nid: x\ndescription: one\n  two\ntags: [a, b]\ndetection:\n  sel:\n    - CommandLine|contains:\n        - ' -enc '\n        - 'it''s'\n  condition: |\n    sel\nlevel: 3\n";
    expect(readSimpleYaml(text)?.data).toEqual({
      title: 'T',
      id: 'x',
      description: 'one two',
      tags: ['a', 'b'],
      detection: { sel: [{ 'CommandLine|contains': [' -enc ', "it's"] }], condition: 'sel\n' },
      level: 3n,
    });
  });

  it.each([
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 5\n'],
    ['folded blocks', 'a: >\n  x\n  y\n'],
    ['escapes in double quotes', 'a: "x\\ty"\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['flow maps', 'a: { b: 1 }\n'],
    ['floats and other numbers', 'a: 1.5\n'],
    ['hex numbers', 'a: 0x1F\n'],
    ['special floats', 'a: .inf\n'],
    ['tabs', 'a:\t1\n'],
    ['a nested map on the value line', 'a: b: c\n'],
    ['broken indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['blank lines inside a plain scalar', 'a: one\n\n  two\n'],
  ])('declines %s (yaml reads or rejects them)', (_name, text) => {
    expect(readSimpleYaml(text)).toBeUndefined();
  });
});
