import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/state/failOpen.js';
import { deliverySk, expiresAtFrom, findingPk, occurrenceOf } from '../../src/state/keys.js';
import { DEFAULT_TTL_DAYS, ttlDaysFrom } from '../../src/state/store.js';

describe('occurrence identity', () => {
  it('maps the same finding state to the same key and a new occurrence to a new one', () => {
    const redelivered = { updatedAt: '2026-11-29T10:00:00.123Z', count: 12 };
    expect(occurrenceOf(redelivered)).toBe(occurrenceOf({ ...redelivered }));
    expect(occurrenceOf(redelivered)).not.toBe(occurrenceOf({ updatedAt: '2026-11-29T10:05:00.000Z', count: 13 }));
    // Two occurrences sharing a timestamp still differ by count.
    expect(occurrenceOf(redelivered)).not.toBe(occurrenceOf({ ...redelivered, count: 13 }));
    expect(deliverySk(occurrenceOf(redelivered), 'sec-slack')).toBe('DELIVERY#2026-11-29T10:00:00.123Z#12#sec-slack');
    expect(findingPk('abc')).toBe('FINDING#abc');
  });

  it('sorts receipts of one finding by time', () => {
    const keys = ['2026-11-29T10:05:00.000Z', '2026-11-29T09:59:59.999Z', '2026-11-30T00:00:00.000Z'].map(
      (updatedAt, i) => deliverySk(occurrenceOf({ updatedAt, count: i }), 'c'),
    );
    expect([...keys].sort()).toEqual([keys[1], keys[0], keys[2]]);
  });
});

describe('TTL', () => {
  it('expires ttlDays after now, in epoch seconds', () => {
    expect(expiresAtFrom(Date.UTC(2026, 10, 29), 90)).toBe(Date.UTC(2027, 1, 27) / 1000);
  });

  it('reads GDN_STATE_TTL_DAYS, falling back to 90 days for a missing or unreadable value', () => {
    expect(ttlDaysFrom('7')).toBe(7);
    for (const bad of [undefined, '', ' ', '0', '-3', '1.5', 'ninety']) expect(ttlDaysFrom(bad)).toBe(DEFAULT_TTL_DAYS);
  });
});

describe('failure classification', () => {
  const named = (name: string, code?: string) => Object.assign(new Error('x'), { name, ...(code ? { code } : {}) });
  it('tells throttling, timeouts, network failures and the rest apart', () => {
    expect(classify(named('ProvisionedThroughputExceededException'))).toBe('throttled');
    expect(classify(named('ThrottlingException'))).toBe('throttled');
    expect(classify(named('RequestLimitExceeded'))).toBe('throttled');
    expect(classify(named('TimeoutError', 'ETIMEDOUT'))).toBe('timeout');
    expect(classify(named('TimeoutError', 'ECONNRESET'))).toBe('network');
    expect(classify(named('StateIncompleteError'))).toBe('incomplete');
    expect(classify(named('ResourceNotFoundException'))).toBe('error');
    expect(classify('not an error')).toBe('error');
  });
});

describe('cold start', () => {
  it('reaches its DynamoDB client only through a dynamic import, and never the DynamoDB SDK', async () => {
    const entry = fileURLToPath(new URL('../../src/state/index.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      outdir: 'out',
      write: false,
      format: 'esm',
      platform: 'node',
      external: ['@aws-sdk/*', '@smithy/*'],
      logLevel: 'silent',
    });
    const files = result.outputFiles.map((f) => ({ name: f.path.split('/').pop() ?? '', code: f.text }));
    const index = files.find((f) => f.name === 'index.js')?.code ?? '';
    const client = files.find((f) => f.name.startsWith('dynamoHttp-'));
    const backend = files.find((f) => f.name.startsWith('dynamo-'));
    expect(client, 'the client is a chunk of its own').toBeDefined();
    expect(backend, 'the backend is a chunk of its own').toBeDefined();
    // The store loads the backend on its first call; the backend loads the client on its first request.
    expect(index).toContain(`import("./${backend?.name}")`);
    expect(backend?.code).toContain(`import("./${client?.name}")`);
    expect(index).not.toMatch(/from\s*"@(aws-sdk|smithy)\//);
    expect(index).not.toMatch(/^import\s[^;]*"\.\/dynamo(Http)?-/m);
    expect(client?.code).toMatch(/from\s*"@smithy\/signature-v4"/);
    for (const file of files) expect(file.code).not.toContain('@aws-sdk/client-dynamodb');
  });
});
