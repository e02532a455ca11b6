import { descriptorFor, type LoadedChannels } from '../channels/settings/index.js';
import type { SendBatch, SendContext, SendResult } from '../channels/types.js';
import { sendEachAlone } from '../channels/types.js';
import type { Channel, Config } from '../config/schema.js';
import { DeliveryError, asDeliveryError, type ChannelRef } from '../deliver/errors.js';
import type { NormalisedFinding } from '../finding/model.js';
import { buildDigest } from '../route/digest.js';
import { decide, effectiveRules, type EffectiveRules, type SeverityHistory } from '../route/rules.js';
import { recordAccepted, withoutAccepted } from './memory.js';
import type { WorkItem } from './envelope.js';
import type { ProcessorDeps } from './process.js';
import { createNullStateStore } from '../state/store.js';
import type { MessageRef } from '../state/types.js';

/** The processor's dependencies once the configured channel types are loaded. */
export type DeliveryDeps = ProcessorDeps & { channels: LoadedChannels };

const NO_STATE = createNullStateStore();

/*
 * Everything one channel gets from one batch: select what routing lets
 * through, group it (one digest, or one payload per finding), then deliver the
 * groups in windows through the channel's batch sender. A channel without a
 * batch API sends windows of one, so there is a single send path.
 */

/** A parsed message with its normalised finding. */
export interface Prepared {
  item: WorkItem;
  finding: NormalisedFinding;
}

/** A (message, channel) pair that was not delivered, and why. */
export interface Failure {
  messageId: string;
  channel: string;
  error: DeliveryError;
}

/** Where one channel's share of the batch went. */
export interface ChannelOutcome {
  delivered: number;
  suppressed: number;
  /** Held back because the receiver accepted them before (state receipts). */
  alreadyAccepted?: number;
  failures: Failure[];
}

/** What goes out as one payload: one finding, or every member of a digest. */
interface Group {
  members: Prepared[];
  render: () => unknown;
}

/** The groups for one channel and how they are sent. */
export interface DeliveryPlan {
  groups: Group[];
  sendBatch: SendBatch<Channel, unknown>;
  /** Groups per `sendBatch` call. */
  windowSize: number;
}

/** What the batch knows beyond the views: the severity history routing reads, and who announced which finding. */
export interface BatchMemory {
  history: SeverityHistory;
  /** Finding id → channels that announced it (from the state table); absent when unknown. */
  announced: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Time kept back at the end of an invocation for re-queueing what is left. */
export const DEADLINE_RESERVE_MS = 5_000;

/** The channel's own name and type (never its endpoint) for errors and logs. */
function refOf(channel: Channel): ChannelRef {
  return { name: channel.name, type: channel.type };
}

/** Whether a message is for this channel: enabled, and named by the retry when it names channels. */
function targets(item: WorkItem, channel: Channel): boolean {
  return channel.enabled && (item.channels === null || item.channels.includes(channel.name));
}

/**
 * The findings routing lets through to `channel`; the others are counted,
 * logged and measured as suppressed.
 */
export function selectForChannel(
  channel: Channel,
  rules: EffectiveRules,
  prepared: readonly Prepared[],
  deps: Pick<DeliveryDeps, 'channels' | 'history' | 'metrics' | 'logger'>,
  memory: BatchMemory = { history: deps.history, announced: new Map() },
): { selected: Prepared[]; suppressed: number } {
  const receivesArchived = descriptorFor(channel, deps.channels).receivesArchived(channel);
  const selected: Prepared[] = [];
  let suppressed = 0;
  for (const p of prepared) {
    if (!targets(p.item, channel)) continue;
    const announced = memory.announced.get(p.finding.id)?.has(channel.name);
    const decision = decide(p.finding, rules, memory.history, receivesArchived, announced);
    if (decision.notify) {
      selected.push(p);
      continue;
    }
    suppressed += 1;
    deps.metrics.channel(channel.name, 'Suppressed');
    deps.logger.debug('suppressed by routing', {
      channel: channel.name,
      findingId: p.finding.id,
      reason: decision.reason,
    });
  }
  return { selected, suppressed };
}

/**
 * One digest when more findings reach the channel than its threshold (sent
 * alone through `send`), else one group per finding, sent through the
 * channel's batch sender in windows of its batch size.
 */
export function groupForChannel(
  channel: Channel,
  rules: EffectiveRules,
  selected: Prepared[],
  deps: Pick<DeliveryDeps, 'channels' | 'logger'>,
): DeliveryPlan {
  const descriptor = descriptorFor(channel, deps.channels);
  if (rules.digestThreshold !== null && selected.length > rules.digestThreshold) {
    deps.logger.info('sending digest', {
      channel: channel.name,
      findings: selected.length,
      threshold: rules.digestThreshold,
    });
    return {
      groups: [
        {
          members: selected,
          render: () =>
            descriptor.renderDigest(
              buildDigest(selected.map((p) => p.finding)),
              channel,
              selected.map((p) => p.item.eventText),
            ),
        },
      ],
      sendBatch: sendEachAlone(descriptor.send as never),
      windowSize: 1,
    };
  }
  return {
    groups: selected.map((p) => ({
      members: [p],
      render: () => descriptor.render(p.finding, channel, p.item.eventText),
    })),
    sendBatch: descriptor.sendBatch as SendBatch<Channel, unknown>,
    windowSize: descriptor.batchMax,
  };
}

/** Tallies one channel's deliveries and failures, with their metrics and logs. */
function createTally(channel: Channel, deps: Pick<ProcessorDeps, 'metrics' | 'logger' | 'state'>) {
  const outcome: ChannelOutcome = { delivered: 0, suppressed: 0, failures: [] };
  const receipts: Array<Promise<void>> = [];
  const fail = (members: readonly Prepared[], error: DeliveryError) => {
    for (const m of members) outcome.failures.push({ messageId: m.item.messageId, channel: channel.name, error });
    deps.metrics.channel(channel.name, 'Failed', members.length);
  };
  return {
    outcome,
    /** Waits for the receipts of what was delivered so far (they never throw: the store fails open). */
    receipts: () => Promise.all(receipts.splice(0)),
    /** Not attempted (deadline, renderer failure): no delivery log line. */
    fail,
    delivered(members: readonly Prepared[], attempts: number, ref?: MessageRef) {
      receipts.push(recordAccepted(channel.name, members, deps.state ?? NO_STATE, ref));
      outcome.delivered += members.length;
      deps.metrics.channel(channel.name, 'Delivered', members.length);
      if (attempts > 1) deps.metrics.channel(channel.name, 'Retried', attempts - 1);
      deps.logger.info('delivered', {
        channel: channel.name,
        type: channel.type,
        findings: members.map((m) => m.finding.id),
        attempts,
      });
    },
    failed(members: readonly Prepared[], error: DeliveryError) {
      const attempts = error.details.attempts ?? 1;
      if (attempts > 1) deps.metrics.channel(channel.name, 'Retried', attempts - 1);
      deps.logger.warn('delivery failed', {
        channel: channel.name,
        type: channel.type,
        kind: error.kind,
        error: error.message,
        findings: members.length,
      });
      fail(members, error);
    },
  };
}
type Tally = ReturnType<typeof createTally>;

/** Renders each group of a window; a renderer that throws fails its group permanently (a bug must not lose the finding). */
function renderWindow(
  channel: Channel,
  window: readonly Group[],
  tally: Tally,
  deps: Pick<ProcessorDeps, 'logger'>,
): Array<{ members: Prepared[]; payload: unknown }> {
  const ready: Array<{ members: Prepared[]; payload: unknown }> = [];
  for (const group of window) {
    try {
      ready.push({ members: group.members, payload: group.render() });
    } catch (error) {
      deps.logger.error('render failed', { channel: channel.name, error });
      tally.fail(
        group.members,
        new DeliveryError(`render failed: ${String(error).slice(0, 200)}`, 'permanent', {
          channel: refOf(channel),
          cause: error,
        }),
      );
    }
  }
  return ready;
}

/** Whether too little of the invocation is left to start a send (and wait out its timeout). */
function deadlineNear(deps: Pick<ProcessorDeps, 'remainingMs'>, send: SendContext): boolean {
  return deps.remainingMs !== undefined && deps.remainingMs() < DEADLINE_RESERVE_MS + send.http.timeoutMs;
}

/** Sends the plan's groups window by window, paced per channel; every group ends delivered or failed. */
export async function deliverGroups(
  channel: Channel,
  plan: DeliveryPlan,
  tally: Tally,
  send: SendContext,
  deps: Pick<DeliveryDeps, 'channels' | 'pacer' | 'logger' | 'remainingMs'>,
): Promise<void> {
  const interval = channel.minIntervalMs ?? descriptorFor(channel, deps.channels).defaults.minIntervalMs;
  for (let start = 0; start < plan.groups.length; start += plan.windowSize) {
    const window = plan.groups.slice(start, start + plan.windowSize);
    if (deadlineNear(deps, send)) {
      tally.fail(
        window.flatMap((g) => g.members),
        new DeliveryError('deferred, invocation deadline near', 'retryable', { channel: refOf(channel) }),
      );
      continue;
    }
    const ready = renderWindow(channel, window, tally, deps);
    if (ready.length === 0) continue;
    await deps.pacer.wait(channel.name, interval);
    let outcomes: Array<SendResult | DeliveryError>;
    try {
      outcomes = await plan
        .sendBatch(
          ready.map((r) => r.payload),
          channel,
          send,
        )
        .finally(() => deps.pacer.done(channel.name, interval));
    } catch (error) {
      const failure = asDeliveryError(error, channel);
      for (const r of ready) tally.failed(r.members, failure);
      continue;
    }
    ready.forEach((r, i) => {
      const outcome =
        outcomes[i] ??
        new DeliveryError('no outcome reported for this finding', 'retryable', { channel: refOf(channel) });
      if (outcome instanceof Error) tally.failed(r.members, asDeliveryError(outcome, channel));
      else tally.delivered(r.members, outcome.attempts, outcome.ref);
    });
    // The receipt is written before this channel's next send: a crash can then repeat at most the
    // send in flight (the state table's one-send window), never a run of sends ahead of their receipts.
    await tally.receipts();
  }
}

/**
 * Delivers everything one channel should get from this batch.
 *
 * @example const { delivered, suppressed, failures } = await deliverChannel(channel, config, prepared, deps, send)
 */
export async function deliverChannel(
  channel: Channel,
  config: Config,
  prepared: readonly Prepared[],
  deps: DeliveryDeps,
  send: SendContext,
  memory: BatchMemory = { history: deps.history, announced: new Map() },
): Promise<ChannelOutcome> {
  const rules = effectiveRules(config.defaults, channel);
  const { selected, suppressed } = selectForChannel(channel, rules, prepared, deps, memory);
  const tally = createTally(channel, deps);
  tally.outcome.suppressed = suppressed;
  const { toSend, alreadyAccepted } = await withoutAccepted(channel.name, selected, deps.state ?? NO_STATE);
  if (alreadyAccepted.length > 0) {
    tally.outcome.alreadyAccepted = alreadyAccepted.length;
    deps.metrics.channel(channel.name, 'AlreadyAccepted', alreadyAccepted.length);
    deps.logger.info('not sent again: the receiver accepted these before', {
      channel: channel.name,
      findings: alreadyAccepted.map((p) => p.finding.id),
    });
  }
  if (toSend.length > 0) await deliverGroups(channel, groupForChannel(channel, rules, toSend, deps), tally, send, deps);
  await tally.receipts();
  return tally.outcome;
}
