import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observe/logger.js';
import { createMetrics } from '../../src/observe/metrics.js';
import { createRedactor } from '../../src/observe/redact.js';

describe('logger', () => {
  it('writes one JSON object per line, masking registered secrets and webhook shapes', () => {
    const lines: string[] = [];
    const logger = createLogger('INFO', (l) => lines.push(l));
    logger.addSecrets(['R0UT1NGKEY0000000000000000000000']);
    logger.info('x', {
      key: 'R0UT1NGKEY0000000000000000000000',
      url: 'https://hooks.slack.com/services/T1/B2/abc',
      other: 'https://chat.googleapis.com/v1/spaces/X/messages?key=k&token=t',
    });
    logger.debug('hidden');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      level: 'INFO',
      message: 'x',
      key: '[REDACTED]',
      url: 'https://hooks.slack.com/[REDACTED]',
    });
    expect(entry.other).toBe('https://chat.googleapis.com/v1/spaces/X/messages?[REDACTED]');
  });

  it('serialises errors with their stack and cause chain, redacted like every other field', () => {
    const lines: string[] = [];
    const logger = createLogger('INFO', (l) => lines.push(l));
    logger.addSecrets(['https://hooks.example.invalid/T0/B0/s3cr3t']);
    const cause = Object.assign(new Error('socket hang up at https://hooks.example.invalid/T0/B0/s3cr3t'), {
      code: 'ECONNRESET',
      config: { headers: { authorization: 'Bearer not-a-logged-field' } },
    });
    logger.error('boom', { error: new TypeError('bad', { cause }) });
    const error = JSON.parse(lines[0]!).error;
    expect(error).toMatchObject({
      name: 'TypeError',
      message: 'bad',
      stack: expect.stringMatching(/^TypeError: bad\n\s+at /),
      cause: {
        name: 'Error',
        message: 'socket hang up at [REDACTED]',
        code: 'ECONNRESET',
        stack: expect.stringMatching(/^Error: socket hang up at \[REDACTED\]\n\s+at /),
      },
    });
    // Only the known fields: an SDK or HTTP error's other properties can carry request details.
    expect(error.cause).not.toHaveProperty('config');
    expect(lines[0]).not.toContain('s3cr3t');
    expect(lines[0]).not.toContain('not-a-logged-field');
  });
});

describe('redactor', () => {
  it('masks password-like key/value pairs', () => {
    expect(createRedactor().redact('{"pass":"hunter2"}')).toBe('{"pass":"[REDACTED]"}');
  });
});

describe('metrics', () => {
  it('flushes CloudWatch embedded-metric-format lines per channel and severity', () => {
    const lines: string[] = [];
    const metrics = createMetrics(
      'GuardDutyNotify',
      (l) => lines.push(l),
      () => 1234,
    );
    metrics.channel('sec', 'Delivered', 2);
    metrics.channel('sec', 'Suppressed');
    metrics.finding('HIGH', 'Recon');
    expect(metrics.snapshot().sec).toMatchObject({ Delivered: 2, Suppressed: 1, Failed: 0 });
    metrics.flush();
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed[0]).toEqual({
      _aws: {
        Timestamp: 1234,
        CloudWatchMetrics: [
          {
            Namespace: 'GuardDutyNotify',
            Dimensions: [['Channel']],
            Metrics: ['Delivered', 'Failed', 'Retried', 'Suppressed', 'DeadLettered', 'AlreadyAccepted'].map(
              (Name) => ({
                Name,
                Unit: 'Count',
              }),
            ),
          },
        ],
      },
      Channel: 'sec',
      Delivered: 2,
      Failed: 0,
      Retried: 0,
      Suppressed: 1,
      DeadLettered: 0,
      AlreadyAccepted: 0,
    });
    expect(parsed.map((p) => Object.keys(p).find((k) => ['Severity', 'ThreatPurpose', 'Kind'].includes(k)))).toEqual([
      undefined,
      'Severity',
      'ThreatPurpose',
      'Kind',
    ]);
    expect(parsed[3]).toMatchObject({ Kind: 'finding', Signals: 1, Ignored: 0 });
    metrics.flush();
    expect(lines).toHaveLength(4);
  });
});
