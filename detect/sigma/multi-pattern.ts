// Finds which of many literals occur in a text in one pass (Aho-Corasick). A library
// with hundreds of `contains` values on one field (signature names, command lines)
// then costs one scan of the event's value instead of one `includes` per literal.
// Patterns and texts are compared as given; callers lowercase both for case-insensitive use.
//
// ASCII characters, which nearly every text and pattern is made of, go through a dense
// transition table over the patterns' own ASCII alphabet (a few dozen characters), so
// scanning is one typed-array read per character. Other characters (homoglyphs, dashes,
// CJK in a few rules) take the classic goto/failure walk over a sparse map: giving each
// of them a column would multiply the table by the hundreds of distinct code points the
// SigmaHQ command-line patterns hold (170 MB and seconds of load for that one field).
// A character no pattern contains sends the scan back to the start.

/** Sparse edges are keyed `state * WIDE_KEY + code`: exact in a double for any realistic trie. */
const WIDE_KEY = 0x110000;
const NO_OUTPUTS: readonly number[] = Object.freeze([]);

export class MultiPatternMatcher {
  /** For codes below 128: column of the table, -1 for characters in no pattern. */
  private readonly asciiColumn = new Int16Array(128).fill(-1);
  private readonly width: number;
  private readonly table: Int32Array;
  /** Goto edges on non-ASCII characters; the failure links resolve the missing ones. */
  private readonly wide = new Map<number, number>();
  /** Non-ASCII codes some pattern holds; any other one resets the scan. */
  private readonly wideCodes = new Set<number>();
  private readonly fail: Int32Array;
  private readonly outputs: (readonly number[])[];

  constructor(readonly patterns: readonly string[]) {
    let width = 0;
    for (const pattern of patterns) {
      if (pattern === '') throw new Error('an empty pattern would match every text');
      for (let i = 0; i < pattern.length; i += 1) {
        const code = pattern.charCodeAt(i);
        if (code >= 128) this.wideCodes.add(code);
        else if (this.asciiColumn[code] === -1) this.asciiColumn[code] = width++;
      }
    }
    this.width = width;

    // The trie, straight into the table: a row per state, 0 where there is no edge yet
    // (the root is no one's child, so 0 is free to mean "none").
    let table: Int32Array = new Int32Array(Math.max(1, width) * 1024);
    let states = 1;
    const own = new Map<number, number[]>();
    const wideChildren = new Map<number, [number, number][]>();
    patterns.forEach((pattern, index) => {
      let state = 0;
      for (let i = 0; i < pattern.length; i += 1) {
        const code = pattern.charCodeAt(i);
        let next: number | undefined;
        if (code < 128) {
          const at = state * width + this.asciiColumn[code]!;
          next = table[at]!;
          if (next === 0) {
            next = states++;
            if (states * width > table.length) {
              const grown = new Int32Array(table.length * 2);
              grown.set(table);
              table = grown;
            }
            table[at] = next;
          }
        } else {
          next = this.wide.get(state * WIDE_KEY + code);
          if (next === undefined) {
            next = states++;
            if (states * width > table.length) {
              const grown = new Int32Array(table.length * 2);
              grown.set(table);
              table = grown;
            }
            this.wide.set(state * WIDE_KEY + code, next);
            const siblings = wideChildren.get(state);
            if (siblings === undefined) wideChildren.set(state, [[code, next]]);
            else siblings.push([code, next]);
          }
        }
        state = next;
      }
      const ends = own.get(state);
      if (ends === undefined) own.set(state, [index]);
      else ends.push(index);
    });

    // Breadth-first, so a state's failure target (shallower) is complete before its
    // children use it; each row turns from goto edges into full transitions in place.
    this.table = table.length === states * width ? table : table.slice(0, states * width);
    table = this.table;
    this.fail = new Int32Array(states);
    const outputs: (readonly number[])[] = new Array<readonly number[]>(states).fill(NO_OUTPUTS);
    outputs[0] = own.get(0) ?? NO_OUTPUTS;
    const queue = new Int32Array(states);
    let tail = 1;
    const enter = (child: number, failTo: number) => {
      this.fail[child] = failTo;
      const mine = own.get(child);
      const inherited = outputs[failTo]!;
      outputs[child] = mine === undefined ? inherited : inherited.length === 0 ? mine : [...mine, ...inherited];
      queue[tail++] = child;
    };
    for (let head = 0; head < tail; head += 1) {
      const state = queue[head]!;
      const row = state * width;
      const failRow = this.fail[state]! * width;
      for (let column = 0; column < width; column += 1) {
        const child = table[row + column]!;
        // No edge: go where the failure state goes (the root loops to itself).
        if (child === 0) table[row + column] = state === 0 ? 0 : table[failRow + column]!;
        else enter(child, state === 0 ? 0 : table[failRow + column]!);
      }
      for (const [code, child] of wideChildren.get(state) ?? []) {
        enter(child, state === 0 ? 0 : this.wideStep(this.fail[state]!, code));
      }
    }
    this.outputs = outputs;
  }

  /** Appends to `found` the index of every pattern that occurs in `text` (possibly more than once). */
  scan(text: string, found: number[]): void {
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (code < 128) {
        const column = this.asciiColumn[code]!;
        state = column === -1 ? 0 : this.table[state * this.width + column]!;
      } else {
        state = this.wideCodes.has(code) ? this.wideStep(state, code) : 0;
      }
      const outputs = this.outputs[state]!;
      for (let k = 0; k < outputs.length; k += 1) found.push(outputs[k]!);
    }
  }

  /** The transition on a non-ASCII character: its goto edge, or its failure state's. */
  private wideStep(state: number, code: number): number {
    for (;;) {
      const next = this.wide.get(state * WIDE_KEY + code);
      if (next !== undefined) return next;
      if (state === 0) return 0;
      state = this.fail[state]!;
    }
  }
}
