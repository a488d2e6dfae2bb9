// The wildcard matcher against a reference: for random patterns and texts it must
// agree with the equivalent anchored regular expression, and stay fast on long hostile
// text where a backtracking regular expression would not.
import { describe, expect, it } from 'vitest';
import { parseSigmaString } from '../../../detect/sigma/sigma-value.ts';
import { compileStringTest } from '../../../detect/sigma/value-matcher.ts';

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function reference(pattern: string): RegExp {
  const source = pattern.replace(/[.*+?^${}()|[\]\\/]/g, (char) => (char === '*' ? '.*' : char === '?' ? '.' : `\\${char}`));
  return new RegExp(`^${source}$`, 'su');
}

describe('compileStringTest', () => {
  it('agrees with a regular expression on random patterns and texts', () => {
    const next = random(42);
    const pick = (alphabet: readonly string[]) => alphabet[Math.floor(next() * alphabet.length)] as string;
    const textAlphabet = ['a', 'b', 'c', '😀', '\n'];
    const patternAlphabet = [...textAlphabet, '*', '*', '?'];
    for (let round = 0; round < 20_000; round += 1) {
      const pattern = Array.from({ length: Math.floor(next() * 7) }, () => pick(patternAlphabet)).join('');
      const text = Array.from({ length: Math.floor(next() * 9) }, () => pick(textAlphabet)).join('');
      const expected = reference(pattern).test(text);
      expect(compileStringTest(parseSigmaString(pattern))(text), `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`).toBe(
        expected,
      );
    }
  });

  it('stays linear on a megabyte of text that almost matches', () => {
    const test = compileStringTest(parseSigmaString('*cobalt*strike*beacon*'));
    const text = 'cobalt '.repeat(150_000);
    const started = performance.now();
    expect(test(text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
