// Finds which of many literals occur in a text in one pass (Aho-Corasick). A library
// with hundreds of `contains` values on one field (signature names, command lines)
// then costs one scan of the event's value instead of one `includes` per literal.
// Patterns and texts are compared as given; callers lowercase both for case-insensitive use.
//
// The automaton is compiled into a dense transition table over the patterns' own
// alphabet (a few dozen characters), so scanning is one typed-array read per character;
// a character no pattern contains sends the scan back to the start.

interface TrieNode {
  next: Map<number, number>;
  fail: number;
  /** Indexes of the patterns that end here, including those reached through `fail`. */
  outputs: number[];
}

export class MultiPatternMatcher {
  /** Character code → column of the table; characters in no pattern have none. */
  private readonly column = new Map<number, number>();
  /** The same for codes below 128, as a flat array: the common case, read per character. */
  private readonly asciiColumn = new Int16Array(128).fill(-1);
  private readonly width: number;
  private readonly table: Int32Array;
  private readonly outputs: number[][];

  constructor(readonly patterns: readonly string[]) {
    const nodes: TrieNode[] = [{ next: new Map(), fail: 0, outputs: [] }];
    patterns.forEach((pattern, index) => {
      if (pattern === '') throw new Error('an empty pattern would match every text');
      let state = 0;
      for (let i = 0; i < pattern.length; i += 1) {
        const code = pattern.charCodeAt(i);
        if (!this.column.has(code)) this.column.set(code, this.column.size);
        let next = nodes[state]!.next.get(code);
        if (next === undefined) {
          next = nodes.length;
          nodes.push({ next: new Map(), fail: 0, outputs: [] });
          nodes[state]!.next.set(code, next);
        }
        state = next;
      }
      nodes[state]!.outputs.push(index);
    });

    // Breadth-first, so a node's failure target is complete before its children use it.
    this.width = this.column.size;
    this.table = new Int32Array(nodes.length * this.width);
    const queue = [0];
    for (let head = 0; head < queue.length; head += 1) {
      const state = queue[head]!;
      const node = nodes[state]!;
      for (const [code, column] of this.column) {
        const child = node.next.get(code);
        const row = state * this.width;
        if (child === undefined) {
          // No edge: go where the failure state goes (the root loops to itself).
          this.table[row + column] = state === 0 ? 0 : this.table[node.fail * this.width + column]!;
          continue;
        }
        this.table[row + column] = child;
        const childNode = nodes[child]!;
        childNode.fail = state === 0 ? 0 : this.table[node.fail * this.width + column]!;
        childNode.outputs.push(...nodes[childNode.fail]!.outputs);
        queue.push(child);
      }
    }
    this.outputs = nodes.map((node) => node.outputs);
    for (const [code, column] of this.column) if (code < 128) this.asciiColumn[code] = column;
  }

  /** Appends to `found` the index of every pattern that occurs in `text` (possibly more than once). */
  scan(text: string, found: number[]): void {
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      const column = code < 128 ? this.asciiColumn[code]! : (this.column.get(code) ?? -1);
      state = column === -1 ? 0 : this.table[state * this.width + column]!;
      const outputs = this.outputs[state]!;
      for (let k = 0; k < outputs.length; k += 1) found.push(outputs[k]!);
    }
  }
}
