// Finds which of many literals occur in a text in one pass (Aho-Corasick). A library
// with hundreds of `contains` values on one field (signature names, command lines)
// then costs one scan of the event's value instead of one `includes` per literal.
// Patterns and texts are compared as given; callers lowercase both for case-insensitive use.

interface Node {
  next: Map<number, number>;
  fail: number;
  /** Indexes of the patterns that end here, including those reached through `fail`. */
  outputs: number[];
}

export class MultiPatternMatcher {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, outputs: [] }];

  constructor(readonly patterns: readonly string[]) {
    patterns.forEach((pattern, index) => this.insert(pattern, index));
    this.link();
  }

  /** Calls `found` with the index of every pattern that occurs in `text` (possibly more than once). */
  scan(text: string, found: (patternIndex: number) => void): void {
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      let next = this.nodes[state]!.next.get(code);
      while (next === undefined && state !== 0) {
        state = this.nodes[state]!.fail;
        next = this.nodes[state]!.next.get(code);
      }
      state = next ?? 0;
      for (const output of this.nodes[state]!.outputs) found(output);
    }
  }

  private insert(pattern: string, index: number): void {
    if (pattern === '') throw new Error('an empty pattern would match every text');
    let state = 0;
    for (let i = 0; i < pattern.length; i += 1) {
      const code = pattern.charCodeAt(i);
      let next = this.nodes[state]!.next.get(code);
      if (next === undefined) {
        next = this.nodes.length;
        this.nodes.push({ next: new Map(), fail: 0, outputs: [] });
        this.nodes[state]!.next.set(code, next);
      }
      state = next;
    }
    this.nodes[state]!.outputs.push(index);
  }

  /** Breadth-first: each node's failure link is the longest proper suffix that is also a prefix. */
  private link(): void {
    const queue: number[] = [...this.nodes[0]!.next.values()];
    for (let head = 0; head < queue.length; head += 1) {
      const state = queue[head]!;
      for (const [code, child] of this.nodes[state]!.next) {
        let fail = this.nodes[state]!.fail;
        while (fail !== 0 && !this.nodes[fail]!.next.has(code)) fail = this.nodes[fail]!.fail;
        const target = this.nodes[fail]!.next.get(code);
        this.nodes[child]!.fail = target !== undefined && target !== child ? target : 0;
        this.nodes[child]!.outputs.push(...this.nodes[this.nodes[child]!.fail]!.outputs);
        queue.push(child);
      }
    }
  }
}
