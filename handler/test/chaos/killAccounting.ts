/*
 * The SIGKILL scenario's accounting (kill.test.ts), pure: which (finding,
 * channel) pairs the receivers accepted, and which of them a killed container
 * left without a receipt in the state table — the sends a kill landed inside.
 */

/** "<finding id> → <channel>" */
export type Pair = string;

export const pairOf = (findingId: string, channel: string): Pair => `${findingId} → ${channel}`;

/** The finding ids of `known` that a payload carries (our ids are 32 hex characters). */
export function idsIn(body: string, known: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const match of body.matchAll(/[0-9a-f]{32}/g)) if (known.has(match[0])) found.add(match[0]);
  return [...found];
}

/**
 * The pairs a container's receivers accepted that have no receipt once it is
 * dead: the kill landed between the receiver's acceptance and the receipt
 * write of each (the unguarded window). Each one may be sent once more.
 */
export function unguarded(accepted: Iterable<Pair>, receipts: ReadonlySet<Pair>): Pair[] {
  return [...new Set(accepted)].filter((p) => !receipts.has(p));
}

/** How often each pair was delivered, and the extra deliveries (every delivery past the first). */
export function countDeliveries(deliveries: Iterable<Pair>): { counts: Map<Pair, number>; extra: number } {
  const counts = new Map<Pair, number>();
  let extra = 0;
  for (const p of deliveries) {
    const n = (counts.get(p) ?? 0) + 1;
    counts.set(p, n);
    if (n > 1) extra += 1;
  }
  return { counts, extra };
}

/**
 * Duplicates not explained by a kill: a pair delivered more times than once
 * plus the number of kills that left it unguarded. Must be empty.
 */
export function unexplainedDuplicates(counts: ReadonlyMap<Pair, number>, unguardedAtKills: Iterable<Pair>): string[] {
  const allowance = new Map<Pair, number>();
  for (const p of unguardedAtKills) allowance.set(p, (allowance.get(p) ?? 0) + 1);
  return [...counts]
    .filter(([p, n]) => n > 1 + (allowance.get(p) ?? 0))
    .map(([p, n]) => `${p} ×${n} (unguarded at ${allowance.get(p) ?? 0} kill(s))`);
}

/** A seeded PRNG (mulberry32): the same seed, the same kill points. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
