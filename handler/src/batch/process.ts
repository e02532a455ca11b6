import type { ChannelRegistry } from '../channels/registry.js';
import type { SendContext } from '../channels/types.js';
import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import type { ConfigSource } from '../config/source.js';
import type { Pacer } from '../deliver/pacer.js';
import type { AccountNamer } from '../enrich/accounts.js';
import { normaliseFinding } from '../finding/normalise.js';
import type { Logger } from '../observe/logger.js';
import type { Metrics } from '../observe/metrics.js';
import type { SeverityMemory } from '../route/history.js';
import { deliverChannel, type Failure, type Prepared } from './deliverChannel.js';
import { parseRecord, type ParsedRecord, type WorkItem } from './envelope.js';
import { deadLetterPoison, requeueDelaySeconds, settleFailures } from './settle.js';

export { requeueDelaySeconds } from './settle.js';

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
  /** Channel descriptors by type (`CHANNEL_REGISTRY`; tests may swap one). */
  channels: ChannelRegistry;
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

/** The config, or null (logged) when it cannot be loaded: then every record stays queued. */
async function loadConfig(deps: ProcessorDeps, records: number): Promise<Config | null> {
  try {
    return await deps.config.get();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `config unavailable: ${String(error)}`;
    deps.logger.error('config unavailable; the whole batch stays queued until it is fixed', {
      error: message,
      records,
    });
    return null;
  }
}

/** Splits records into work items and poison (not a GuardDuty finding). */
function parseRecords(records: readonly SqsRecordLike[]) {
  const parsed = records.map((r) => parseRecord(r.messageId, r.body));
  return {
    items: parsed.flatMap((p) => (p.ok ? [p.item] : [])),
    poison: parsed.flatMap((p): Array<Extract<ParsedRecord, { ok: false }>> => (p.ok ? [] : [p])),
  };
}

/** A retry names its channels; one removed or disabled since is not sent to, and says so. */
function warnGoneChannels(items: readonly WorkItem[], config: Config, logger: Logger): void {
  const active = new Set(config.channels.filter((c) => c.enabled).map((c) => c.name));
  for (const item of items) {
    const gone = item.channels?.filter((name) => !active.has(name)) ?? [];
    if (gone.length > 0)
      logger.warn('retry for channels no longer configured or enabled; not sent to them', {
        messageId: item.messageId,
        channels: gone,
        attempt: item.attempt,
      });
  }
}

/** Names the accounts and normalises every finding; first sightings are measured. */
async function prepareFindings(items: readonly WorkItem[], config: Config, deps: ProcessorDeps): Promise<Prepared[]> {
  const names = await deps.accounts.names(
    items.map((i) => i.event.detail.accountId),
    config.accountNames,
    config.lookupAccountNames,
  );
  return items.map((item) => {
    const finding = normaliseFinding(item.event, names.get(item.event.detail.accountId) ?? null);
    if (item.attempt === 0) deps.metrics.finding(finding.severity.band, finding.type.threatPurpose);
    // Rendered best-effort all the same; the note in the message says the same (issue 15, item 1).
    if (item.attempt === 0 && finding.readNotes.length > 0)
      deps.logger.warn('finding read best-effort', { findingId: finding.id, notes: finding.readNotes });
    return { item, finding };
  });
}

/** Delivers to every channel at once; each channel paces and retries on its own. */
async function deliverAll(prepared: readonly Prepared[], config: Config, deps: ProcessorDeps) {
  const send: SendContext = { ...deps.send, http: config.delivery };
  const outcomes = await Promise.all(
    config.channels.map((channel) => deliverChannel(channel, config, prepared, deps, send)),
  );
  return {
    delivered: outcomes.reduce((n, o) => n + o.delivered, 0),
    suppressed: outcomes.reduce((n, o) => n + o.suppressed, 0),
    failures: outcomes.flatMap((o): Failure[] => o.failures),
  };
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
  const config = await loadConfig(deps, records.length);
  if (!config) {
    const summary = emptySummary(records.length);
    summary.returned = records.length;
    return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })), summary };
  }

  const { items, poison } = parseRecords(records);
  warnGoneChannels(items, config, deps.logger);
  const poisoned = await deadLetterPoison(poison, deps);
  const prepared = await prepareFindings(items, config, deps);
  const delivery = await deliverAll(prepared, config, deps);
  for (const p of prepared) deps.history.remember(p.finding.id, p.finding.severity.score);
  const settled = await settleFailures(prepared, delivery.failures, {
    ...deps,
    requeueDelay: deps.requeueDelay ?? requeueDelaySeconds,
  });

  const returned = new Set([...poisoned.returned, ...settled.returned]);
  const summary: BatchSummary = {
    records: records.length,
    findings: items.length,
    poison: poison.length,
    delivered: delivery.delivered,
    suppressed: delivery.suppressed,
    requeued: settled.requeued,
    deadLettered: poisoned.deadLettered + settled.deadLettered,
    returned: returned.size,
  };
  deps.logger.info('batch processed', { ...summary });
  return { batchItemFailures: [...returned].map((itemIdentifier) => ({ itemIdentifier })), summary };
}

function emptySummary(records: number): BatchSummary {
  return {
    records,
    findings: 0,
    poison: 0,
    delivered: 0,
    suppressed: 0,
    requeued: 0,
    deadLettered: 0,
    returned: 0,
  };
}
