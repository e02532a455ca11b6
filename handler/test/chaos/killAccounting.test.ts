import { describe, expect, it } from 'vitest';
import { countDeliveries, idsIn, pairOf, seededRandom, unexplainedDuplicates, unguarded } from './killAccounting.js';

/* The SIGKILL scenario's accounting (kill.test.ts) on hand-made cases. */

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('kill accounting', () => {
  it('finds only the known finding ids a payload carries', () => {
    expect(idsIn(`{"id":"${A}","link":"…/${A}","other":"${'c'.repeat(32)}"}`, new Set([A, B]))).toEqual([A]);
  });

  it('counts accepted pairs without a receipt as unguarded, once each', () => {
    const accepted = [pairOf(A, 'slack'), pairOf(A, 'slack'), pairOf(B, 'slack'), pairOf(A, 'email')];
    expect(unguarded(accepted, new Set([pairOf(A, 'slack')]))).toEqual([pairOf(B, 'slack'), pairOf(A, 'email')]);
  });

  it('counts every delivery past the first as a duplicate', () => {
    const { counts, extra } = countDeliveries([pairOf(A, 'sns'), pairOf(A, 'sns'), pairOf(A, 'sns'), pairOf(B, 'sns')]);
    expect(counts.get(pairOf(A, 'sns'))).toBe(3);
    expect(extra).toBe(2);
  });

  it('explains a duplicate only by a kill that left that pair unguarded, once per kill', () => {
    const counts = new Map([
      [pairOf(A, 'slack'), 2],
      [pairOf(B, 'slack'), 3],
      [pairOf(A, 'teams'), 2],
    ]);
    expect(unexplainedDuplicates(counts, [pairOf(A, 'slack'), pairOf(B, 'slack')])).toEqual([
      `${pairOf(B, 'slack')} ×3 (unguarded at 1 kill(s))`,
      `${pairOf(A, 'teams')} ×2 (unguarded at 0 kill(s))`,
    ]);
  });

  it('draws the same kill points from the same seed', () => {
    const first = seededRandom(17);
    const again = seededRandom(17);
    const draws = Array.from({ length: 5 }, () => first());
    expect(Array.from({ length: 5 }, () => again())).toEqual(draws);
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    expect(seededRandom(18)()).not.toBe(draws[0]);
  });
});
