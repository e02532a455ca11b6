import type { SeverityHistory } from './rules.js';

/**
 * Per-container memory of the highest severity seen per finding id, bounded
 * (least recently seen evicted), so the `escalations` policy can tell that an
 * update raised a finding's severity. It lives as long as the Lambda container:
 * an update whose earlier sighting this container did not see is not treated
 * as an escalation (the quiet choice; `notifyOn: "all"` is the loud one).
 */
export interface SeverityMemory extends SeverityHistory {
  remember(findingId: string, score: number): void;
  readonly size: number;
}

export function createSeverityMemory(capacity = 10_000): SeverityMemory {
  const scores = new Map<string, number>();
  return {
    previousScore: (id) => scores.get(id),
    remember(id, score) {
      const previous = scores.get(id);
      scores.delete(id);
      scores.set(id, Math.max(score, previous ?? score));
      if (scores.size > capacity) {
        const oldest = scores.keys().next().value;
        if (oldest !== undefined) scores.delete(oldest);
      }
    },
    get size() {
      return scores.size;
    },
  };
}
