import type { SeverityBand } from '../finding/severity.js';

/** Per-channel outcome counters. */
export const CHANNEL_METRICS = [
  'Delivered',
  'Failed',
  'Retried',
  'Suppressed',
  'DeadLettered',
  'AlreadyAccepted',
] as const;
export type ChannelMetric = (typeof CHANNEL_METRICS)[number];

/**
 * Counters for one invocation, flushed as CloudWatch embedded metric format
 * (EMF) lines: CloudWatch turns them into metrics without any API call.
 */
export interface Metrics {
  channel(channel: string, metric: ChannelMetric, count?: number): void;
  /** One view first delivered: by severity and threat purpose (findings) and by kind (every signal). */
  finding(severity: SeverityBand, threatPurpose: string, kind?: string): void;
  /** A GuardDuty event with nothing to report (a read-only API call), by kind. */
  ignored(kind: string): void;
  /** Snapshot of the per-channel counters (tests, the CLI and the bench read it). */
  snapshot(): Record<string, Record<ChannelMetric, number>>;
  flush(): void;
}

export function createMetrics(namespace: string, write: (line: string) => void, now: () => number = Date.now): Metrics {
  let channels = new Map<string, Record<ChannelMetric, number>>();
  let severities = new Map<string, number>();
  let purposes = new Map<string, number>();
  let kinds = new Map<string, { Signals: number; Ignored: number }>();
  const zero = (): Record<ChannelMetric, number> =>
    Object.fromEntries(CHANNEL_METRICS.map((m) => [m, 0])) as Record<ChannelMetric, number>;

  const emf = (dimension: string, value: string, counters: Record<string, number>) => {
    const names = Object.keys(counters);
    write(
      JSON.stringify({
        _aws: {
          Timestamp: now(),
          CloudWatchMetrics: [
            {
              Namespace: namespace,
              Dimensions: [[dimension]],
              Metrics: names.map((Name) => ({ Name, Unit: 'Count' })),
            },
          ],
        },
        [dimension]: value,
        ...counters,
      }),
    );
  };

  return {
    channel(channel, metric, count = 1) {
      const counters = channels.get(channel) ?? zero();
      counters[metric] += count;
      channels.set(channel, counters);
    },
    finding(severity, threatPurpose, kind = 'finding') {
      severities.set(severity, (severities.get(severity) ?? 0) + 1);
      if (kind === 'finding') purposes.set(threatPurpose, (purposes.get(threatPurpose) ?? 0) + 1);
      kinds.set(kind, {
        ...(kinds.get(kind) ?? { Signals: 0, Ignored: 0 }),
        Signals: (kinds.get(kind)?.Signals ?? 0) + 1,
      });
    },
    ignored(kind) {
      kinds.set(kind, {
        ...(kinds.get(kind) ?? { Signals: 0, Ignored: 0 }),
        Ignored: (kinds.get(kind)?.Ignored ?? 0) + 1,
      });
    },
    snapshot: () => Object.fromEntries([...channels].map(([name, counters]) => [name, { ...counters }])),
    flush() {
      for (const [channel, counters] of channels) emf('Channel', channel, counters);
      for (const [severity, count] of severities) emf('Severity', severity, { Findings: count });
      for (const [purpose, count] of purposes) emf('ThreatPurpose', purpose, { Findings: count });
      for (const [kind, counters] of kinds) emf('Kind', kind, counters);
      channels = new Map();
      kinds = new Map();
      severities = new Map();
      purposes = new Map();
    },
  };
}
