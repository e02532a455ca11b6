/**
 * Spaces sends to one destination at least `intervalMs` apart, across the
 * batches a warm container handles (Slack allows about one message per second
 * per webhook; pacing avoids the 429s instead of recovering from them).
 */
export interface Pacer {
  wait(key: string, intervalMs: number): Promise<void>;
}

export function createPacer(now: () => number = Date.now, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Pacer {
  const next = new Map<string, number>();
  return {
    async wait(key, intervalMs) {
      if (intervalMs <= 0) return;
      const at = next.get(key) ?? 0;
      const start = Math.max(now(), at);
      next.set(key, start + intervalMs);
      const delay = start - now();
      if (delay > 0) await sleep(delay);
    },
  };
}
