import { describe, expect, it } from 'vitest';
import { buildReport, type ReportInput } from '../../src/report/build.js';
import type { SignalRecord, StateRecord } from '../../src/report/model.js';
import { reportPeriods } from '../../src/report/period.js';
import { finding, type Spec } from './fixtures.js';

const { current, previous } = reportPeriods(new Date('2026-11-30T08:00:00Z'), 7);
const A = '111122223333';
const B = '444455556666';
const T1 = 'Recon:EC2/PortProbeUnprotectedPort';
const T2 = 'Backdoor:EC2/C&CActivity.B';
const T3 = 'UnauthorizedAccess:EC2/TorClient';

function input(over: Partial<ReportInput>): ReportInput {
  return {
    period: current,
    previous,
    findings: [],
    previousBySeverity: null,
    states: [],
    signals: [],
    heartbeat: { lastEventProcessedAt: null, queueDepth: 0, dlqDepth: 0 },
    generatedAt: new Date('2026-11-30T08:00:05Z'),
    ...over,
  };
}

/* Hand-built: every expected number below was worked out by hand from these specs. */
const HAND: Spec[] = [
  {
    id: 'a',
    type: T1,
    severity: 8,
    account: A,
    accountName: 'prod',
    createdAt: '2026-11-24T08:00:00Z',
    updatedAt: '2026-11-25T00:00:00Z',
    instanceId: 'i-1',
    count: 3,
  },
  {
    id: 'b',
    type: T2,
    severity: 9.5,
    account: B,
    createdAt: '2026-11-10T08:00:00Z',
    updatedAt: '2026-11-26T00:00:00Z',
    instanceId: 'i-2',
  },
  {
    id: 'c',
    type: T1,
    severity: 2,
    account: A,
    accountName: 'prod',
    createdAt: '2026-11-25T00:00:00Z',
    updatedAt: '2026-11-25T00:00:00Z',
    instanceId: 'i-1',
    archived: true,
    count: 5,
  },
  // previous period: ignored
  { id: 'd', createdAt: '2026-11-20T00:00:00Z', updatedAt: '2026-11-21T00:00:00Z', severity: 9 },
  // an older copy of 'a': the later one wins
  {
    id: 'a',
    type: T1,
    severity: 8,
    account: A,
    createdAt: '2026-11-24T08:00:00Z',
    updatedAt: '2026-11-24T09:00:00Z',
    instanceId: 'i-1',
  },
  {
    id: 'f',
    type: T3,
    severity: 7,
    account: A,
    accountName: 'prod',
    createdAt: '2026-11-29T20:00:00Z',
    updatedAt: '2026-11-29T20:00:00Z',
    instanceId: null,
    sample: true,
    count: 2,
  },
  // after the period: ignored
  { id: 'g', createdAt: '2026-11-30T08:30:00Z', updatedAt: '2026-11-30T09:00:00Z' },
];

const STATES: StateRecord[] = [
  {
    findingId: 'a',
    firstSeenAt: '2026-11-24T00:00:00Z',
    acknowledgedAt: '2026-11-24T00:30:00Z',
    archivedAt: '2026-11-25T00:00:00Z',
  },
  { findingId: 'b', firstSeenAt: '2026-11-25T00:00:00Z', acknowledgedAt: '2026-11-25T01:30:00Z' },
  { findingId: 'old', firstSeenAt: '2026-11-19T00:00:00Z', acknowledgedAt: '2026-11-20T00:00:00Z' },
  { findingId: 'c', firstSeenAt: '2026-11-26T00:00:00Z', acknowledgedAt: '2026-11-26T00:10:00Z', archivedAt: null },
];

const sig = (kind: SignalRecord['kind'], at: string, key: string | null, title: string = kind): SignalRecord => ({
  kind,
  at,
  title,
  accountId: A,
  region: 'us-east-1',
  key,
});
const SIGNALS: SignalRecord[] = [
  sig('tamper', '2026-11-24T10:00:00Z', null, 'DeleteDetector'),
  sig('tamper', '2026-11-27T10:00:00Z', null, 'CreateFilter'),
  sig('tamper', '2026-11-01T10:00:00Z', null, 'old'),
  sig('coverageLost', '2026-11-24T00:00:00Z', 'k1', 'k1 lost'),
  sig('coverageRestored', '2026-11-25T00:00:00Z', 'k1', 'k1 restored'),
  sig('coverageLost', '2026-11-26T00:00:00Z', 'k2', 'k2 lost'),
  sig('coverageLost', '2026-11-28T00:00:00Z', 'k1', 'k1 lost again'),
];

describe('buildReport on a hand-counted week', () => {
  const report = buildReport(
    input({ findings: HAND.map(finding), states: STATES, signals: SIGNALS, previousBySeverity: null }),
  );

  it('counts findings updated in the period once each, split new/updated/archived/open', () => {
    expect(report.totals).toEqual({
      findings: 4,
      new: 3,
      updated: 1,
      archived: 1,
      open: 3,
      occurrences: 11,
      samples: 1,
    });
    expect(report.bySeverity).toEqual({ LOW: 1, MEDIUM: 0, HIGH: 2, CRITICAL: 1 });
    expect(report.completeness).toEqual({ complete: true, fetched: 4, total: 4, note: null });
  });

  it('ranks types, accounts and resources by findings, then occurrences', () => {
    expect(report.topTypes.map((t) => [t.key, t.findings, t.occurrences, t.highest])).toEqual([
      [T1, 2, 8, 'HIGH'],
      [T3, 1, 2, 'HIGH'],
      [T2, 1, 1, 'CRITICAL'],
    ]);
    expect(report.topAccounts.map((t) => [t.key, t.name, t.findings])).toEqual([
      [A, 'prod', 3],
      [B, null, 1],
    ]);
    expect(report.topResources.map((t) => [t.key, t.findings])).toEqual([
      ['i-1', 2],
      ['i-2', 1],
    ]);
    expect(report.noisyTypes).toEqual([]);
  });

  it('lists open HIGH and CRITICAL findings oldest first with their age and console link', () => {
    expect(report.oldestOpen.map((f) => [f.id, f.band, f.ageDays])).toEqual([
      ['b', 'CRITICAL', 20],
      ['a', 'HIGH', 6],
      ['f', 'HIGH', 0],
    ]);
    expect(report.openHighOrCritical).toBe(3);
    expect(report.oldestOpen[0]?.consoleUrl).toBe(
      'https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?macros=current&fId=b',
    );
  });

  it('takes the median time to acknowledge and to archive over actions in the period', () => {
    expect(report.response).toEqual({
      acknowledged: { count: 3, medianMinutes: 30 },
      archived: { count: 1, medianMinutes: 1440 },
    });
  });

  it('counts tamper events and coverage changes of the period, and what is still uncovered', () => {
    expect(report.tamper.count).toBe(2);
    expect(report.tamper.recent.map((t) => t.title)).toEqual(['CreateFilter', 'DeleteDetector']);
    expect(report.coverage.lost).toBe(3);
    expect(report.coverage.restored).toBe(1);
    expect(report.coverage.stillLost.map((s) => s.title)).toEqual(['k1 lost again', 'k2 lost']);
  });
});

describe('buildReport edge cases', () => {
  it('states an empty week plainly, with the heartbeat facts', () => {
    const report = buildReport(
      input({ heartbeat: { lastEventProcessedAt: '2026-11-29T23:00:00Z', queueDepth: 0, dlqDepth: 2 } }),
    );
    expect(report.totals.findings).toBe(0);
    expect(report.bySeverity).toEqual({ LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 });
    expect(report.heartbeat).toEqual({ lastEventProcessedAt: '2026-11-29T23:00:00Z', queueDepth: 0, dlqDepth: 2 });
    expect(report.response.acknowledged).toEqual({ count: 0, medianMinutes: null });
  });

  it('says a partial read is partial', () => {
    const findings = HAND.slice(0, 3).map(finding);
    const report = buildReport(input({ findings, fetch: { complete: false, total: 5000 } }));
    expect(report.completeness).toEqual({
      complete: false,
      fetched: 3,
      total: 5000,
      note: 'first 3 of at least 5000 findings',
    });
  });

  it("takes the severity chart from GuardDuty's statistics when the read is partial, and only then", () => {
    const findings = HAND.slice(0, 3).map(finding);
    const stats = { LOW: 100, MEDIUM: 50, HIGH: 20, CRITICAL: 3 };
    const partial = buildReport(
      input({ findings, fetch: { complete: false, total: 173 }, currentBySeverity: stats, previousBySeverity: stats }),
    );
    expect(partial.bySeverity).toEqual(stats);
    expect(partial.totals.findings).toBe(3);
    expect(partial.completeness.note).toBe(
      "first 3 of at least 173 findings; the severity counts are GuardDuty's totals",
    );
    const whole = buildReport(input({ findings, currentBySeverity: stats }));
    expect(whole.bySeverity).toEqual({ LOW: 1, MEDIUM: 0, HIGH: 1, CRITICAL: 1 });
  });

  it('proposes a rule for a noisy LOW/MEDIUM type, never for a type that produced HIGH', () => {
    const specs: Spec[] = [];
    for (let i = 0; i < 6; i++)
      specs.push({
        id: `n${i}`,
        type: T1,
        severity: 2,
        createdAt: '2026-11-24T00:00:00Z',
        updatedAt: '2026-11-24T00:00:00Z',
      });
    for (let i = 0; i < 7; i++)
      specs.push({
        id: `h${i}`,
        type: T2,
        severity: i === 0 ? 8 : 5,
        account: B,
        createdAt: '2026-11-24T00:00:00Z',
        updatedAt: '2026-11-24T00:00:00Z',
      });
    const report = buildReport(input({ findings: specs.map(finding) }));
    expect(report.noisyTypes).toHaveLength(1);
    expect(report.noisyTypes[0]).toMatchObject({
      type: T1,
      findings: 6,
      share: 6 / 13,
      criteria: [
        { field: 'type', equals: [T1] },
        { field: 'accountId', equals: [A] },
      ],
    });
    expect(report.noisyTypes[0]?.cli).toContain(`"type":{"Eq":["${T1}"]}`);
  });
});

describe('buildReport against a naive recount of random weeks', () => {
  // A small deterministic PRNG, so a failure reproduces.
  function prng(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
  }

  for (const seed of [1, 7, 42]) {
    it(`seed ${seed}: every count equals a loop over the raw specs`, () => {
      const rand = prng(seed);
      const types = [T1, T2, T3, 'Trojan:EC2/DNSDataExfiltration'];
      const accounts = [A, B, '777788889999'];
      const startMs = previous.start.getTime();
      const span = current.end.getTime() + 86_400_000 - startMs;
      const specs: Spec[] = [];
      for (let i = 0; i < 400; i++) {
        const created = startMs - 20 * 86_400_000 + Math.floor(rand() * (span + 20 * 86_400_000));
        const updated = Math.max(created, startMs + Math.floor(rand() * span));
        specs.push({
          id: `r${i}`,
          type: types[Math.floor(rand() * types.length)],
          severity: Math.round((1 + rand() * 9) * 10) / 10,
          account: accounts[Math.floor(rand() * accounts.length)],
          createdAt: new Date(created).toISOString(),
          updatedAt: new Date(updated).toISOString(),
          archived: rand() < 0.3,
          count: 1 + Math.floor(rand() * 4),
          instanceId: `i-${Math.floor(rand() * 10)}`,
        });
      }
      const report = buildReport(input({ findings: specs.map(finding) }));

      const s = current.start.getTime();
      const e = current.end.getTime();
      const inPeriod = specs.filter((x) => Date.parse(x.updatedAt) >= s && Date.parse(x.updatedAt) < e);
      const band = (score: number) => (score < 4 ? 'LOW' : score < 7 ? 'MEDIUM' : score < 9 ? 'HIGH' : 'CRITICAL');
      const bySeverity: Record<string, number> = { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
      let created = 0;
      let archived = 0;
      let occurrences = 0;
      let openHigh = 0;
      const perType: Record<string, number> = {};
      const perAccount: Record<string, number> = {};
      const perInstance: Record<string, number> = {};
      for (const x of inPeriod) {
        bySeverity[band(x.severity as number)] = (bySeverity[band(x.severity as number)] ?? 0) + 1;
        if (Date.parse(x.createdAt) >= s) created++;
        if (x.archived) archived++;
        else if ((x.severity as number) >= 7) openHigh++;
        occurrences += x.count as number;
        perType[x.type as string] = (perType[x.type as string] ?? 0) + 1;
        perAccount[x.account as string] = (perAccount[x.account as string] ?? 0) + 1;
        perInstance[x.instanceId as string] = (perInstance[x.instanceId as string] ?? 0) + 1;
      }
      expect(report.totals.findings).toBe(inPeriod.length);
      expect(report.totals.new).toBe(created);
      expect(report.totals.updated).toBe(inPeriod.length - created);
      expect(report.totals.archived).toBe(archived);
      expect(report.totals.open).toBe(inPeriod.length - archived);
      expect(report.totals.occurrences).toBe(occurrences);
      expect(report.bySeverity).toEqual(bySeverity);
      expect(report.openHighOrCritical).toBe(openHigh);
      for (const t of report.topTypes) expect(t.findings).toBe(perType[t.key]);
      for (const t of report.topAccounts) expect(t.findings).toBe(perAccount[t.key]);
      for (const t of report.topResources) expect(t.findings).toBe(perInstance[t.key]);
      expect(report.topTypes[0]?.findings).toBe(Math.max(...Object.values(perType)));
      expect(report.topResources[0]?.findings).toBe(Math.max(...Object.values(perInstance)));
      for (const o of report.oldestOpen) {
        const spec = specs.find((x) => x.id === o.id);
        expect(spec?.archived).toBe(false);
        expect(spec?.severity).toBeGreaterThanOrEqual(7);
      }
    });
  }
});
