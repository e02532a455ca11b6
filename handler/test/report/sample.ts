import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import { reportPeriods } from '../../src/report/period.js';
import { finding, type Spec } from './fixtures.js';

/*
 * Reports shared by the renderer tests, the CLI test and the screenshot: a
 * busy week with hostile text in every attacker-influenced slot, and an
 * empty week.
 */

export const PERIOD_END = new Date('2026-11-30T08:00:00Z');
export const HOSTILE_TITLE = '<!channel> <script>alert(1)</script> *bold* [click](https://evil.example) @here';
export const HOSTILE_TYPE = 'Recon:EC2/<img src=x onerror=alert(1)>_*x*';

export function busySpecs(): Spec[] {
  const specs: Spec[] = [];
  const types = [
    ['Recon:EC2/PortProbeUnprotectedPort', 2, 14],
    ['UnauthorizedAccess:EC2/SSHBruteForce', 5, 6],
    ['Backdoor:EC2/C&CActivity.B', 8, 3],
    ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 9.5, 2],
    [HOSTILE_TYPE, 7.5, 1],
  ] as const;
  let n = 0;
  for (const [type, severity, count] of types) {
    for (let i = 0; i < count; i++) {
      n += 1;
      specs.push({
        id: `f${String(n).padStart(3, '0')}`,
        type,
        severity,
        account: n % 3 === 0 ? '444455556666' : '111122223333',
        accountName: n % 3 === 0 ? '<b>evil-name</b> *x*' : 'prod-payments',
        createdAt: new Date(PERIOD_END.getTime() - (n % 4 === 0 ? 20 : (n % 7) + 0.5) * 86_400_000).toISOString(),
        updatedAt: new Date(PERIOD_END.getTime() - ((n % 6) + 0.25) * 86_400_000).toISOString(),
        archived: n % 5 === 0,
        count: 1 + (n % 3),
        instanceId: `i-0${(n % 4) + 1}abc`,
        title: type === HOSTILE_TYPE ? HOSTILE_TITLE : undefined,
      });
    }
  }
  return specs;
}

export function busyReport(): Report {
  const { current, previous } = reportPeriods(PERIOD_END, 7);
  return buildReport({
    period: current,
    previous,
    findings: busySpecs().map(finding),
    previousBySeverity: { LOW: 10, MEDIUM: 4, HIGH: 1, CRITICAL: 0 },
    states: [
      { findingId: 'f001', firstSeenAt: '2026-11-24T00:00:00Z', acknowledgedAt: '2026-11-24T00:42:00Z' },
      {
        findingId: 'f002',
        firstSeenAt: '2026-11-25T00:00:00Z',
        acknowledgedAt: '2026-11-25T03:00:00Z',
        archivedAt: '2026-11-27T00:00:00Z',
      },
    ],
    signals: [
      {
        kind: 'tamper',
        at: '2026-11-26T10:00:00Z',
        title: 'DeleteDetector by <@U123> *evil*',
        accountId: '111122223333',
        region: 'us-east-1',
        key: null,
      },
      {
        kind: 'coverageLost',
        at: '2026-11-27T10:00:00Z',
        title: 'EKS cluster <prod> lost runtime coverage',
        accountId: '111122223333',
        region: 'us-east-1',
        key: 'eks:prod',
      },
    ],
    heartbeat: { lastEventProcessedAt: '2026-11-30T07:55:00Z', queueDepth: 0, dlqDepth: 0 },
    generatedAt: PERIOD_END,
  });
}

export function emptyReport(): Report {
  const { current, previous } = reportPeriods(PERIOD_END, 7);
  return buildReport({
    period: current,
    previous,
    findings: [],
    previousBySeverity: { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 },
    states: [],
    signals: [],
    heartbeat: { lastEventProcessedAt: '2026-11-29T22:10:00Z', queueDepth: 0, dlqDepth: 0 },
    generatedAt: PERIOD_END,
  });
}
