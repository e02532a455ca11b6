import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { DynamoHttpClient } from './dynamoHttp.js';
import {
  daysOf,
  deliveryId,
  deliverySk,
  expiresAtFrom,
  findingPk,
  META,
  occurrenceOf,
  PIPELINE_KEY,
  refSk,
  signalPk,
} from './keys.js';
import { createBatchWriter } from './batchWriter.js';
import type { StateBackend } from './store.js';
import {
  type AcceptedDelivery,
  type DeliveryKey,
  FindingRecordSchema,
  type MessageRef,
  MessageRefSchema,
  type Observation,
  PipelineRecordSchema,
  type FindingRecord,
  type Sighting,
  type SignalEntry,
  SignalEntrySchema,
} from './types.js';

/*
 * The DynamoDB backend (attribute values built by hand: the items hold strings
 * and numbers only), over the lean client of dynamoHttp.ts, loaded on the
 * first call as the other AWS edges are, so cold start does not pay for it.
 */

// Types only (erased at build): the wire shapes of DynamoDB's JSON protocol, as the SDK declares them.
type AttributeValue = import('@aws-sdk/client-dynamodb').AttributeValue;
type BatchGetItemCommandOutput = import('@aws-sdk/client-dynamodb').BatchGetItemCommandOutput;
type BatchWriteItemCommandOutput = import('@aws-sdk/client-dynamodb').BatchWriteItemCommandOutput;
type GetItemCommandOutput = import('@aws-sdk/client-dynamodb').GetItemCommandOutput;
type QueryCommandOutput = import('@aws-sdk/client-dynamodb').QueryCommandOutput;
type UpdateItemCommandOutput = import('@aws-sdk/client-dynamodb').UpdateItemCommandOutput;
type Item = Record<string, AttributeValue>;

/**
 * A receipt waiting to be written: its DELIVERY item, or the REF item of an
 * entry with a message reference. Kept this small on purpose: a digest's
 * 1,000 receipts wait while other channels' receipts share their requests.
 */
interface Receipt {
  entry: AcceptedDelivery;
  kind: 'delivery' | 'ref';
  /** When and until when, shared by the receipts of one call. */
  stamp: { acceptedAt: string; ttl: number };
}

/** DynamoDB's per-request limits (BatchGetItem 100 keys, BatchWriteItem 25 requests). */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

export interface DynamoClientOptions {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * Total attempts per request (retries included). Few: the
   * memory must never hold up delivery; a throttled table means "unknown".
   */
  maxAttempts?: number;
  /** Deadline of one attempt: connect, send and answer (an unreachable endpoint fails within it). */
  requestTimeoutMs?: number;
  /** Deadline of one operation, retries and UnprocessedKeys/Items rounds included. */
  operationTimeoutMs?: number;
}

export interface DynamoBackendOptions {
  tableName: string;
  ttlDays: number;
  client?: DynamoClientOptions;
  now?: () => number;
  /** Parallel single-item writes (observe). */
  concurrency?: number;
  /** Rounds of retry for UnprocessedKeys/UnprocessedItems before giving up. */
  unprocessedRounds?: number;
}

/** The memory could not complete an operation (after its retries); the store answers "unknown". */
export class StateIncompleteError extends Error {
  override readonly name = 'StateIncompleteError';
  constructor(
    readonly operation: string,
    readonly remaining: number,
  ) {
    super(`${operation}: ${remaining} item(s) still unprocessed after retries`);
  }
}

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const str = (value: AttributeValue | undefined): string | undefined => value?.S;
const num = (value: AttributeValue | undefined): number | undefined =>
  value?.N === undefined ? undefined : Number(value.N);

/** Plain object of an item's string and number attributes (what the schemas parse). */
function plain(item: Item): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (value.S !== undefined) out[name] = value.S;
    else if (value.N !== undefined) out[name] = Number(value.N);
  }
  return out;
}

/** The key of a receipt's item, for `pk|sk` uniqueness within a request. */
const receiptId = ({ entry, kind }: Receipt): string =>
  kind === 'delivery' ? deliveryId(entry) : `${findingPk(entry.findingId)}|${refSk(entry.channel)}`;

/** The item a receipt is written as (see keys.ts). */
function receiptItem({ entry, kind, stamp: { acceptedAt, ttl } }: Receipt): Item {
  const pk = S(findingPk(entry.findingId));
  const ref: Item = entry.ref ? { ref: S(JSON.stringify(entry.ref)) } : {};
  const common = { acceptedAt: S(acceptedAt), expiresAt: N(ttl), ...ref };
  return kind === 'delivery'
    ? { pk, sk: S(deliverySk(entry.occurrence, entry.channel)), ...common }
    : { pk, sk: S(refSk(entry.channel)), occurrence: S(entry.occurrence), ...common };
}

const isConditionFailure = (error: unknown): error is { name: string; Item?: Item } =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createDynamoBackend(options: DynamoBackendOptions): StateBackend {
  const { tableName, ttlDays, now = Date.now, concurrency = 16, unprocessedRounds = 4 } = options;
  const {
    maxAttempts = 2,
    requestTimeoutMs = 1_000,
    operationTimeoutMs = 2_500,
    ...clientConfig
  } = options.client ?? {};

  // The client (and the signer's chunk) load on the first call: cold start does not pay for them.
  let client: Promise<DynamoHttpClient> | undefined;
  const load = () => {
    client ??= import('./dynamoHttp.js').then(({ createDynamoHttpClient }) =>
      createDynamoHttpClient({ ...clientConfig, maxAttempts, requestTimeoutMs }),
    );
    return client;
  };

  /** Runs one operation under its deadline: retries and backoff included. */
  const withDeadline = async <T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const deadline = deadlineAfter(operationTimeoutMs);
    // Every parallel request of the operation listens on it: not a leak.
    setMaxListeners(concurrency * 4, deadline.signal);
    try {
      return await work(deadline.signal);
    } finally {
      deadline.clear();
    }
  };

  const expiresAt = () => N(expiresAtFrom(now(), ttlDays));

  /** One BatchWriteItem of up to 25 puts, with rounds for UnprocessedItems (exponential backoff). */
  async function batchWrite(operation: string, items: Item[], signal: AbortSignal): Promise<void> {
    const ddb = await load();
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round > unprocessedRounds) throw new StateIncompleteError(operation, pending.length);
      if (round > 0) await backoff(round, signal);
      const result = await ddb.call<BatchWriteItemCommandOutput>(
        'BatchWriteItem',
        { RequestItems: { [tableName]: pending } },
        signal,
      );
      pending = (result.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
      );
    }
  }

  // Receipts of concurrent channels share requests (see batchWriter.ts); each request has its own deadline.
  const receiptWriter = createBatchWriter<Receipt>({
    limit: BATCH_WRITE_LIMIT,
    idOf: receiptId,
    write: async (receipts) => {
      const deadline = deadlineAfter(operationTimeoutMs);
      try {
        await batchWrite('recordAccepted', receipts.map(receiptItem), deadline.signal);
      } finally {
        deadline.clear();
      }
    },
  });
  const isoNow = () => new Date(now()).toISOString();

  async function observeOne(sighting: Sighting, signal: AbortSignal): Promise<Observation> {
    const ddb = await load();
    const occurrence = occurrenceOf(sighting);
    const key = { pk: S(findingPk(sighting.findingId)), sk: S(META) };
    const at = isoNow();
    try {
      // New (no firstSeenAt yet: a lifecycle-only record does not count as a sighting) or a
      // higher score than any before: exactly one concurrent writer passes the condition.
      // The decision is kept with the occurrence that won it (previousHighest -1 = new), so a
      // redelivery of that occurrence gets the same answer. Operands read the item as it was.
      const result = await ddb.call<UpdateItemCommandOutput>(
        'UpdateItem',
        {
          TableName: tableName,
          Key: key,
          ConditionExpression: 'attribute_not_exists(firstSeenAt) OR highestSeverity < :score',
          UpdateExpression:
            'SET previousHighest = if_not_exists(highestSeverity, :none), highestSeverity = :score, ' +
            'firstSeenAt = if_not_exists(firstSeenAt, :now), lastCount = :count, lastUpdatedAt = :updatedAt, ' +
            'lastSeenAt = :now, decidedOccurrence = :occurrence, expiresAt = :expiresAt',
          ExpressionAttributeValues: {
            ':score': N(sighting.score),
            ':none': N(-1),
            ':now': S(at),
            ':count': N(sighting.count),
            ':updatedAt': S(sighting.updatedAt),
            ':occurrence': S(occurrence),
            ':expiresAt': expiresAt(),
          },
          ReturnValues: 'ALL_OLD',
          // On a failed condition the item comes back too: no second request to read it.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
        signal,
      );
      const old = result.Attributes ?? {};
      const isNew = str(old.firstSeenAt) === undefined;
      if ((num(old.lastCount) ?? -1) > sighting.count) await restoreLastSighting(sighting.findingId, old, signal);
      return { isNew, isEscalation: !isNew, previousHighest: isNew ? null : (num(old.highestSeverity) ?? null) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = error.Item ?? {};
      // The same occurrence again (a redelivery, or this write retried after it landed): the
      // answer it got the first time, so a crash between deciding and sending loses nothing.
      if (str(old.decidedOccurrence) === occurrence) return recordedAnswer(old);
      const lastCount = num(old.lastCount) ?? -1;
      if (sighting.count > lastCount) await advanceLastSighting(sighting, at, signal);
      const previous = num(old.highestSeverity);
      return { isNew: false, isEscalation: false, previousHighest: previous ?? null };
    }
  }

  /** The winning sighting was older than one already recorded (out of order): the later one stays last. */
  async function restoreLastSighting(findingId: string, old: Item, signal: AbortSignal): Promise<void> {
    const ddb = await load();
    await ddb
      .call<UpdateItemCommandOutput>(
        'UpdateItem',
        {
          TableName: tableName,
          Key: { pk: S(findingPk(findingId)), sk: S(META) },
          ConditionExpression: 'lastCount < :oldCount',
          UpdateExpression: 'SET lastCount = :oldCount, lastUpdatedAt = :oldUpdatedAt',
          ExpressionAttributeValues: {
            ':oldCount': old.lastCount ?? N(0),
            ':oldUpdatedAt': old.lastUpdatedAt ?? S(''),
          },
        },
        signal,
      )
      .catch((error: unknown) => {
        // Meanwhile a later sighting was recorded: it stays.
        if (!isConditionFailure(error)) throw error;
      });
  }

  async function advanceLastSighting(sighting: Sighting, at: string, signal: AbortSignal): Promise<void> {
    const ddb = await load();
    await ddb
      .call<UpdateItemCommandOutput>(
        'UpdateItem',
        {
          TableName: tableName,
          Key: { pk: S(findingPk(sighting.findingId)), sk: S(META) },
          ConditionExpression: 'lastCount < :count',
          UpdateExpression:
            'SET lastCount = :count, lastUpdatedAt = :updatedAt, lastSeenAt = :now, expiresAt = :expiresAt',
          ExpressionAttributeValues: {
            ':count': N(sighting.count),
            ':updatedAt': S(sighting.updatedAt),
            ':now': S(at),
            ':expiresAt': expiresAt(),
          },
        },
        signal,
      )
      .catch((error: unknown) => {
        // A concurrent container recorded a later sighting first: it stays.
        if (!isConditionFailure(error)) throw error;
      });
  }

  return {
    async prepare() {
      await load();
    },

    async observe(sightings) {
      return withDeadline(async (signal) => {
        // Sightings of one finding run in count order, one after another, so two updates of
        // one finding in one batch are decided like two batches; different findings in parallel.
        const byFinding = new Map<string, number[]>();
        for (const [i, s] of sightings.entries())
          byFinding.set(s.findingId, [...(byFinding.get(s.findingId) ?? []), i]);
        const answers = new Array<Observation>(sightings.length);
        await mapLimit([...byFinding.values()], concurrency, async (indexes) => {
          const ordered = [...indexes].sort(
            (a, b) => (sightings[a] as Sighting).count - (sightings[b] as Sighting).count,
          );
          for (const i of ordered) answers[i] = await observeOne(sightings[i] as Sighting, signal);
        });
        return answers;
      });
    },

    async accepted(keys) {
      if (keys.length === 0) return [];
      return withDeadline(async (signal) => {
        const ddb = await load();
        const found = new Set<string>();
        // 100 keys per request, marshalled as the request is built: with seven channels asking at
        // once, a channel holds no more than the request in flight. A key twice in one request
        // (DynamoDB refuses that) is read once; across requests a repeat is only read again.
        for (let next = 0; next < keys.length; ) {
          const ids = new Set<string>();
          let pending: Item[] = [];
          for (; next < keys.length && pending.length < BATCH_GET_LIMIT; next++) {
            const key = keys[next] as DeliveryKey;
            const id = deliveryId(key);
            if (ids.has(id)) continue;
            ids.add(id);
            pending.push({ pk: S(findingPk(key.findingId)), sk: S(deliverySk(key.occurrence, key.channel)) });
          }
          for (let round = 0; pending.length > 0; round++) {
            if (round > unprocessedRounds) throw new StateIncompleteError('accepted', pending.length);
            if (round > 0) await backoff(round, signal);
            const result = await ddb.call<BatchGetItemCommandOutput>(
              'BatchGetItem',
              {
                // Strongly consistent: a receipt written a moment ago by another container counts.
                RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'pk, sk' } },
              },
              signal,
            );
            for (const item of result.Responses?.[tableName] ?? []) found.add(`${str(item.pk)}|${str(item.sk)}`);
            pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
          }
        }
        return keys.map((key) => found.has(deliveryId(key)));
      });
    },

    async recordAccepted(entries) {
      if (entries.length === 0) return;
      const stamp = { acceptedAt: isoNow(), ttl: expiresAtFrom(now(), ttlDays) };
      // One put per key within a call, the last given kept: a finding's latest occurrence wins its REF
      // item (occurrences sort by time). Items are marshalled when a request takes them.
      const sorted = [...entries].sort((a, b) => a.occurrence.localeCompare(b.occurrence));
      const receipts: Receipt[] = [];
      const seen = new Set<string>();
      for (let i = sorted.length - 1; i >= 0; i--) {
        const entry = sorted[i] as AcceptedDelivery;
        for (const receipt of [
          { entry, kind: 'delivery', stamp } as const,
          ...(entry.ref ? [{ entry, kind: 'ref', stamp } as const] : []),
        ]) {
          const id = receiptId(receipt);
          if (seen.has(id)) continue;
          seen.add(id);
          receipts.push(receipt);
        }
      }
      const deadline = deadlineAfter(operationTimeoutMs);
      try {
        await receiptWriter.write(receipts.reverse(), deadline.signal);
      } finally {
        deadline.clear();
      }
    },

    async announcedOn(findingId) {
      return withDeadline(async (signal) => {
        const ddb = await load();
        const channels = new Set<string>();
        let start: Record<string, AttributeValue> | undefined;
        // Receipts are DELIVERY#<updatedAt>#<count>#<channel>; channel names cannot contain "#".
        do {
          const page = await ddb.call<QueryCommandOutput>(
            'Query',
            {
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :receipt)',
              ExpressionAttributeValues: { ':pk': S(findingPk(findingId)), ':receipt': S('DELIVERY#') },
              ProjectionExpression: 'sk',
              ExclusiveStartKey: start,
            },
            signal,
          );
          for (const item of page.Items ?? []) {
            const channel = str(item.sk)?.split('#').pop();
            if (channel) channels.add(channel);
          }
          start = page.LastEvaluatedKey;
        } while (start);
        return [...channels];
      });
    },

    async messageRef(findingId, channel) {
      const item = await getItem(findingPk(findingId), refSk(channel));
      const json = str(item?.ref);
      if (json === undefined) return null;
      const parsed = MessageRefSchema.safeParse(JSON.parse(json));
      return parsed.success ? (parsed.data as MessageRef) : null;
    },

    async setLifecycle(findingId, change) {
      return withDeadline(async (signal) => {
        const ddb = await load();
        try {
          await ddb.call<UpdateItemCommandOutput>(
            'UpdateItem',
            {
              TableName: tableName,
              Key: { pk: S(findingPk(findingId)), sk: S(META) },
              // The archive sync may deliver an older event late: the latest change of a kind stays.
              ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
              UpdateExpression: 'SET #by = :by, #at = :at, expiresAt = :expiresAt',
              ExpressionAttributeNames: { '#by': `${change.action}By`, '#at': `${change.action}At` },
              ExpressionAttributeValues: { ':by': S(change.by), ':at': S(change.at), ':expiresAt': expiresAt() },
            },
            signal,
          );
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      });
    },

    async findingRecord(findingId) {
      const item = await getItem(findingPk(findingId), META);
      if (!item) return null;
      const parsed = FindingRecordSchema.safeParse(plain(item));
      return parsed.success ? parsed.data : null;
    },

    async findingRecords(findingIds) {
      if (findingIds.length > BATCH_GET_LIMIT)
        throw new RangeError(`findingRecords takes at most ${BATCH_GET_LIMIT} ids, got ${findingIds.length}`);
      if (findingIds.length === 0) return [];
      return withDeadline(async (signal) => {
        const ddb = await load();
        const found = new Map<string, FindingRecord>();
        let pending: Item[] = [...new Set(findingIds)].map((id) => ({ pk: S(findingPk(id)), sk: S(META) }));
        for (let round = 0; pending.length > 0; round++) {
          if (round > unprocessedRounds) throw new StateIncompleteError('findingRecords', pending.length);
          if (round > 0) await backoff(round, signal);
          // Eventually consistent (half the read cost): the report looks at days, not milliseconds.
          const result = await ddb.call<BatchGetItemCommandOutput>(
            'BatchGetItem',
            { RequestItems: { [tableName]: { Keys: pending } } },
            signal,
          );
          for (const item of result.Responses?.[tableName] ?? []) {
            const parsed = FindingRecordSchema.safeParse(plain(item));
            const pk = str(item.pk);
            if (parsed.success && pk) found.set(pk, parsed.data);
          }
          pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
        return findingIds.map((id) => found.get(findingPk(id)) ?? null);
      });
    },

    async recordProcessed(eventTime) {
      await withDeadline(async (signal) => {
        const ddb = await load();
        await ddb
          .call<UpdateItemCommandOutput>(
            'UpdateItem',
            {
              TableName: tableName,
              Key: { pk: S(PIPELINE_KEY.pk), sk: S(PIPELINE_KEY.sk) },
              ConditionExpression: 'attribute_not_exists(lastEventAt) OR lastEventAt < :eventAt',
              UpdateExpression: 'SET lastEventAt = :eventAt, lastProcessedAt = :now, expiresAt = :expiresAt',
              ExpressionAttributeValues: { ':eventAt': S(eventTime), ':now': S(isoNow()), ':expiresAt': expiresAt() },
            },
            signal,
          )
          .catch((error: unknown) => {
            // A later event is already recorded (another container, or an older record redelivered).
            if (!isConditionFailure(error)) throw error;
          });
      });
    },

    async lastProcessed() {
      const item = await getItem(PIPELINE_KEY.pk, PIPELINE_KEY.sk);
      if (!item) return null;
      const parsed = PipelineRecordSchema.safeParse(plain(item));
      return parsed.success ? parsed.data : null;
    },

    async recordSignals(entries) {
      if (entries.length === 0) return;
      await withDeadline(async (signal) => {
        const ttl = expiresAt();
        // The sort key is the time and a digest of the entry: a redelivered event rewrites its own item.
        const puts = new Map<string, Item>();
        for (const entry of entries) {
          const sk = `${entry.at}#${createHash('sha256').update(JSON.stringify(entry)).digest('hex').slice(0, 16)}`;
          const item: Item = {
            pk: S(signalPk(entry.at.slice(0, 10))),
            sk: S(sk),
            kind: S(entry.kind),
            at: S(entry.at),
            title: S(entry.title),
            accountId: S(entry.accountId),
            region: S(entry.region),
            ...(entry.key === null ? {} : { key: S(entry.key) }),
            expiresAt: ttl,
          };
          puts.set(`${str(item.pk)}|${sk}`, item);
        }
        for (const chunk of chunks([...puts.values()], BATCH_WRITE_LIMIT))
          await batchWrite('recordSignals', chunk, signal);
      });
    },

    async signalsBetween(start, end) {
      const ddb = await load();
      const entries: SignalEntry[] = [];
      // One Query per day, each under its own deadline: a 90-day report is 91 small reads, not one long one.
      for (const day of daysOf(start, end)) {
        await withDeadline(async (signal) => {
          let next: Item | undefined;
          do {
            const page = await ddb.call<QueryCommandOutput>(
              'Query',
              {
                TableName: tableName,
                // Times in events vary in form (with or without milliseconds): filter by parsed time below.
                KeyConditionExpression: 'pk = :pk',
                ExpressionAttributeValues: { ':pk': S(signalPk(day)) },
                ExclusiveStartKey: next,
              },
              signal,
            );
            for (const item of page.Items ?? []) {
              const parsed = SignalEntrySchema.safeParse({ key: null, ...plain(item) });
              if (!parsed.success) continue;
              const t = Date.parse(parsed.data.at);
              if (t >= start.getTime() && t < end.getTime()) entries.push(parsed.data);
            }
            next = page.LastEvaluatedKey;
          } while (next);
        });
      }
      return entries;
    },
  };

  async function getItem(pk: string, sk: string): Promise<Item | undefined> {
    return withDeadline(async (signal) => {
      const ddb = await load();
      const result = await ddb.call<GetItemCommandOutput>(
        'GetItem',
        { TableName: tableName, Key: { pk: S(pk), sk: S(sk) }, ConsistentRead: true },
        signal,
      );
      return result.Item;
    });
  }
}

/**
 * A signal that aborts with a `TimeoutError` after `ms`, like `AbortSignal.timeout`, but whose
 * timer is cleared when the work ends: thousands of receipt writes per batch would otherwise each
 * leave a signal and its timer alive for the whole deadline, long enough for V8 to promote them.
 */
function deadlineAfter(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Exponential backoff with full jitter between UnprocessedKeys/Items rounds (as AWS advises). */
async function backoff(round: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw signal.reason;
  await sleep(Math.random() * Math.min(400, 25 * 2 ** round));
}

/** The answer an occurrence got when it won (see observeOne): previousHighest -1 marks "new". */
function recordedAnswer(old: Item): Observation {
  const previous = num(old.previousHighest) ?? -1;
  const isNew = previous < 0;
  return { isNew, isEscalation: !isNew, previousHighest: isNew ? null : previous };
}
