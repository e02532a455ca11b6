import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startMoto, type Moto } from '../helpers/moto.js';
import {
  createNullStateStore,
  createStateStore,
  occurrenceOf,
  type Sighting,
  type StateStore,
} from '../../src/state/index.js';
import { startDynamoFaultProxy, type DynamoFaultProxy } from './dynamodbFaultProxy.js';
import { createStateTable, scanAll } from '../../../harness/awsState.mjs';

/*
 * The state store against moto's DynamoDB, through the fault proxy switched
 * off (so requests per operation can be counted): the real SDK client, the
 * real table layout, no mocks of our code.
 */
const TABLE = 'gdn-state-store';
let moto: Moto;
let proxy: DynamoFaultProxy;
let admin: DynamoDBClient;
const saved = { ...process.env };
const warnings: string[] = [];
const logger = { warn: (m: string) => warnings.push(m), info: () => undefined };

function store(env: Record<string, string> = {}): StateStore {
  return createStateStore(
    { GDN_STATE_TABLE: TABLE, ...env },
    { logger, dynamo: { endpoint: proxy.endpoint, ...SLOW_EMULATOR } },
  );
}

/** Behaviour, not timing, is under test here: the emulator on a shared machine is slower than DynamoDB. */
const SLOW_EMULATOR = { operationTimeoutMs: 20_000, requestTimeoutMs: 10_000 };

let serial = 0;
const newFindingId = () => `f${Date.now().toString(16)}${(serial++).toString(16).padStart(6, '0')}`;
const sighting = (findingId: string, count: number, score: number): Sighting => ({
  findingId,
  count,
  score,
  updatedAt: new Date(Date.UTC(2026, 10, 29, 10, 0, count)).toISOString(),
});

beforeAll(async () => {
  moto = await startMoto({ attempts: 2 });
  Object.assign(process.env, moto.env);
  proxy = await startDynamoFaultProxy(moto.endpoint);
  admin = await createStateTable(TABLE, moto.endpoint);
});
afterAll(async () => {
  process.env = saved;
  await proxy?.close();
  await moto?.stop();
});

describe('observe: new, escalation, update', () => {
  it('tells the first sighting, a rise in severity, and an update that does not rise', async () => {
    const state = store();
    const id = newFindingId();
    expect(await state.observe([sighting(id, 1, 5)])).toEqual([
      { isNew: true, isEscalation: false, previousHighest: null },
    ]);
    expect(await state.observe([sighting(id, 2, 5)])).toEqual([
      { isNew: false, isEscalation: false, previousHighest: 5 },
    ]);
    expect(await state.observe([sighting(id, 3, 4.2)])).toEqual([
      { isNew: false, isEscalation: false, previousHighest: 5 },
    ]);
    expect(await state.observe([sighting(id, 4, 8.1)])).toEqual([
      { isNew: false, isEscalation: true, previousHighest: 5 },
    ]);
    const record = await state.findingRecord(id);
    expect(record).toMatchObject({ highestSeverity: 8.1, lastCount: 4, lastUpdatedAt: sighting(id, 4, 8.1).updatedAt });
    expect(record?.firstSeenAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('answers a redelivered occurrence as its first delivery was answered, so a crash loses no alert', async () => {
    const state = store();
    const id = newFindingId();
    const first = sighting(id, 1, 5);
    const raised = sighting(id, 2, 7);
    const plain = sighting(id, 3, 7);
    const neither = { isNew: false, isEscalation: false, previousHighest: 7 };
    for (let delivery = 0; delivery < 2; delivery++) {
      expect(await state.observe([first])).toEqual([{ isNew: true, isEscalation: false, previousHighest: null }]);
    }
    for (let delivery = 0; delivery < 2; delivery++) {
      expect(await state.observe([raised])).toEqual([{ isNew: false, isEscalation: true, previousHighest: 5 }]);
    }
    for (let delivery = 0; delivery < 2; delivery++) expect(await state.observe([plain])).toEqual([neither]);
    // Only the latest decision is replayed: the first sighting, redelivered after the escalation
    // was decided, is superseded by that escalation's alert.
    expect(await state.observe([first])).toEqual([neither]);
    expect(await state.findingRecord(id)).toMatchObject({ highestSeverity: 7, lastCount: 3 });
  });

  it('decides two sightings of one finding in one batch in count order', async () => {
    const state = store();
    const id = newFindingId();
    const answers = await state.observe([sighting(id, 3, 9), sighting(id, 1, 4)]);
    expect(answers).toEqual([
      { isNew: false, isEscalation: true, previousHighest: 4 },
      { isNew: true, isEscalation: false, previousHighest: null },
    ]);
  });

  it('keeps the later sighting as the last one when an older, higher one arrives late', async () => {
    const state = store();
    const id = newFindingId();
    await state.observe([sighting(id, 5, 5)]);
    expect(await state.observe([sighting(id, 4, 8)])).toEqual([
      { isNew: false, isEscalation: true, previousHighest: 5 },
    ]);
    expect(await state.findingRecord(id)).toMatchObject({ highestSeverity: 8, lastCount: 5 });
    // And a plain later update advances it.
    await state.observe([sighting(id, 6, 2)]);
    expect(await state.findingRecord(id)).toMatchObject({ highestSeverity: 8, lastCount: 6 });
  });

  it('does not count a lifecycle record written before any sighting as a sighting', async () => {
    const state = store();
    const id = newFindingId();
    expect(
      await state.setLifecycle(id, {
        action: 'archived',
        by: 'arn:aws:iam::111122223333:user/ana',
        at: '2026-11-29T09:00:00.000Z',
      }),
    ).toBe(true);
    expect(await state.observe([sighting(id, 1, 6)])).toEqual([
      { isNew: true, isEscalation: false, previousHighest: null },
    ]);
    expect(await state.findingRecord(id)).toMatchObject({
      archivedBy: 'arn:aws:iam::111122223333:user/ana',
      highestSeverity: 6,
    });
  });
});

describe('receipts: accepted and recordAccepted', () => {
  it('round-trips 450 receipts in pages of 100 reads and 25 writes, and tells a new occurrence apart', async () => {
    const state = store();
    const channels = ['sec-slack', 'oncall', 'sec-chat'];
    const findings = Array.from({ length: 150 }, () => sighting(newFindingId(), 2, 5));
    const keys = findings.flatMap((f) =>
      channels.map((channel) => ({ findingId: f.findingId, occurrence: occurrenceOf(f), channel })),
    );
    const before = new Map(proxy.requests);
    const requestsSince = (op: string) => (proxy.requests.get(op) ?? 0) - (before.get(op) ?? 0);

    expect(await state.accepted(keys)).toEqual(keys.map(() => false));
    expect(requestsSince('BatchGetItem')).toBe(5);

    // Half of them accepted (and the same entry twice, as a retried send would report it).
    const acceptedHalf = keys.filter((_, i) => i % 2 === 0);
    expect(await state.recordAccepted([...acceptedHalf, acceptedHalf[0]!])).toBe(true);
    expect(requestsSince('BatchWriteItem')).toBe(Math.ceil(acceptedHalf.length / 25));

    expect(await state.accepted(keys)).toEqual(keys.map((_, i) => i % 2 === 0));
    expect(requestsSince('BatchGetItem')).toBe(10);

    // The next occurrence of the same findings has no receipts yet.
    const next = keys.map((k) => ({
      ...k,
      occurrence: occurrenceOf({ updatedAt: '2026-11-29T11:00:00.000Z', count: 3 }),
    }));
    expect(await state.accepted(next)).toEqual(next.map(() => false));
  });

  it('keeps the latest message reference per finding and channel', async () => {
    const state = store();
    const id = newFindingId();
    const first = occurrenceOf(sighting(id, 1, 5));
    const second = occurrenceOf(sighting(id, 2, 5));
    expect(await state.messageRef(id, 'sec-slack')).toBeNull();
    await state.recordAccepted([
      {
        findingId: id,
        occurrence: second,
        channel: 'sec-slack',
        ref: { service: 'slack', channel: 'C0SEC', ts: '1764410000.000200' },
      },
      {
        findingId: id,
        occurrence: first,
        channel: 'sec-slack',
        ref: { service: 'slack', channel: 'C0SEC', ts: '1764400000.000100' },
      },
      {
        findingId: id,
        occurrence: first,
        channel: 'sec-chat',
        ref: { service: 'googleChat', name: 'spaces/AAA/messages/BBB.CCC' },
      },
      { findingId: id, occurrence: first, channel: 'oncall' },
    ]);
    expect(await state.messageRef(id, 'sec-slack')).toEqual({
      service: 'slack',
      channel: 'C0SEC',
      ts: '1764410000.000200',
    });
    expect(await state.messageRef(id, 'sec-chat')).toEqual({
      service: 'googleChat',
      name: 'spaces/AAA/messages/BBB.CCC',
    });
    expect(await state.messageRef(id, 'oncall')).toBeNull();
  });
});

describe('lifecycle and the pipeline record', () => {
  it('keeps the latest change of each kind when events arrive out of order', async () => {
    const state = store();
    const id = newFindingId();
    await state.observe([sighting(id, 1, 7)]);
    expect(
      await state.setLifecycle(id, { action: 'acknowledged', by: 'U024BE7LH', at: '2026-11-29T10:05:00.000Z' }),
    ).toBe(true);
    expect(
      await state.setLifecycle(id, {
        action: 'archived',
        by: 'arn:aws:iam::111122223333:role/sec',
        at: '2026-11-29T10:30:00.000Z',
      }),
    ).toBe(true);
    expect(
      await state.setLifecycle(id, {
        action: 'archived',
        by: 'arn:aws:iam::111122223333:role/old',
        at: '2026-11-29T10:10:00.000Z',
      }),
    ).toBe(false);
    expect(
      await state.setLifecycle(id, {
        action: 'unarchived',
        by: 'arn:aws:iam::111122223333:role/sec',
        at: '2026-11-29T11:00:00.000Z',
      }),
    ).toBe(true);
    expect(await state.findingRecord(id)).toMatchObject({
      highestSeverity: 7,
      acknowledgedBy: 'U024BE7LH',
      acknowledgedAt: '2026-11-29T10:05:00.000Z',
      archivedBy: 'arn:aws:iam::111122223333:role/sec',
      archivedAt: '2026-11-29T10:30:00.000Z',
      unarchivedAt: '2026-11-29T11:00:00.000Z',
    });
    expect(await state.findingRecord(newFindingId())).toBeNull();
  });

  it('never moves the last processed event time back', async () => {
    const state = store();
    await state.recordProcessed('2026-11-29T10:00:00Z');
    await state.recordProcessed('2026-11-29T09:00:00Z');
    expect(await state.lastProcessed()).toMatchObject({ lastEventAt: '2026-11-29T10:00:00Z' });
    await state.recordProcessed('2026-11-29T10:00:01Z');
    expect(await state.lastProcessed()).toMatchObject({ lastEventAt: '2026-11-29T10:00:01Z' });
  });
});

describe('TTL', () => {
  it('sets expiresAt, the table TTL attribute, on every item it writes, GDN_STATE_TTL_DAYS from now', async () => {
    const state = store({ GDN_STATE_TTL_DAYS: '7' });
    const id = newFindingId();
    const start = Math.floor(Date.now() / 1000);
    await state.observe([sighting(id, 1, 5), sighting(id, 2, 5)]);
    await state.recordAccepted([
      {
        findingId: id,
        occurrence: occurrenceOf(sighting(id, 1, 5)),
        channel: 'c',
        ref: { service: 'googleChat', name: 'spaces/X/messages/Y' },
      },
    ]);
    await state.setLifecycle(id, { action: 'acknowledged', by: 'U1', at: '2026-11-29T10:00:00Z' });
    const end = Math.floor(Date.now() / 1000) + 1;
    const mine = (await scanAll(admin, TABLE)).filter((item) => item.pk?.S === `FINDING#${id}`);
    expect(mine.map((i) => i.sk?.S).sort()).toEqual(['DELIVERY#2026-11-29T10:00:01.000Z#1#c', 'META', 'REF#c']);
    for (const item of mine) {
      const expiresAt = Number(item.expiresAt?.N);
      expect(expiresAt).toBeGreaterThanOrEqual(start + 7 * 86_400);
      expect(expiresAt).toBeLessThanOrEqual(end + 7 * 86_400);
    }
    // Every item in the table, whichever test wrote it, carries the attribute (default 90 days).
    const all = await scanAll(admin, TABLE);
    expect(all.length).toBeGreaterThan(200);
    expect(all.filter((item) => !item.expiresAt?.N)).toEqual([]);
  });
});

describe('without a table', () => {
  it('is the null store: every answer unknown, nothing logged', async () => {
    for (const state of [
      createStateStore({}, { logger }),
      createStateStore({ GDN_STATE_TABLE: ' ' }, { logger }),
      createNullStateStore(),
    ]) {
      expect(state.enabled).toBe(false);
      expect(await state.prepare()).toBeUndefined();
      expect(await state.observe([sighting('x', 1, 5)])).toBeUndefined();
      expect(await state.accepted([{ findingId: 'x', occurrence: 'o', channel: 'c' }])).toBeUndefined();
      expect(await state.recordAccepted([{ findingId: 'x', occurrence: 'o', channel: 'c' }])).toBeUndefined();
    }
    expect(warnings).toEqual([]);
  });
});
