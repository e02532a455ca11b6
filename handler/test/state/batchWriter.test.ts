import { describe, expect, it } from 'vitest';
import { createBatchWriter } from '../../src/state/batchWriter.js';

/*
 * The writer's own logic (which items share a request, who waits for what),
 * with a recording stand-in for the request: the DynamoDB side is proved in
 * store.test.ts and failOpen.test.ts against moto.
 */

interface Keyed {
  id: string;
  item: string;
}
const keyed = (owner: string, n: number): Keyed[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${owner}-${i}`, item: `${owner}${i}` }));

/** A writer whose requests are recorded (by item) and answered after 5 ms, failing where `fail` says. */
function recorder(limit: number, fail?: (items: string[]) => Error | undefined) {
  const requests: string[][] = [];
  const write = async (entries: Keyed[]) => {
    const items = entries.map((e) => e.item);
    requests.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const error = fail?.(items);
    if (error) throw error;
  };
  return { requests, writer: createBatchWriter<Keyed>({ limit, idOf: (e) => e.id, write }) };
}

const never = () => new AbortController().signal;

describe('createBatchWriter', () => {
  it('carries the items of concurrent callers in shared requests, taking from each caller in turn', async () => {
    const { requests, writer } = recorder(25);
    const settled: string[] = [];
    const digest = writer.write(keyed('d', 60), never()).then(() => settled.push('digest'));
    const pager = writer.write(keyed('p', 1), never()).then(() => settled.push('pager'));
    const hook = writer.write(keyed('w', 1), never()).then(() => settled.push('hook'));
    await Promise.all([digest, pager, hook]);

    // 62 items in three requests (one each: five). The first left at once with the digest's head;
    // the next took one of each caller in turn, so the small ones rode along.
    expect(requests.map((r) => r.length)).toEqual([25, 25, 12]);
    expect(requests[1]?.slice(0, 3)).toEqual(['d25', 'p0', 'w0']);
    // The small callers did not wait behind the whole digest.
    expect(settled).toEqual(['pager', 'hook', 'digest']);
    expect(requests.flat().filter((i) => i.startsWith('d'))).toEqual(keyed('d', 60).map((k) => k.item));
  });

  it('never puts one key twice in a request; the later item lands in a later one', async () => {
    const { requests, writer } = recorder(25);
    await writer.write(
      [
        { id: 'ref', item: 'older' },
        { id: 'ref', item: 'newer' },
      ],
      never(),
    );
    expect(requests).toEqual([['older'], ['newer']]);
  });

  it('rejects the callers whose items were in a failed request, and drops their other items', async () => {
    const boom = new Error('ThrottlingException');
    const { requests, writer } = recorder(2, (items) => (items.includes('p0') ? boom : undefined));
    const first = writer.write(keyed('a', 1), never());
    const pager = writer.write(keyed('p', 3), never());
    const sharing = writer.write(keyed('w', 1), never());
    await expect(first).resolves.toBeUndefined();
    await expect(pager).rejects.toBe(boom);
    await expect(sharing).rejects.toBe(boom);
    await expect(writer.write(keyed('z', 1), never())).resolves.toBeUndefined();
    expect(requests).toEqual([['a0'], ['p0', 'w0'], ['z0']]);
  });

  it('gives up on a caller whose deadline passes, and drops what it had not sent yet', async () => {
    const { requests, writer } = recorder(1);
    const deadline = new AbortController();
    const slow = writer.write(keyed('s', 5), deadline.signal);
    await new Promise((resolve) => setTimeout(resolve, 7));
    deadline.abort(new Error('deadline'));
    await expect(slow).rejects.toThrow('deadline');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(requests.length).toBeLessThanOrEqual(2);
    await expect(writer.write(keyed('n', 1), never())).resolves.toBeUndefined();
    expect(requests.at(-1)).toEqual(['n0']);
  });
});
