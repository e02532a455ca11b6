import type { StateStore } from '../state/store.js';
import type { FindingRecord } from '../state/types.js';
import type { Heartbeat, SignalRecord, StateRecord } from './model.js';
import type { Period } from './period.js';

/*
 * The report's sources at the function's edges: the state table (lifecycle
 * of the report's findings, the signals kept by the batch, the last processed
 * event) and the queues' depths. Each throws when it cannot answer, so the
 * report names what is missing (see `prepareReport`) instead of showing a
 * zero that looks like a fact.
 */

/** Finding ids per BatchGetItem (DynamoDB's limit), and such reads in flight at once. */
export const STATE_READ_BATCH = 100;
export const STATE_READ_CONCURRENCY = 4;

/** The state record the report counts, or null when the memory never saw the finding arrive. */
function stateRecordOf(findingId: string, record: FindingRecord): StateRecord | null {
  if (!record.firstSeenAt) return null;
  // An archive undone later is not an archive.
  const archived = record.archivedAt && !(record.unarchivedAt && record.unarchivedAt > record.archivedAt);
  return {
    findingId,
    firstSeenAt: record.firstSeenAt,
    acknowledgedAt: record.acknowledgedAt ?? null,
    archivedAt: archived ? (record.archivedAt ?? null) : null,
  };
}

/**
 * The finding records of `findingIds`: BatchGetItem of {@link STATE_READ_BATCH}
 * ids, {@link STATE_READ_CONCURRENCY} at a time, until `deadline` (epoch ms).
 * Throws when there is no table, when the table stops answering, or at the
 * deadline, with how far it got.
 */
export async function readStateRecords(
  state: StateStore,
  findingIds: readonly string[],
  deadline: number,
): Promise<StateRecord[]> {
  if (!state.enabled) throw new Error('no state table is configured');
  const batches: string[][] = [];
  for (let i = 0; i < findingIds.length; i += STATE_READ_BATCH) batches.push(findingIds.slice(i, i + STATE_READ_BATCH));
  const records: StateRecord[] = [];
  let next = 0;
  let read = 0;
  let unanswered = false;
  const worker = async () => {
    while (next < batches.length && !unanswered && Date.now() < deadline) {
      const ids = batches[next++] as string[];
      const answer = await state.findingRecords(ids);
      if (answer === undefined) {
        unanswered = true;
        return;
      }
      answer.forEach((record, i) => {
        const counted = record && stateRecordOf(ids[i] as string, record);
        if (counted) records.push(counted);
      });
      read += ids.length;
    }
  };
  await Promise.all(Array.from({ length: Math.min(STATE_READ_CONCURRENCY, batches.length) }, worker));
  if (unanswered) throw new Error('the table did not answer');
  if (read < findingIds.length)
    throw new Error(`stopped at the deadline after ${read} of ${findingIds.length} findings`);
  return records;
}

/** The tamper alerts and coverage changes the batch kept for the period. */
export async function readSignalRecords(state: StateStore, period: Period): Promise<SignalRecord[]> {
  if (!state.enabled) throw new Error('no state table is configured');
  const entries = await state.signalsBetween(period.start, period.end);
  if (entries === undefined) throw new Error('the table did not answer');
  return entries;
}

export interface QueueEdges {
  /** Messages in a queue (waiting, in flight, delayed). */
  queueDepth(url: string): Promise<number>;
  /** The main queue (where the function re-queues) and the dead-letter queue; unset: unknown. */
  queueUrl: string | undefined;
  dlqUrl: string | undefined;
}

/** The pipeline's own facts: last processed event (state table) and both queues' depths. */
export async function readHeartbeat(state: StateStore, queues: QueueEdges): Promise<Heartbeat> {
  const depth = (url: string | undefined) => (url ? queues.queueDepth(url) : Promise.resolve(null));
  const [last, queueDepth, dlqDepth] = await Promise.all([
    state.lastProcessed(),
    depth(queues.queueUrl),
    depth(queues.dlqUrl),
  ]);
  return { lastEventProcessedAt: last?.lastProcessedAt ?? null, queueDepth, dlqDepth };
}
