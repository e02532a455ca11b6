import type { StateUnavailable } from './failOpen.js';

/**
 * The `StateUnavailable` counters of one invocation, by operation, flushed as
 * CloudWatch embedded metric format lines like `observe/metrics.ts` does. The
 * `UnguardedItems` count says how many sightings/deliveries went without the
 * memory: the upper bound of duplicates the outage allowed.
 */
export interface StateMetrics {
  unavailable(failure: Pick<StateUnavailable, 'operation' | 'items'>): void;
  snapshot(): Record<string, { StateUnavailable: number; UnguardedItems: number }>;
  flush(): void;
}

export function createStateMetrics(
  namespace: string,
  write: (line: string) => void,
  now: () => number = Date.now,
): StateMetrics {
  let counters = new Map<string, { StateUnavailable: number; UnguardedItems: number }>();
  return {
    unavailable({ operation, items }) {
      const current = counters.get(operation) ?? { StateUnavailable: 0, UnguardedItems: 0 };
      current.StateUnavailable += 1;
      current.UnguardedItems += items;
      counters.set(operation, current);
    },
    snapshot: () => Object.fromEntries([...counters].map(([op, c]) => [op, { ...c }])),
    flush() {
      for (const [operation, values] of counters) {
        write(
          JSON.stringify({
            _aws: {
              Timestamp: now(),
              CloudWatchMetrics: [
                {
                  Namespace: namespace,
                  Dimensions: [['StateOperation']],
                  Metrics: [
                    { Name: 'StateUnavailable', Unit: 'Count' },
                    { Name: 'UnguardedItems', Unit: 'Count' },
                  ],
                },
              ],
            },
            StateOperation: operation,
            ...values,
          }),
        );
      }
      counters = new Map();
    },
  };
}
