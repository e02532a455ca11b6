import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { createGuardDutyFindingsApi, readReportFindings } from '../../src/report/guardduty.js';
import { reportPeriods } from '../../src/report/period.js';
import { isReportEvent } from '../../src/report/event.js';
import { renderReportSlack } from '../../src/report/render/slack.js';
import { prepareReport } from '../../src/report/run.js';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startMoto, type Moto } from '../helpers/moto.js';
import { findingDetail, type Spec } from './fixtures.js';

/*
 * The reader against moto with GuardDuty's findings APIs added at the launcher
 * (harness/moto_guardduty.py): thousands of findings seeded in batches,
 * then read back whole, under throttling (HTTP 429 TooManyRequestsException
 * from the launcher's fault switch), and against a deadline too short to
 * page everything.
 */

const END = new Date('2026-11-30T08:00:00Z');
const { current, previous } = reportPeriods(END, 7);
const CURRENT = 2_400;
const PREVIOUS = 300;
const DAY = 86_400_000;

let moto: Moto;
let detectorId: string;
const seeded: Spec[] = [];

function signed(path: string, body: unknown): Promise<Response> {
  // The launcher's test-only routes; moto routes by the credential scope's service.
  return fetch(`${moto.endpoint}/detector/${detectorId}/gdn-test/${path}`, {
    method: 'POST',
    headers: {
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/guardduty/aws4_request, SignedHeaders=host, Signature=0',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

async function throttle(setting: Record<string, unknown>): Promise<number> {
  const response = await signed('throttle', setting);
  expect(response.ok).toBe(true);
  return ((await response.json()) as { refused: number }).refused;
}

beforeAll(async () => {
  moto = await startMoto({ attempts: 2 });
  Object.assign(process.env, moto.env);
  const { DetectorId } = await new GuardDutyClient({}).send(new CreateDetectorCommand({ Enable: true }));
  detectorId = DetectorId as string;
  const severities = [2, 5, 7.5, 9.2];
  for (let i = 0; i < CURRENT + PREVIOUS; i++) {
    const inCurrent = i < CURRENT;
    const updated = (inCurrent ? current.start.getTime() : previous.start.getTime()) + ((i * 3_600_000) % (7 * DAY));
    seeded.push({
      id: `${inCurrent ? 'c' : 'p'}${String(i).padStart(5, '0')}`,
      severity: severities[i % severities.length],
      account: i % 2 === 0 ? '111122223333' : '444455556666',
      createdAt: new Date(updated - (i % 3) * DAY).toISOString(),
      updatedAt: new Date(updated).toISOString(),
      archived: i % 10 === 0,
    });
  }
  // Open and archived HIGH+ findings GuardDuty has not updated for weeks: outside both periods, still open (or not).
  seeded.push(
    {
      id: 'o-old-critical',
      severity: 9.5,
      createdAt: new Date(END.getTime() - 70 * DAY).toISOString(),
      updatedAt: new Date(END.getTime() - 60 * DAY).toISOString(),
    },
    {
      id: 'o-old-archived',
      severity: 8,
      archived: true,
      createdAt: new Date(END.getTime() - 80 * DAY).toISOString(),
      updatedAt: new Date(END.getTime() - 50 * DAY).toISOString(),
    },
  );
  for (let i = 0; i < seeded.length; i += 500) {
    const response = await signed('findings', { findings: seeded.slice(i, i + 500).map(findingDetail) });
    expect(response.ok).toBe(true);
  }
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

/** The last day of the period: a few hundred findings, so the throttled reads stay short. */
const lastDay = reportPeriods(END, 1);
const lastDayCount = () =>
  seeded.filter(
    (s) => Date.parse(s.updatedAt) >= lastDay.current.start.getTime() && Date.parse(s.updatedAt) < END.getTime(),
  ).length;

function expectedBands(prefix: string) {
  const counts = { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
  for (const s of seeded.filter((x) => x.id.startsWith(prefix))) {
    const score = s.severity as number;
    counts[score >= 9 ? 'CRITICAL' : score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW'] += 1;
  }
  return counts;
}

describe('readReportFindings against moto', () => {
  it('reads every finding of the period (paged, 50 at a time) and both periods’ severity counts', async () => {
    const result = await readReportFindings(createGuardDutyFindingsApi(), {
      period: current,
      previous,
      deadline: Date.now() + 120_000,
      accountNames: { '111122223333': 'prod' },
    });
    expect(result.fetch).toEqual({ complete: true, total: CURRENT, note: null });
    expect(result.findings).toHaveLength(CURRENT);
    expect(new Set(result.findings.map((f) => f.id)).size).toBe(CURRENT);
    expect(result.findings.every((f) => f.id.startsWith('c'))).toBe(true);
    expect(result.previousBySeverity).toEqual(expectedBands('p'));
    // 1 detector + 2 statistics + the open HIGH+ list (with its count) and its GetFindings + 48 list pages + 48 GetFindings
    expect(result.calls).toBe(1 + 2 + 2 + 2 * (CURRENT / 50));
    const openHigh = seeded.filter((s) => !s.archived && (s.severity as number) >= 7);
    expect(result.openHighOrCritical?.total).toBe(openHigh.length);
    const oldestFirst = [...openHigh].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    expect(result.openHighOrCritical?.findings.map((f) => f.id)).toEqual(oldestFirst.slice(0, 5).map((s) => s.id));
    expect(result.openHighOrCritical?.findings[0]?.id).toBe('o-old-critical');
    const report = buildReport({
      period: current,
      previous,
      findings: result.findings,
      previousBySeverity: result.previousBySeverity,
      fetch: result.fetch,
      openHighOrCritical: result.openHighOrCritical,
      states: [],
      signals: [],
      heartbeat: { lastEventProcessedAt: null, queueDepth: 0, dlqDepth: 0 },
      generatedAt: END,
    });
    expect(report.bySeverity).toEqual(expectedBands('c'));
    expect(report.totals.archived).toBe(seeded.filter((s) => s.id.startsWith('c') && s.archived).length);
    expect(report.topAccounts.find((a) => a.key === '111122223333')?.name).toBe('prod');
    expect(report.oldestOpen[0]).toMatchObject({ id: 'o-old-critical', band: 'CRITICAL', ageDays: 70 });
    expect(report.openHighOrCritical).toBe(openHigh.length);
  }, 120_000);

  it('backs off when GuardDuty answers 429 TooManyRequestsException, and still reads everything', async () => {
    const before = await throttle({ every: 3 });
    try {
      const result = await readReportFindings(createGuardDutyFindingsApi({ maxAttempts: 1 }), {
        previous: lastDay.previous,
        period: lastDay.current,
        deadline: Date.now() + 120_000,
      });
      const refused = (await throttle({})) - before;
      expect(refused).toBeGreaterThan(3);
      expect(result.throttled).toBe(refused);
      expect(result.fetch.complete).toBe(true);
      expect(result.findings).toHaveLength(lastDayCount());
    } finally {
      await throttle({});
    }
  }, 120_000);

  it('the SDK’s own retries absorb occasional throttling', async () => {
    const before = await throttle({ every: 7 });
    try {
      const result = await readReportFindings(createGuardDutyFindingsApi({ maxAttempts: 3 }), {
        previous: lastDay.previous,
        period: lastDay.current,
        deadline: Date.now() + 120_000,
      });
      expect((await throttle({})) - before).toBeGreaterThan(1);
      expect(result.throttled).toBe(0);
      expect(result.findings).toHaveLength(lastDayCount());
    } finally {
      await throttle({});
    }
  }, 120_000);

  it('stops paging before the deadline and says the read is partial, never failing', async () => {
    const started = Date.now();
    const result = await readReportFindings(createGuardDutyFindingsApi(), {
      period: current,
      previous,
      deadline: started + 1_500,
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.fetch.complete).toBe(false);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.length).toBeLessThan(CURRENT);
    expect(result.findings.length % 50).toBe(0);
    expect(result.fetch.total).toBe(CURRENT);
    expect(result.fetch.note).toBe(`first ${result.findings.length} of at least ${CURRENT} findings`);
    expect(result.currentBySeverity).toEqual(expectedBands('c'));
  }, 60_000);

  it('a GuardDuty that keeps refusing ends in a partial report with the reason, not an error', async () => {
    await throttle({ every: 1 });
    try {
      const result = await readReportFindings(createGuardDutyFindingsApi({ maxAttempts: 1 }), {
        period: current,
        previous,
        deadline: Date.now() + 2_000,
      });
      expect(result.fetch.complete).toBe(false);
      expect(result.findings).toHaveLength(0);
      expect(result.throttled).toBeGreaterThan(1);
    } finally {
      await throttle({});
    }
  }, 60_000);

  it('an unknown detector is a report that says GuardDuty could not be read', async () => {
    const api = { ...createGuardDutyFindingsApi(), detectorId: async () => '0'.repeat(32) };
    const result = await readReportFindings(api, { period: current, previous, deadline: Date.now() + 10_000 });
    expect(result.fetch.complete).toBe(false);
    expect(result.fetch.note).toMatch(/^first 0 of at least 1 findings; GuardDuty could not be read: /);
  }, 60_000);

  it('prepareReport: a report event gives a full report; a state table that is down is named, not fatal', async () => {
    const event = { guarddutyNotify: 'report', end: END.toISOString() };
    expect(isReportEvent(event)).toBe(true);
    const report = await prepareReport(
      event as { guarddutyNotify: 'report'; end: string },
      {
        guardduty: createGuardDutyFindingsApi(),
        // A table that does not exist: DynamoDB's (moto's) ResourceNotFoundException.
        async stateRecords() {
          await new DynamoDBClient({}).send(
            new GetItemCommand({ TableName: 'gdn-no-such-table', Key: { pk: { S: 'x' }, sk: { S: 'META' } } }),
          );
          return [];
        },
        async signalRecords() {
          return [];
        },
        async heartbeat() {
          return { lastEventProcessedAt: '2026-11-30T07:59:00Z', queueDepth: 0, dlqDepth: 1 };
        },
      },
      { now: new Date(), periodDays: 7, remainingMs: 120_000 },
    );
    expect(report.totals.findings).toBe(CURRENT);
    expect(report.completeness.complete).toBe(true);
    expect(report.notes).toHaveLength(1);
    expect(report.notes[0]).toMatch(/^The state table could not be read \(.*(not found|non-existent|does not exist)/i);
    expect(report.response.acknowledged.count).toBe(0);
    expect(report.heartbeat.dlqDepth).toBe(1);
    expect(JSON.stringify(renderReportSlack(report))).toContain('The state table could not be read');
  }, 120_000);

  it('isReportEvent accepts only the scheduler input, never a GuardDuty event', () => {
    expect(isReportEvent({ guarddutyNotify: 'report', periodDays: 14 })).toBe(true);
    expect(isReportEvent({ guarddutyNotify: 'report', periodDays: 0 })).toBe(false);
    expect(isReportEvent({ guarddutyNotify: 'report', extra: 1 })).toBe(false);
    expect(isReportEvent({ source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding', detail: {} })).toBe(false);
    expect(isReportEvent({ Records: [] })).toBe(false);
  });
});
