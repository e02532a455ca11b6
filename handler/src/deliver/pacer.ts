/**
 * Spaces sends to one destination at least `intervalMs` apart, across the
 * batches a warm container handles (Slack allows about one message per second
 * per webhook; pacing avoids the 429s instead of recovering from them).
 *
 * The interval counts from when the previous send *finished*: a send that
 * waited out a Retry-After inside its own retries must not leave the next
 * message scheduled before the service is ready for it.
 */
export interface Pacer {
  /** Waits for the destination's next slot. */
  wait(key: string, intervalMs: number): Promise<void>;
  /** Records that a send to the destination finished (delivered or not). */
  done(key: string, intervalMs: number): void;
}

export function createPacer(
  now: () => number = Date.now,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
): Pacer {
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
    done(key, intervalMs) {
      if (intervalMs <= 0) return;
      next.set(key, Math.max(next.get(key) ?? 0, now() + intervalMs));
    },
  };
}
