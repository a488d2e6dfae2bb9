// A binary min-heap of groups by deadline (ties: correlation order, then group key), so
// advancing event time visits only the groups whose window closes or whose entries
// expire, in a deterministic order. Stale items are left in place and skipped by the
// caller, which keeps rescheduling O(log n) with no search.
import type { CorrelationGroup } from './correlation-group.ts';

export interface QueuedGroup {
  readonly deadline: number;
  readonly group: CorrelationGroup;
}

export class DeadlineQueue {
  private readonly heap: QueuedGroup[] = [];

  get length(): number {
    return this.heap.length;
  }

  peek(): QueuedGroup | undefined {
    return this.heap[0];
  }

  push(deadline: number, group: CorrelationGroup): void {
    const heap = this.heap;
    const item = { deadline, group };
    let index = heap.length;
    heap.push(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(item, heap[parent]!)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = item;
  }

  pop(): QueuedGroup | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}

function before(a: QueuedGroup, b: QueuedGroup): boolean {
  if (a.deadline !== b.deadline) return a.deadline < b.deadline;
  if (a.group.plan.index !== b.group.plan.index) return a.group.plan.index < b.group.plan.index;
  return a.group.key < b.group.key;
}
