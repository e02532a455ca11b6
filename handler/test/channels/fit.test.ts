import { describe, expect, it } from 'vitest';
import { fitWithin, jsonBytes, utf8Bytes } from '../../src/channels/fit.js';

const text = 'é'.repeat(100); // 200 UTF-8 bytes
const render = (rendered: number[]) => (level: number) => {
  rendered.push(level);
  return text.slice(0, level);
};

describe('fitWithin', () => {
  it('returns the fullest level within the limit and renders no leaner one', () => {
    const rendered: number[] = [];
    expect(fitWithin([100, 50, 20, 5], render(rendered), { size: utf8Bytes, limit: 100 })).toBe('é'.repeat(50));
    expect(rendered).toEqual([100, 50]);
  });

  it('measures in the unit of the limit (UTF-8 bytes, not characters)', () => {
    expect(fitWithin([60, 40], (n) => text.slice(0, n), { size: utf8Bytes, limit: 100 })).toHaveLength(40);
    expect(jsonBytes({ a: 'é' })).toBe(10);
  });

  it('hands the leanest rendering to the last resort when no level fits, and sends it as is by default', () => {
    const rendered: number[] = [];
    expect(fitWithin([100, 50], render(rendered), { size: utf8Bytes, limit: 10 })).toBe('é'.repeat(50));
    expect(rendered).toEqual([100, 50]);
    expect(
      fitWithin(
        [100, 50],
        (n) => text.slice(0, n),
        { size: utf8Bytes, limit: 10 },
        (leanest) => `${leanest.length}!`,
      ),
    ).toBe('50!');
  });
});
