import { describe, expect, it } from 'vitest';
import { freshEvent, idOf } from './harness.js';
import { pairOf } from './killAccounting.js';
import { receiptKeysOf } from './receipts.js';

/* Where the SIGKILL scenario looks for a pair's receipt (kill.test.ts reads them with BatchGetItem). */

describe('receipt keys', () => {
  it("puts each channel's receipt under the finding's partition, keyed by occurrence and channel", () => {
    const event = freshEvent('ec2-ssh-bruteforce');
    const detail = event.detail as { id: string; updatedAt: string; service: { count: number } };
    const keys = receiptKeysOf(JSON.stringify(event), ['slack', 'email']);
    expect(keys).toEqual([
      {
        pair: pairOf(idOf(event), 'slack'),
        pk: `FINDING#${detail.id}`,
        sk: `DELIVERY#${detail.updatedAt}#${detail.service.count}#slack`,
      },
      {
        pair: pairOf(idOf(event), 'email'),
        pk: `FINDING#${detail.id}`,
        sk: `DELIVERY#${detail.updatedAt}#${detail.service.count}#email`,
      },
    ]);
  });

  it('gives a redelivered body the same keys, and a later occurrence of the finding new ones', () => {
    const event = freshEvent('ec2-ssh-bruteforce');
    const body = JSON.stringify(event);
    expect(receiptKeysOf(body, ['sns'])).toEqual(receiptKeysOf(body, ['sns']));
    const detail = event.detail as { updatedAt: string; service: { count: number } };
    const later = {
      ...event,
      detail: {
        ...detail,
        updatedAt: '2031-01-01T00:00:00.000Z',
        service: { ...detail.service, count: detail.service.count + 1 },
      },
    };
    expect(receiptKeysOf(JSON.stringify(later), ['sns'])[0]!.sk).not.toBe(receiptKeysOf(body, ['sns'])[0]!.sk);
  });

  it('refuses what the function would not deliver', () => {
    expect(() => receiptKeysOf('{"source":"aws.s3"}', ['slack'])).toThrow(/not an event the function delivers/);
  });
});
