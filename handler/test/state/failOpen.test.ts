import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../helpers/moto.js';
import {
  createStateMetrics,
  createStateStore,
  occurrenceOf,
  type StateUnavailable,
  type StateStore,
} from '../../src/state/index.js';
import { type DynamoFault, type DynamoFaultProxy, startDynamoFaultProxy } from './dynamodbFaultProxy.js';
import { createStateTable } from '../../../harness/awsState.mjs';

/*
 * The memory must never hold up or withhold delivery: with DynamoDB throttling,
 * failing, resetting or silent (played by the fault proxy in front of moto),
 * every call answers "unknown" quickly, is counted, and is logged once per
 * outage; with partial batches it retries the unprocessed part.
 */
const TABLE = 'gdn-state-faults';
let moto: Moto;
let proxy: DynamoFaultProxy;
const saved = { ...process.env };
let logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
let failures: StateUnavailable[];

const logger = {
  warn: (message: string, fields?: Record<string, unknown>) => logs.push({ level: 'WARN', message, fields }),
  info: (message: string, fields?: Record<string, unknown>) => logs.push({ level: 'INFO', message, fields }),
};

const COOLDOWN_MS = 400;

function store(dynamo: Record<string, number> = {}): StateStore {
  return createStateStore(
    { GDN_STATE_TABLE: TABLE },
    {
      logger,
      onUnavailable: (f) => failures.push(f),
      cooldownMs: COOLDOWN_MS,
      dynamo: { endpoint: proxy.endpoint, ...dynamo },
    },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const totalRequests = () => [...proxy.requests.values()].reduce((a, b) => a + b, 0);

const sightings = Array.from({ length: 5 }, (_, i) => ({
  findingId: `fault-${i}`,
  score: 5,
  count: 1,
  updatedAt: '2026-11-29T10:00:00.000Z',
}));
const keys = sightings.map((s) => ({ findingId: s.findingId, occurrence: occurrenceOf(s), channel: 'sec-slack' }));

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

beforeAll(async () => {
  moto = await startMoto({ attempts: 2 });
  Object.assign(process.env, moto.env);
  proxy = await startDynamoFaultProxy(moto.endpoint);
  await createStateTable(TABLE, moto.endpoint);
});
afterAll(async () => {
  process.env = saved;
  await proxy?.close();
  await moto?.stop();
});
beforeEach(() => {
  logs = [];
  failures = [];
  proxy.set({ kind: 'none' });
});

describe('fail open', () => {
  const outages: Array<[string, DynamoFault, StateUnavailable['reason']]> = [
    ['throttled (ProvisionedThroughputExceededException)', { kind: 'throttle' }, 'throttled'],
    ['throttled (ThrottlingException)', { kind: 'throttle', type: 'ThrottlingException' }, 'throttled'],
    ['failing with HTTP 500', { kind: 'internalError' }, 'error'],
    ['resetting connections', { kind: 'reset' }, 'network'],
  ];

  for (const [what, fault, reason] of outages) {
    it(`answers unknown when DynamoDB is ${what}: one retry, then no requests while cooling down; logged once, counted per call`, async () => {
      const state = store();
      proxy.set(fault);
      const before = proxy.requests.get('UpdateItem') ?? 0;
      const observed = await timed(() => state.observe(sightings.slice(0, 1)));
      expect(observed.value).toBeUndefined();
      expect(observed.ms).toBeLessThan(2_500);
      // maxAttempts 2: the SDK's one retry, no more.
      expect((proxy.requests.get('UpdateItem') ?? 0) - before).toBe(2);

      // Within the cooldown: unknown at once, without pressing the table.
      const requestsBefore = totalRequests();
      const cooling = await timed(async () => [
        await state.accepted(keys),
        await state.recordAccepted(keys),
        await state.messageRef('fault-0', 'sec-slack'),
      ]);
      expect(cooling.value).toEqual([undefined, undefined, undefined]);
      expect(cooling.ms).toBeLessThan(50);
      expect(totalRequests()).toBe(requestsBefore);

      // After it: tried again, still failing.
      await sleep(COOLDOWN_MS + 50);
      expect(await state.accepted(keys)).toBeUndefined();
      expect(totalRequests()).toBeGreaterThan(requestsBefore);

      expect(failures.map((f) => [f.operation, f.reason, f.items, f.skipped])).toEqual([
        ['observe', reason, 1, false],
        ['accepted', reason, 5, true],
        ['recordAccepted', reason, 5, true],
        ['messageRef', reason, 1, true],
        ['accepted', reason, 5, false],
      ]);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatchObject({ level: 'WARN', fields: { operation: 'observe', reason } });

      // It comes back: answers are known again and the recovery is logged once.
      proxy.set({ kind: 'none' });
      await sleep(COOLDOWN_MS + 50);
      expect(await state.accepted(keys)).toEqual(keys.map(() => false));
      expect(await state.accepted(keys)).toEqual(keys.map(() => false));
      expect(logs).toHaveLength(2);
      expect(logs[1]).toMatchObject({ level: 'INFO', fields: { failedCalls: 5 } });
    });
  }

  it('prepares the client without a request', async () => {
    const state = store();
    const before = totalRequests();
    expect(await state.prepare()).toBe(true);
    expect(totalRequests()).toBe(before);
    expect(failures).toEqual([]);
  });

  it('gives up on a DynamoDB that never answers within the operation deadline', async () => {
    const state = store({ requestTimeoutMs: 300, operationTimeoutMs: 800 });
    proxy.set({ kind: 'hang' });
    const observed = await timed(() => state.observe(sightings));
    expect(observed.value).toBeUndefined();
    expect(observed.ms).toBeLessThan(1_500);
    expect(failures.map((f) => [f.operation, f.reason])).toEqual([['observe', 'timeout']]);
    // The SDK gave up on the attempt itself (throwOnRequestTimeout), not only the operation deadline.
    expect(failures[0]?.error).toMatchObject({ name: 'TimeoutError' });
  });

  it('counts the StateUnavailable metric per operation, with the items it left unguarded', () => {
    const lines: string[] = [];
    const metrics = createStateMetrics(
      'GuardDutyNotify',
      (line) => lines.push(line),
      () => 1_764_410_000_000,
    );
    metrics.unavailable({ operation: 'accepted', items: 300 });
    metrics.unavailable({ operation: 'accepted', items: 20 });
    metrics.unavailable({ operation: 'observe', items: 100 });
    expect(metrics.snapshot()).toEqual({
      accepted: { StateUnavailable: 2, UnguardedItems: 320 },
      observe: { StateUnavailable: 1, UnguardedItems: 100 },
    });
    metrics.flush();
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({
        StateOperation: 'accepted',
        StateUnavailable: 2,
        UnguardedItems: 320,
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            expect.objectContaining({ Namespace: 'GuardDutyNotify', Dimensions: [['StateOperation']] }),
          ],
        }),
      }),
      expect.objectContaining({ StateOperation: 'observe', StateUnavailable: 1 }),
    ]);
    metrics.flush();
    expect(lines).toHaveLength(2);
  });
});

describe('partial batches', () => {
  it('retries UnprocessedKeys and UnprocessedItems until every receipt is written and read', async () => {
    const state = store();
    const many = Array.from({ length: 120 }, (_, i) => ({
      findingId: `partial-${i}`,
      occurrence: 'o#1',
      channel: 'oncall',
    }));
    proxy.set({ kind: 'partial', keep: 0.8 });
    const writesBefore = proxy.requests.get('BatchWriteItem') ?? 0;
    expect(await state.recordAccepted(many)).toBe(true);
    // 5 requests of 25 would do if DynamoDB processed whole batches; each partial answer needs more.
    expect((proxy.requests.get('BatchWriteItem') ?? 0) - writesBefore).toBeGreaterThan(5);
    const readsBefore = proxy.requests.get('BatchGetItem') ?? 0;
    expect(await state.accepted(many)).toEqual(many.map(() => true));
    expect((proxy.requests.get('BatchGetItem') ?? 0) - readsBefore).toBeGreaterThan(2);
    expect(failures).toEqual([]);
  });

  it('answers unknown when unprocessed items remain after its retry rounds', async () => {
    const state = createStateStore(
      { GDN_STATE_TABLE: TABLE },
      { logger, onUnavailable: (f) => failures.push(f), dynamo: { endpoint: proxy.endpoint } },
    );
    const many = Array.from({ length: 100 }, (_, i) => ({
      findingId: `stuck-${i}`,
      occurrence: 'o#1',
      channel: 'oncall',
    }));
    // Only one key of each request processed: 100 keys cannot finish in 1 + 4 rounds.
    proxy.set({ kind: 'partial', keep: 0.001 });
    expect(await state.accepted(many)).toBeUndefined();
    expect(failures.map((f) => [f.operation, f.reason])).toEqual([['accepted', 'incomplete']]);
  });
});
