import type { Logger } from '../observe/logger.js';
import type { Metrics } from '../observe/metrics.js';
import type { Failure, Prepared } from './deliverChannel.js';
import { serialiseEnvelope, type ParsedRecord } from './envelope.js';
import type { QueueWriter } from './process.js';

/*
 * Where undelivered work goes: a message that is not a GuardDuty finding to
 * the DLQ with the reason; a failed (finding, channel) pair back on the queue
 * naming only that channel, or to the DLQ once its budget is spent or the
 * failure is permanent. What cannot be written is handed back to SQS whole.
 */

type Poison = Extract<ParsedRecord, { ok: false }>;

export interface SettleDeps {
  queue: QueueWriter;
  logger: Logger;
  metrics: Metrics;
  maxRequeues: number;
  requeueDelay: (attempt: number, retryAfterSeconds?: number) => number;
}

/** Delay before a re-queued channel is tried again: Retry-After when given, else 30 s doubling, at most SQS's 15 minutes. */
export function requeueDelaySeconds(attempt: number, retryAfterSeconds?: number): number {
  const backoff = 30 * 2 ** Math.max(0, attempt - 1);
  return Math.min(900, Math.max(retryAfterSeconds ?? 0, backoff));
}

/**
 * Dead-letters every record that is not a GuardDuty finding, with the reason.
 * Returns the message ids handed back to SQS instead (its redrive policy moves them).
 */
export async function deadLetterPoison(
  poison: readonly Poison[],
  deps: Pick<SettleDeps, 'queue' | 'logger'>,
): Promise<{ deadLettered: number; returned: string[] }> {
  if (poison.length === 0) return { deadLettered: 0, returned: [] };
  for (const p of poison)
    deps.logger.warn('not a GuardDuty finding; dead-lettering', { messageId: p.messageId, reason: p.reason });
  const returned: string[] = [];
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
      returned.push(p.messageId);
    }
  }
  try {
    if (letters.length > 0) await deps.queue.deadLetter(letters);
    return { deadLettered: letters.length, returned };
  } catch (error) {
    deps.logger.error('could not dead-letter; records handed back to SQS (its redrive policy moves them)', { error });
    return { deadLettered: 0, returned: poison.map((p) => p.messageId) };
  }
}

/** Re-queues the retryable failures of one message as one retry naming their channels. */
async function requeue(p: Prepared, retry: readonly Failure[], attempt: number, deps: SettleDeps): Promise<void> {
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
    p.item.eventText,
  );
  const delay = deps.requeueDelay(attempt, Math.max(0, ...retry.map((f) => f.error.details.retryAfterSeconds ?? 0)));
  await deps.queue.requeue([{ body, delaySeconds: delay }]);
  deps.logger.warn('re-queued failed channels', { findingId: p.finding.id, channels, attempt, delaySeconds: delay });
}

/** Dead-letters one message's spent or permanent failures, one letter per channel with its reason. */
async function deadLetterFailures(p: Prepared, dead: readonly Failure[], attempt: number, deps: SettleDeps) {
  await deps.queue.deadLetter(
    dead.map((f) => ({
      body: serialiseEnvelope(
        {
          guarddutyNotify: 'dead-letter',
          channel: f.channel,
          reason:
            f.error.kind === 'permanent'
              ? f.error.message
              : `gave up after ${p.item.attempt} re-queues: ${f.error.message}`,
          attempts: attempt,
        },
        p.item.eventText,
      ),
    })),
  );
  for (const f of dead) {
    deps.metrics.channel(f.channel, 'DeadLettered');
    deps.logger.error('dead-lettered', { findingId: p.finding.id, channel: f.channel, reason: f.error.message });
  }
}

/**
 * Settles every failed (finding, channel) pair: re-queued on its own while the
 * budget lasts and the failure may pass, else dead-lettered with the reason.
 * Returns the counts and the message ids handed back to SQS because a
 * re-queue or dead-letter write failed.
 */
export async function settleFailures(
  prepared: readonly Prepared[],
  failures: readonly Failure[],
  deps: SettleDeps,
): Promise<{ requeued: number; deadLettered: number; returned: string[] }> {
  // One settlement per message and channel: a message may carry several views (an archive of
  // several findings), and its retry names each failed channel once.
  const byMessage = new Map<string, Failure[]>();
  for (const f of failures) {
    const listed = byMessage.get(f.messageId) ?? [];
    if (!listed.some((l) => l.channel === f.channel)) byMessage.set(f.messageId, [...listed, f]);
  }
  const settled = { requeued: 0, deadLettered: 0, returned: [] as string[] };
  const firstViews = [...new Map(prepared.map((p) => [p.item.messageId, p] as const)).values()];
  for (const p of firstViews) {
    const failed = byMessage.get(p.item.messageId);
    if (!failed) continue;
    const attempt = p.item.attempt + 1;
    const retry = failed.filter((f) => f.error.kind !== 'permanent' && attempt <= deps.maxRequeues);
    const dead = failed.filter((f) => !retry.includes(f));
    try {
      if (retry.length > 0) {
        await requeue(p, retry, attempt, deps);
        settled.requeued += retry.length;
      }
      if (dead.length > 0) {
        await deadLetterFailures(p, dead, attempt, deps);
        settled.deadLettered += dead.length;
      }
    } catch (error) {
      deps.logger.error(
        'could not re-queue failed channels; handing the record back to SQS (channels that succeeded may receive it again)',
        { findingId: p.finding.id, error },
      );
      settled.returned.push(p.item.messageId);
    }
  }
  return settled;
}
