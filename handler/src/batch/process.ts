import { type LoadedChannels, loadChannels } from '../channels/settings/index.js';
import type { SendContext } from '../channels/types.js';
import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import type { ConfigSource } from '../config/source.js';
import type { Pacer } from '../deliver/pacer.js';
import type { AccountNamer } from '../enrich/accounts.js';
import type { Logger } from '../observe/logger.js';
import type { Metrics } from '../observe/metrics.js';
import type { SeverityMemory } from '../route/history.js';
import { loadKindReaders } from '../signals/dispatch.js';
import type { KindReaders } from '../signals/kinds.js';
import { viewsOf } from '../signals/view.js';
import { type BatchMemory, type DeliveryDeps, deliverChannel, type Failure, type Prepared } from './deliverChannel.js';
import { lookupAnnounced, recordLifecycle, recordSignals, rememberSightings } from './memory.js';
import { createNullStateStore, type StateStore } from '../state/store.js';

const NO_STATE = createNullStateStore();
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
  /**
   * Channel descriptors by type. Absent (the deployed function): the types the
   * config uses are loaded on first use (`loadChannels`); tests pass
   * `CHANNEL_REGISTRY` and may swap one.
   */
  channels?: LoadedChannels | undefined;
  /** Senders and I/O seams; the HTTP policy comes from the loaded config's `delivery`. */
  send: Omit<SendContext, 'http'>;
  queue: QueueWriter;
  pacer: Pacer;
  logger: Logger;
  metrics: Metrics;
  /** The state table (idempotent delivery, exact escalations, lifecycle); absent or null store = stateless. */
  state?: StateStore;
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
  /** (view, channel) pairs not sent again because the receiver accepted them before (state receipts). */
  alreadyAccepted: number;
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
function parseRecords(records: readonly SqsRecordLike[], config: Config, readers: KindReaders) {
  const parsed = records.map((r) =>
    parseRecord(r.messageId, r.body, { expectedPrincipals: config.expectedPrincipals, readers }),
  );
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

/**
 * Names the accounts and turns every signal into its views (a finding is one;
 * an archive of N findings is N; an ignored API call none, logged). First
 * deliveries are measured by kind.
 */
async function prepareViews(items: readonly WorkItem[], config: Config, deps: ProcessorDeps): Promise<Prepared[]> {
  const names = await deps.accounts.names(
    items.map((i) => i.signal.account.id),
    config.accountNames,
    config.lookupAccountNames,
  );
  return items.flatMap((item) => {
    const views = viewsOf(item.signal);
    if (views.length === 0) {
      deps.logger.info('GuardDuty event not reported', {
        messageId: item.messageId,
        topic: item.signal.topic,
        reason: item.signal.ignoreReason,
      });
      deps.metrics.ignored(item.signal.kind);
    }
    return views.map((view) => {
      const finding = { ...view, account: { ...view.account, name: names.get(view.account.id) ?? null } };
      if (item.attempt === 0) deps.metrics.finding(finding.severity.band, finding.type.threatPurpose, finding.kind);
      // Rendered best-effort all the same; the message carries the same note (issue 15, item 1).
      if (item.attempt === 0 && finding.readNotes.length > 0)
        deps.logger.warn('finding read best-effort', { findingId: finding.id, notes: finding.readNotes });
      return { item, finding };
    });
  });
}

/** Delivers to every channel at once; each channel paces and retries on its own. */
async function deliverAll(prepared: readonly Prepared[], config: Config, deps: DeliveryDeps, memory: BatchMemory) {
  const send: SendContext = {
    ...deps.send,
    http: config.delivery,
    state: deps.state ?? NO_STATE,
    history: memory.history,
    ...(config.slackApp ? { slackApp: { buttonsMinSeverity: config.slackApp.buttonsMinSeverity } } : {}),
  };
  const outcomes = await Promise.all(
    config.channels.map((channel) => deliverChannel(channel, config, prepared, deps, send, memory)),
  );
  return {
    delivered: outcomes.reduce((n, o) => n + o.delivered, 0),
    suppressed: outcomes.reduce((n, o) => n + o.suppressed, 0),
    alreadyAccepted: outcomes.reduce((n, o) => n + (o.alreadyAccepted ?? 0), 0),
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
  // Loads the state table's SDK and the readers of non-finding events while the config is read
  // (the state store never throws; a failed import of bundled code rejects the batch, which stays queued).
  void deps.state?.prepare();
  const readers = loadKindReaders();
  readers.catch(() => undefined); // awaited below; a batch whose config fails returns before that
  const config = await loadConfig(deps, records.length);
  if (!config) {
    const summary = emptySummary(records.length);
    summary.returned = records.length;
    return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })), summary };
  }

  // Loads the configured channel types' renderers and senders while the batch is parsed and enriched.
  const channels = deps.channels ? Promise.resolve(deps.channels) : loadChannels(config.channels.map((c) => c.type));
  channels.catch(() => undefined); // awaited before delivery; handled now so a failure meanwhile is not "unhandled"
  const { items, poison } = parseRecords(records, config, await readers);
  warnGoneChannels(items, config, deps.logger);
  const poisoned = await deadLetterPoison(poison, deps);
  const prepared = await prepareViews(items, config, deps);
  const state = deps.state ?? NO_STATE;
  const [history, announced] = await Promise.all([
    rememberSightings(prepared, state, deps.history),
    lookupAnnounced(prepared, state),
    recordLifecycle(prepared, state),
    recordSignals(items, state),
  ]);
  const delivery = await deliverAll(prepared, config, { ...deps, channels: await channels }, { history, announced });
  // ISO 8601 times sort as strings: the last is the latest event of the batch.
  const lastEvent =
    prepared
      .map((p) => p.finding.updatedAt)
      .sort()
      .at(-1) ?? '';
  if (lastEvent) await state.recordProcessed(lastEvent);
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
    alreadyAccepted: delivery.alreadyAccepted,
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
    alreadyAccepted: 0,
    requeued: 0,
    deadLettered: 0,
    returned: 0,
  };
}
