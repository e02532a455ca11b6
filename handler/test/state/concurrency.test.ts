import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../helpers/moto.js';
import { createStateStore, type Observation, type Sighting } from '../../src/state/index.js';
import { createStateTable } from '../../../harness/awsState.mjs';

/*
 * Two containers, two real processes, one table: of two updates that raise a
 * finding's severity, exactly one is notified as the escalation.
 */
const TABLE = 'gdn-state-concurrency';
const WORKER = fileURLToPath(new URL('./observerProcess.ts', import.meta.url));
let moto: Moto;
const saved = { ...process.env };
const dir = mkdtempSync(join(tmpdir(), 'gdn-state-'));

beforeAll(async () => {
  moto = await startMoto({ attempts: 2 });
  Object.assign(process.env, moto.env);
  await createStateTable(TABLE, moto.endpoint);
});
afterAll(async () => {
  process.env = saved;
  await moto?.stop();
});

function runObserver(name: string, sightings: Sighting[], startAt: number): Promise<Observation[]> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ endpoint: moto.endpoint, table: TABLE, startAt, sightings }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file], {
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Observation[]) : reject(new Error(`${name} exited ${code}: ${err}`)),
    );
  });
}

/** Deterministic shuffle, so the two processes reach the findings in different orders. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const at = (second: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, second)).toISOString();

describe('two processes, one finding', () => {
  it('notify the escalation exactly once when both handle an update that raises it', { timeout: 120_000 }, async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `race-${i}`);
    // Generous deadlines: the emulator on a shared 2-core machine is far slower than DynamoDB.
    const seeder = createStateStore(
      { GDN_STATE_TABLE: TABLE },
      {
        logger: { warn: (m) => console.warn(m), info: () => undefined },
        dynamo: { operationTimeoutMs: 20_000, requestTimeoutMs: 10_000 },
      },
    );
    expect(
      await seeder.observe(ids.map((findingId) => ({ findingId, score: 5, count: 1, updatedAt: at(1) }))),
    ).toHaveLength(60);

    // GuardDuty published two updates of each finding, both at severity 8; each process got one.
    const a = ids.map((findingId) => ({ findingId, score: 8, count: 2, updatedAt: at(2) }));
    const b = ids.map((findingId) => ({ findingId, score: 8, count: 3, updatedAt: at(3) }));
    const startAt = Date.now() + 4_000;
    const [aOrder, bOrder] = [shuffled(a, 7), shuffled(b, 11)];
    const [fromA, fromB] = await Promise.all([runObserver('a', aOrder, startAt), runObserver('b', bOrder, startAt)]);

    const escalations = new Map<string, number>();
    for (const [order, answers] of [
      [aOrder, fromA],
      [bOrder, fromB],
    ] as const) {
      answers.forEach((answer, i) => {
        expect(answer.isNew).toBe(false);
        // The escalation rose from 5; the other update came after it, at 8 already.
        expect(answer.previousHighest).toBe(answer.isEscalation ? 5 : 8);
        const id = (order[i] as Sighting).findingId;
        if (answer.isEscalation) escalations.set(id, (escalations.get(id) ?? 0) + 1);
      });
    }
    expect(ids.filter((id) => escalations.get(id) !== 1)).toEqual([]);
    // Both processes won some: the race was real, not one process running after the other.
    const wonByA = fromA.filter((o) => o.isEscalation).length;
    expect(wonByA).toBeGreaterThan(0);
    expect(wonByA).toBeLessThan(60);
    for (const id of ids) {
      expect(await seeder.findingRecord(id)).toMatchObject({ highestSeverity: 8, lastCount: 3 });
    }
  });

  it('tell one new finding as new exactly once when both see its first two sightings', {
    timeout: 120_000,
  }, async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `first-${i}`);
    const a = ids.map((findingId) => ({ findingId, score: 4, count: 1, updatedAt: at(10) }));
    const b = ids.map((findingId) => ({ findingId, score: 4, count: 2, updatedAt: at(11) }));
    const startAt = Date.now() + 4_000;
    const [fromA, fromB] = await Promise.all([runObserver('c', a, startAt), runObserver('d', b, startAt)]);
    for (let i = 0; i < ids.length; i++) {
      expect([fromA[i]?.isNew, fromB[i]?.isNew].filter(Boolean)).toHaveLength(1);
    }
  });
});
