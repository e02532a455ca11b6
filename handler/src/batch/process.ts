import type { Channel, ChannelType, Config } from '../config/schema.js';
import { ConfigError } from '../config/errors.js';
import type { ConfigSource } from '../config/source.js';
import { SEND_BATCH_MAX, type ChannelAdapter, type SendContext, type SendResult } from '../channels/types.js';
import type { AccountNamer } from '../enrich/accounts.js';
import type { NormalisedFinding } from '../finding/model.js';
import { normaliseFinding } from '../finding/normalise.js';
import { DeliveryError } from '../deliver/errors.js';
import type { Pacer } from '../deliver/pacer.js';
import type { Logger } from '../observe/logger.js';
import type { Metrics } from '../observe/metrics.js';
import { buildDigest } from '../route/digest.js';
import type { SeverityMemory } from '../route/history.js';
import { decide, effectiveRules } from '../route/rules.js';
import { parseRecord, serialiseEnvelope, type WorkItem } from './envelope.js';

export interface SqsRecordLike {
  messageId: string;
  body: string;
}

export interface QueueWriter {
  /** Re-queues messages on the main queue with a per-message delay. */
  requeue(messages: Array<{ body: string; delaySeconds: number }>): Promise<void>;
  /** Sends messages to the dead-letter queue. */
  deadLetter(messages: Array<{ body: string }>): Promise<void>;
}

export interface ProcessorDeps {
  config: ConfigSource;
  accounts: AccountNamer;
  history: SeverityMemory;
  adapters: { [T in ChannelType]: ChannelAdapter<T, never> };
  /** Senders and I/O seams; the HTTP policy comes from the loaded config's `delivery`. */
  send: Omit<SendContext, 'http'>;
  queue: QueueWriter;
  pacer: Pacer;
  logger: Logger;
  metrics: Metrics;
  /** Re-queues per (finding, channel) before it is dead-lettered. */
  maxRequeues: number;
  /** Re-queue delay policy (default {@link requeueDelaySeconds}); tests shorten it. */
  requeueDelay?: (attempt: number, retryAfterSeconds?: number) => number;
  /** Milliseconds left in this invocation; deliveries not started with less than the reserve are re-queued. */
  remainingMs?: () => number;
}

/** Counts for one batch: what came in and where every (finding, channel) pair went. */
export interface BatchSummary {
  records: number;
  findings: number;
  poison: number;
  delivered: number;
  suppressed: number;
  requeued: number;
  deadLettered: number;
  /** Records handed back to SQS whole (config unavailable, or a re-queue that failed). */
  returned: number;
}

export interface BatchResult {
  batchItemFailures: Array<{ itemIdentifier: string }>;
  summary: BatchSummary;
}

/** Time kept back at the end of an invocation for re-queueing what is left. */
const DEADLINE_RESERVE_MS = 5_000;

const DEFAULT_MIN_INTERVAL_MS: Record<ChannelType, number> = {
  slack: 1_000,
  googleChat: 1_000,
  teams: 0,
  email: 0,
  sns: 0,
  pagerduty: 0,
  webhook: 0,
};

/** Delay before a re-queued channel is tried again: Retry-After when given, else 30 s doubling, at most SQS's 15 minutes. */
export function requeueDelaySeconds(attempt: number, retryAfterSeconds?: number): number {
  const backoff = 30 * 2 ** Math.max(0, attempt - 1);
  return Math.min(900, Math.max(retryAfterSeconds ?? 0, backoff));
}

interface Failure {
  channel: string;
  error: DeliveryError;
}

interface Prepared {
  item: WorkItem;
  finding: NormalisedFinding;
}

/** What goes out as one payload: one finding, or every member of a digest. */
interface Group {
  members: Prepared[];
  render: () => unknown;
}

function targets(item: WorkItem, channel: Channel): boolean {
  return channel.enabled && (item.channels === null || item.channels.includes(channel.name));
}

/** Delivers everything one channel should get from this batch, recording failures per message. */
async function deliverToChannel(
  channel: Channel,
  config: Config,
  prepared: readonly Prepared[],
  deps: ProcessorDeps,
  send: SendContext,
  failures: Map<string, Failure[]>,
  counts: { delivered: number; suppressed: number },
): Promise<void> {
  const adapter = deps.adapters[channel.type] as unknown as ChannelAdapter<ChannelType, unknown>;
  const rules = effectiveRules(config.defaults, channel);
  const allowArchived = channel.type === 'pagerduty' && channel.resolveOnArchive;
  const selected: Prepared[] = [];
  for (const p of prepared) {
    if (!targets(p.item, channel)) continue;
    const decision = decide(p.finding, rules, deps.history, allowArchived);
    if (decision.notify) selected.push(p);
    else {
      counts.suppressed += 1;
      deps.metrics.channel(channel.name, 'Suppressed');
      deps.logger.debug('suppressed by routing', {
        channel: channel.name,
        findingId: p.finding.id,
        reason: decision.reason,
      });
    }
  }
  if (selected.length === 0) return;

  const useDigest = rules.digestThreshold !== null && selected.length > rules.digestThreshold;
  const groups: Group[] = useDigest
    ? [
        {
          members: selected,
          render: () => adapter.renderDigest(buildDigest(selected.map((p) => p.finding)), channel as never),
        },
      ]
    : selected.map((p) => ({ members: [p], render: () => adapter.render(p.finding, channel as never) }));
  if (useDigest)
    deps.logger.info('sending digest', {
      channel: channel.name,
      findings: selected.length,
      threshold: rules.digestThreshold,
    });

  const fail = (members: Prepared[], error: DeliveryError) => {
    for (const m of members) {
      const list = failures.get(m.item.messageId) ?? [];
      list.push({ channel: channel.name, error });
      failures.set(m.item.messageId, list);
    }
    deps.metrics.channel(channel.name, 'Failed', members.length);
  };
  const deadlineNear = (members: Prepared[]): boolean => {
    if (!deps.remainingMs || deps.remainingMs() >= DEADLINE_RESERVE_MS + send.http.timeoutMs) return false;
    fail(
      members,
      new DeliveryError(`${channel.type} "${channel.name}": deferred, invocation deadline near`, 'retryable'),
    );
    return true;
  };
  const rendered = (group: Group): { ok: true; payload: unknown } | { ok: false } => {
    try {
      return { ok: true, payload: group.render() };
    } catch (error) {
      // A renderer bug must not lose the finding: dead-letter it with the reason.
      deps.logger.error('render failed', { channel: channel.name, error });
      fail(
        group.members,
        new DeliveryError(
          `${channel.type} "${channel.name}": render failed: ${String(error).slice(0, 200)}`,
          'permanent',
        ),
      );
      return { ok: false };
    }
  };
  const delivered = (members: Prepared[], attempts: number) => {
    counts.delivered += members.length;
    deps.metrics.channel(channel.name, 'Delivered', members.length);
    if (attempts > 1) deps.metrics.channel(channel.name, 'Retried', attempts - 1);
    deps.logger.info('delivered', {
      channel: channel.name,
      type: channel.type,
      findings: members.map((m) => m.finding.id),
      attempts,
    });
  };
  const failed = (members: Prepared[], error: unknown) => {
    const failure =
      error instanceof DeliveryError
        ? error
        : new DeliveryError(
            `${channel.type} "${channel.name}": ${error instanceof Error ? error.message : String(error)}`,
            'retryable',
          );
    if ((failure.details.attempts ?? 1) > 1)
      deps.metrics.channel(channel.name, 'Retried', (failure.details.attempts ?? 1) - 1);
    deps.logger.warn('delivery failed', {
      channel: channel.name,
      type: channel.type,
      kind: failure.kind,
      error: failure.message,
      findings: members.length,
    });
    fail(members, failure);
  };

  const interval = channel.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS[channel.type];
  if (adapter.sendBatch && !useDigest) {
    // Services with a batch API get ten findings a call: fewer round trips, and far
    // less garbage per finding in a large batch (the SDK's per-call cost dominates).
    for (let start = 0; start < groups.length; start += SEND_BATCH_MAX) {
      const window = groups.slice(start, start + SEND_BATCH_MAX);
      if (deadlineNear(window.flatMap((g) => g.members))) continue;
      const ready: Array<{ members: Prepared[]; payload: unknown }> = [];
      for (const group of window) {
        const r = rendered(group);
        if (r.ok) ready.push({ members: group.members, payload: r.payload });
      }
      if (ready.length === 0) continue;
      await deps.pacer.wait(channel.name, interval);
      let outcomes: Array<SendResult | DeliveryError>;
      try {
        outcomes = await adapter
          .sendBatch(
            ready.map((r) => r.payload),
            channel as never,
            send,
          )
          .finally(() => deps.pacer.done(channel.name, interval));
      } catch (error) {
        for (const r of ready) failed(r.members, error);
        continue;
      }
      ready.forEach((r, i) => {
        const outcome =
          outcomes[i] ??
          new DeliveryError(`${channel.type} "${channel.name}": no outcome reported for this finding`, 'retryable');
        if (outcome instanceof DeliveryError) failed(r.members, outcome);
        else delivered(r.members, outcome.attempts);
      });
    }
    return;
  }
  for (const group of groups) {
    if (deadlineNear(group.members)) continue;
    const r = rendered(group);
    if (!r.ok) continue;
    await deps.pacer.wait(channel.name, interval);
    try {
      const result = await adapter
        .send(r.payload as never, channel as never, send)
        .finally(() => deps.pacer.done(channel.name, interval));
      delivered(group.members, result.attempts);
    } catch (error) {
      failed(group.members, error);
    }
  }
}

/**
 * Processes one SQS batch: parse, enrich, normalise, route, render, deliver.
 * Returns SQS partial-batch failures. Guarantees:
 * - a config that cannot be loaded fails every record (they stay queued);
 * - a message that is not a GuardDuty finding is dead-lettered with the reason;
 * - a channel that fails is re-queued on its own, so channels that succeeded
 *   are not sent the finding again; past the budget, or on a permanent error,
 *   the (finding, channel) pair is dead-lettered with the reason;
 * - if re-queueing itself fails, the record is handed back to SQS whole.
 */
export async function processBatch(records: readonly SqsRecordLike[], deps: ProcessorDeps): Promise<BatchResult> {
  const summary: BatchSummary = {
    records: records.length,
    findings: 0,
    poison: 0,
    delivered: 0,
    suppressed: 0,
    requeued: 0,
    deadLettered: 0,
    returned: 0,
  };
  const returnAll = (): BatchResult => {
    summary.returned = records.length;
    return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })), summary };
  };

  let config: Config;
  try {
    config = await deps.config.get();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `config unavailable: ${String(error)}`;
    deps.logger.error('config unavailable; the whole batch stays queued until it is fixed', {
      error: message,
      records: records.length,
    });
    return returnAll();
  }

  const returned = new Set<string>();
  const parsed = records.map((r) => parseRecord(r.messageId, r.body));
  const items = parsed.flatMap((p) => (p.ok ? [p.item] : []));
  const poison = parsed.flatMap((p) => (p.ok ? [] : [p]));
  summary.findings = items.length;

  // A retry names its channels; one removed or disabled since is not sent to, and says so.
  const active = new Set(config.channels.filter((c) => c.enabled).map((c) => c.name));
  for (const item of items) {
    const gone = item.channels?.filter((name) => !active.has(name)) ?? [];
    if (gone.length > 0)
      deps.logger.warn('retry for channels no longer configured or enabled; not sent to them', {
        messageId: item.messageId,
        channels: gone,
        attempt: item.attempt,
      });
  }

  if (poison.length > 0) {
    summary.poison = poison.length;
    for (const p of poison)
      deps.logger.warn('not a GuardDuty finding; dead-lettering', { messageId: p.messageId, reason: p.reason });
    const letters: Array<{ body: string }> = [];
    for (const p of poison) {
      try {
        letters.push({
          body: serialiseEnvelope(
            { guarddutyNotify: 'dead-letter', channel: null, reason: p.reason, attempts: 0 },
            p.body,
          ),
        });
      } catch (error) {
        // Too large even gzipped: hand it back; the queue's redrive policy moves it to the DLQ as it is.
        deps.logger.error('cannot dead-letter with a reason; handing the record back to SQS', {
          messageId: p.messageId,
          error,
        });
        returned.add(p.messageId);
      }
    }
    try {
      if (letters.length > 0) await deps.queue.deadLetter(letters);
      summary.deadLettered += letters.length;
    } catch (error) {
      deps.logger.error('could not dead-letter; records handed back to SQS (its redrive policy moves them)', { error });
      for (const p of poison) returned.add(p.messageId);
    }
  }

  const names = await deps.accounts.names(
    items.map((i) => i.event.detail.accountId),
    config.accountNames,
    config.lookupAccountNames,
  );
  const prepared: Prepared[] = items.map((item) => {
    const finding = normaliseFinding(item.event, names.get(item.event.detail.accountId) ?? null);
    if (item.attempt === 0) deps.metrics.finding(finding.severity.band, finding.type.threatPurpose);
    return { item, finding };
  });

  const failures = new Map<string, Failure[]>();
  const counts = { delivered: 0, suppressed: 0 };
  const send: SendContext = { ...deps.send, http: config.delivery };
  await Promise.all(
    config.channels.map((channel) => deliverToChannel(channel, config, prepared, deps, send, failures, counts)),
  );
  summary.delivered = counts.delivered;
  summary.suppressed = counts.suppressed;
  for (const p of prepared) deps.history.remember(p.finding.id, p.finding.severity.score);

  for (const { item, finding } of prepared) {
    const failed = failures.get(item.messageId);
    if (!failed) continue;
    const attempt = item.attempt + 1;
    const retry = failed.filter((f) => f.error.kind !== 'permanent' && attempt <= deps.maxRequeues);
    const dead = failed.filter((f) => !retry.includes(f));
    try {
      if (retry.length > 0) {
        const channels = retry.map((f) => f.channel);
        const body = serialiseEnvelope(
          {
            guarddutyNotify: 'retry',
            channels,
            attempt,
            lastError: retry
              .map((f) => f.error.message)
              .join('; ')
              .slice(0, 1000),
          },
          item.eventText,
        );
        const delay = (deps.requeueDelay ?? requeueDelaySeconds)(
          attempt,
          Math.max(0, ...retry.map((f) => f.error.details.retryAfterSeconds ?? 0)),
        );
        await deps.queue.requeue([{ body, delaySeconds: delay }]);
        summary.requeued += retry.length;
        deps.logger.warn('re-queued failed channels', {
          findingId: finding.id,
          channels,
          attempt,
          delaySeconds: delay,
        });
      }
      if (dead.length > 0) {
        await deps.queue.deadLetter(
          dead.map((f) => ({
            body: serialiseEnvelope(
              {
                guarddutyNotify: 'dead-letter',
                channel: f.channel,
                reason:
                  f.error.kind === 'permanent'
                    ? f.error.message
                    : `gave up after ${item.attempt} re-queues: ${f.error.message}`,
                attempts: attempt,
              },
              item.eventText,
            ),
          })),
        );
        summary.deadLettered += dead.length;
        for (const f of dead) {
          deps.metrics.channel(f.channel, 'DeadLettered');
          deps.logger.error('dead-lettered', { findingId: finding.id, channel: f.channel, reason: f.error.message });
        }
      }
    } catch (error) {
      deps.logger.error(
        'could not re-queue failed channels; handing the record back to SQS (channels that succeeded may receive it again)',
        {
          findingId: finding.id,
          error,
        },
      );
      returned.add(item.messageId);
    }
  }

  summary.returned = returned.size;
  deps.logger.info('batch processed', { ...summary });
  return { batchItemFailures: [...returned].map((itemIdentifier) => ({ itemIdentifier })), summary };
}
