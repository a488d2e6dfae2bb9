// The search store's group commit: writes that arrive while a bulk request is in flight
// go out together as the next one, never beyond the size cap; each caller's promise
// settles with the request that carried its items, failures included.
import { describe, expect, it } from 'vitest';
import { WriteCoalescer } from '../../core/store/search/write-coalescer.ts';

/** A write target whose requests finish only when the test says so, recording what each carried. */
function heldWrites() {
  const requests: Array<{ items: number[]; finish: () => void; fail: (error: Error) => void }> = [];
  const write = (items: readonly number[]) =>
    new Promise<void>((resolve, reject) => requests.push({ items: [...items], finish: resolve, fail: reject }));
  return { requests, write };
}

const settled = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('WriteCoalescer', () => {
  it('sends a write at once when nothing is in flight, and merges the ones that arrive meanwhile into the next request', async () => {
    const { requests, write } = heldWrites();
    const coalescer = new WriteCoalescer(write, 1000, 1);
    const first = coalescer.submit([1, 2]);
    expect(requests.map((r) => r.items)).toEqual([[1, 2]]);
    const second = coalescer.submit([3]);
    const third = coalescer.submit([4, 5]);
    await settled();
    expect(requests).toHaveLength(1);
    requests[0]!.finish();
    await first;
    await settled();
    expect(requests.map((r) => r.items)).toEqual([[1, 2], [3, 4, 5]]);
    requests[1]!.finish();
    await expect(Promise.all([second, third])).resolves.toBeDefined();
  });

  it('keeps a merged request within the cap, leaving the rest for the one after', async () => {
    const { requests, write } = heldWrites();
    const coalescer = new WriteCoalescer(write, 4, 1);
    void coalescer.submit([0]);
    const waiting = [coalescer.submit([1, 2]), coalescer.submit([3, 4]), coalescer.submit([5])];
    requests[0]!.finish();
    await settled();
    expect(requests.map((r) => r.items)).toEqual([[0], [1, 2, 3, 4]]);
    requests[1]!.finish();
    await settled();
    expect(requests.map((r) => r.items)).toEqual([[0], [1, 2, 3, 4], [5]]);
    requests[2]!.finish();
    await Promise.all(waiting);
  });

  it('sends a write larger than the cap alone rather than holding it back', async () => {
    const { requests, write } = heldWrites();
    const coalescer = new WriteCoalescer(write, 2, 1);
    const big = coalescer.submit([1, 2, 3]);
    expect(requests.map((r) => r.items)).toEqual([[1, 2, 3]]);
    requests[0]!.finish();
    await big;
  });

  it('fails every write merged into a failed request, and goes on with the next ones', async () => {
    const { requests, write } = heldWrites();
    const coalescer = new WriteCoalescer(write, 1000, 1);
    const first = coalescer.submit([1]);
    const merged = [coalescer.submit([2]), coalescer.submit([3])];
    requests[0]!.finish();
    await first;
    await settled();
    requests[1]!.fail(new Error('the node answered 503'));
    for (const write of merged) await expect(write).rejects.toThrow('the node answered 503');
    const after = coalescer.submit([4]);
    await settled();
    expect(requests.map((r) => r.items)).toEqual([[1], [2, 3], [4]]);
    requests[2]!.finish();
    await after;
  });

  it('keeps up to maxInFlight requests going at once before it merges', async () => {
    const { requests, write } = heldWrites();
    const coalescer = new WriteCoalescer(write, 1000, 2);
    void coalescer.submit([1]);
    void coalescer.submit([2]);
    void coalescer.submit([3]);
    void coalescer.submit([4]);
    expect(requests.map((r) => r.items)).toEqual([[1], [2]]);
    requests[0]!.finish();
    await settled();
    expect(requests.map((r) => r.items)).toEqual([[1], [2], [3, 4]]);
  });
});
