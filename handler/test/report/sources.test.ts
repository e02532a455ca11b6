import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readSignalRecords,
  readStateRecords,
  STATE_READ_BATCH,
  STATE_READ_CONCURRENCY,
} from '../../src/report/sources.js';
import { createNullStateStore, createStateStore, type StateStore } from '../../src/state/store.js';
import type { SignalEntry } from '../../src/state/types.js';
import { type Moto, startMoto } from '../helpers/moto.js';
import { createStateTable } from '../../../harness/awsState.mjs';

/*
 * The report's state-table sources against moto's DynamoDB: finding records
 * read in bounded parallel (and what that costs), a deadline that ends the
 * read with how far it got, and the SIGNAL#<day> items kept by the batch read
 * back for a period that starts and ends mid-day.
 */

const FINDINGS = 600;
let moto: Moto;
let state: StateStore;
const saved = { ...process.env };
const ids = Array.from({ length: FINDINGS }, (_, i) => `src${String(i).padStart(4, '0')}`);

beforeAll(async () => {
  moto = await startMoto({ attempts: 2 });
  Object.assign(process.env, moto.env);
  await createStateTable('gdn-report-sources', moto.endpoint);
  const quiet = { logger: { warn: console.warn, info() {} } };
  // The reader as the function builds it, with moto's slower answers on a shared machine allowed
  // for; the seeder with room for hundreds of writes per call.
  state = createStateStore(
    { GDN_STATE_TABLE: 'gdn-report-sources' },
    { ...quiet, dynamo: { requestTimeoutMs: 5_000, operationTimeoutMs: 10_000 } },
  );
  const seeder = createStateStore(
    { GDN_STATE_TABLE: 'gdn-report-sources' },
    { ...quiet, dynamo: { requestTimeoutMs: 30_000, operationTimeoutMs: 60_000, maxAttempts: 5 } },
  );
  // Every other finding was seen by the pipeline; a third of those acknowledged, a fifth archived.
  const seen = ids.filter((_, i) => i % 2 === 0);
  for (let i = 0; i < seen.length; i += 100)
    expect(
      await seeder.observe(
        seen
          .slice(i, i + 100)
          .map((findingId) => ({ findingId, score: 5, count: 1, updatedAt: '2026-11-28T10:00:00Z' })),
      ),
    ).toBeDefined();
  for (const [i, id] of seen.entries()) {
    if (i % 3 === 0)
      expect(await seeder.setLifecycle(id, { action: 'acknowledged', by: 'U1', at: '2026-11-28T11:00:00Z' })).toBe(
        true,
      );
    if (i % 5 === 0)
      expect(await seeder.setLifecycle(id, { action: 'archived', by: 'arn:x', at: '2026-11-28T12:00:00Z' })).toBe(true);
  }
}, 120_000);

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
});

describe('readStateRecords', () => {
  it(`reads the records of ${FINDINGS} findings, ${STATE_READ_BATCH} a BatchGetItem, and counts only those the pipeline saw`, async () => {
    const started = performance.now();
    const records = await readStateRecords(state, ids, Date.now() + 60_000);
    const ms = performance.now() - started;
    const seen = ids.filter((_, i) => i % 2 === 0);
    expect(records).toHaveLength(seen.length);
    expect(records.filter((r) => r.acknowledgedAt).length).toBe(seen.filter((_, i) => i % 3 === 0).length);
    expect(records.filter((r) => r.archivedAt).length).toBe(seen.filter((_, i) => i % 5 === 0).length);
    // The figure the README quotes (moto on this machine).
    console.info(
      `readStateRecords: ${FINDINGS} records in ${Math.round(ms)} ms (BatchGetItem of ${STATE_READ_BATCH}, ${STATE_READ_CONCURRENCY} in parallel)`,
    );
  }, 60_000);

  it('stops at its deadline and says how far it got, so the report notes it instead of timing out', async () => {
    await expect(readStateRecords(state, ids, Date.now() + 30)).rejects.toThrow(
      new RegExp(`stopped at the deadline after \\d+ of ${FINDINGS} findings`),
    );
  });

  it('refuses without a table: the report says the state table could not be read', async () => {
    await expect(readStateRecords(createNullStateStore(), ids, Date.now() + 1_000)).rejects.toThrow(
      /no state table is configured/,
    );
  });
});

describe('signal records', () => {
  it('keeps each tamper and coverage event once and reads back those of a period across days', async () => {
    const entry = (at: string, kind: SignalEntry['kind'], key: string | null = null): SignalEntry => ({
      kind,
      at,
      title: `${kind} at ${at}`,
      accountId: '111122223333',
      region: 'us-east-1',
      key,
    });
    const entries = [
      entry('2026-11-20T07:59:59Z', 'tamper'), // before the period
      entry('2026-11-20T08:00:00.000Z', 'tamper'), // its first instant
      entry('2026-11-23T13:00:00Z', 'coverageLost', 'i-1'),
      entry('2026-11-24T09:00:00Z', 'coverageRestored', 'i-1'),
      entry('2026-11-27T07:59:59.999Z', 'tamper'), // its last millisecond
      entry('2026-11-27T08:00:00Z', 'tamper'), // the end is exclusive
    ];
    await state.recordSignals(entries);
    await state.recordSignals(entries.slice(1, 3)); // a redelivery rewrites its own items
    const read = await readSignalRecords(state, {
      start: new Date('2026-11-20T08:00:00Z'),
      end: new Date('2026-11-27T08:00:00Z'),
      days: 7,
    });
    expect(read.map((r) => r.at).sort()).toEqual(entries.slice(1, 5).map((e) => e.at));
    expect(read.find((r) => r.kind === 'coverageLost')?.key).toBe('i-1');
    expect(read.find((r) => r.kind === 'tamper')?.key).toBeNull();
  });
});
