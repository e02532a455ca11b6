import { describe, expect, it } from 'vitest';
import {
  SNS_LIMITS,
  SnsPayloadSchema,
  publishBatches,
  snsChannel,
  snsPayloadBytes,
  snsSubject,
} from '../../src/channels/sns.js';
import type { SendContext } from '../../src/channels/types.js';
import { SnsChannelSchema } from '../../src/channels/sns.js';
import { DeliveryError } from '../../src/deliver/errors.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { buildDigest } from '../../src/route/digest.js';
import { deliveryError, sendContext } from '../helpers/channel.js';
import { fixtureNames, normalisedFixture } from '../helpers/fixtures.js';
import { expectGolden } from '../helpers/golden.js';

const channel = SnsChannelSchema.parse({
  name: 'audit',
  type: 'sns',
  topicArn: 'arn:aws:sns:us-east-1:111122223333:guardduty-findings',
});
const ATTRIBUTE_NAMES = [
  'accountId',
  'findingType',
  'isSample',
  'isUpdate',
  'region',
  'resourceType',
  'severity',
  'severityScore',
  'threatPurpose',
];

function hugeFinding(): NormalisedFinding {
  const base = normalisedFixture('iam-api-tor');
  // 4-byte characters: 200 fields × 2,000 UTF-16 units ≈ 400 KB of UTF-8 per section.
  const field = (i: number) => ({ label: `Field ${i}`, value: '🔥'.repeat(1000) });
  return {
    ...base,
    title: 'Ünusual 🔥 title\r\n'.repeat(100),
    description: '💀'.repeat(50_000),
    resource: { ...base.resource, fields: Array.from({ length: 200 }, (_, i) => field(i)) },
    action: { ...base.action, fields: Array.from({ length: 200 }, (_, i) => field(i)) },
  };
}

describe.each(fixtureNames())('render %s', (name) => {
  it('matches its golden file and SNS’s subject, size and attribute rules', () => {
    const finding = normalisedFixture(name);
    const payload = snsChannel.render(finding, channel);
    SnsPayloadSchema.parse(payload);
    expectGolden(`sns/${name}.json`, payload);
    expect(Object.keys(payload.attributes).sort()).toEqual(ATTRIBUTE_NAMES);
    expect(payload.attributes.severity).toBe(finding.severity.band);
    expect(payload.attributes.findingType).toBe(finding.type.full);
  });
});

describe('sns render', () => {
  it('sets the filter-policy attributes as strings', () => {
    expect(snsChannel.render(normalisedFixture('ec2-port-probe'), channel).attributes).toEqual({
      severity: 'MEDIUM',
      severityScore: '5.0',
      findingType: 'Recon:EC2/PortProbeUnprotectedPort',
      threatPurpose: 'Recon',
      accountId: '444455556666',
      region: 'eu-west-1',
      resourceType: 'Instance',
      isSample: 'false',
      isUpdate: 'false',
    });
    expect(snsChannel.render(normalisedFixture('sample-finding'), channel).attributes.isSample).toBe('true');
    expect(snsChannel.render(normalisedFixture('update-finding'), channel).attributes.isUpdate).toBe('true');
  });

  it('makes an ASCII one-line subject under 100 characters starting with a letter', () => {
    const payload = snsChannel.render(normalisedFixture('hostile'), channel);
    expect(payload.subject).toMatch(/^[A-Za-z][\x20-\x7E]*$/);
    expect(payload.subject.length).toBeLessThanOrEqual(SNS_LIMITS.subject);
    expect(payload.subject.startsWith('GuardDuty HIGH 8.0: API <!channel> was invoked')).toBe(true);
    // Shortened in the title, never in the account (issue 15, item 3).
    expect(payload.subject).toMatch(/\.\.\. \(\d{12}\)$|\.\.\. \([ -~]+\)$/);
  });

  it('keeps the account when a long title makes the subject too long', () => {
    const finding = normalisedFixture('ec2-ssh-bruteforce');
    for (const name of [null, 'prod-payments']) {
      const subject = snsChannel.render(
        { ...finding, title: 'x'.repeat(500), account: { ...finding.account, name } },
        channel,
      ).subject;
      expect(subject.length).toBeLessThanOrEqual(SNS_LIMITS.subject);
      expect(subject.endsWith(`... (${name ?? finding.account.id})`)).toBe(true);
      expect(subject.startsWith(`GuardDuty ${finding.severity.band} ${finding.severity.score.toFixed(1)}: xxx`)).toBe(
        true,
      );
    }
  });

  it('transliterates accents, replaces other non-ASCII and drops line breaks', () => {
    expect(snsSubject('Ünusual café\r\nBcc: x 🔥 ✓')).toBe('Unusual cafe Bcc: x ? ?');
    expect(snsSubject(' \t🔥 -> starts oddly')).toBe('-> starts oddly');
    expect(snsSubject('🔥🔥')).toBe('GuardDuty finding');
    expect(snsSubject('x'.repeat(500))).toHaveLength(SNS_LIMITS.subject);
  });

  it('uses the email text body as the message', () => {
    const message = snsChannel.render(normalisedFixture('ec2-ssh-bruteforce'), channel).message;
    expect(message).toMatch(/^LOW 2\.0\n198\.51\.100\.23 is performing SSH brute force attacks/);
    expect(message).toContain('Open in the GuardDuty console: https://us-east-1.console.aws.amazon.com/');
  });

  it('keeps a huge finding within 256 KB including the attributes', () => {
    const payload = snsChannel.render(hugeFinding(), channel);
    SnsPayloadSchema.parse(payload);
    expect(snsPayloadBytes(payload)).toBeLessThanOrEqual(SNS_LIMITS.messageBytes);
    expect(payload.subject).toMatch(/^GuardDuty MEDIUM 5\.0: Unusual \? title Unusual/);
    expect(payload.message).toMatch(/… \d+ more in the console/);
  });
});

describe('sns digest', () => {
  const all = fixtureNames().map(normalisedFixture);

  it('matches its golden file over every fixture', () => {
    const payload = snsChannel.renderDigest(buildDigest(all), channel);
    SnsPayloadSchema.parse(payload);
    expectGolden('sns/digest.json', payload);
    expect(payload.attributes).toMatchObject({
      severity: 'CRITICAL',
      findingType: 'Digest',
      accountId: 'multiple',
      region: 'multiple',
      findingCount: String(all.length),
    });
    expect(Object.keys(payload.attributes)).toHaveLength(SNS_LIMITS.attributes);
  });

  it('names the single account and region when the digest has one of each', () => {
    const findings = all.filter((f) => f.account.id === '111122223333' && f.region === 'eu-west-1');
    expect(findings.length).toBeGreaterThan(1);
    expect(snsChannel.renderDigest(buildDigest(findings), channel).attributes).toMatchObject({
      accountId: '111122223333',
      region: 'eu-west-1',
    });
  });

  it('renders empty and huge digests within the limits', () => {
    SnsPayloadSchema.parse(snsChannel.renderDigest(buildDigest([]), channel));
    SnsPayloadSchema.parse(snsChannel.renderDigest(buildDigest(Array.from({ length: 20 }, hugeFinding)), channel));
  });
});

describe('sns render for a FIFO topic', () => {
  const fifo = SnsChannelSchema.parse({
    name: 'audit-fifo',
    type: 'sns',
    topicArn: 'arn:aws:sns:us-east-1:111122223333:guardduty-findings.fifo',
  });
  const all = fixtureNames().map(normalisedFixture);

  it('groups a finding by its account and deduplicates it per finding version', () => {
    const original = normalisedFixture('ec2-ssh-bruteforce');
    const payload = snsChannel.render(original, fifo);
    SnsPayloadSchema.parse(payload);
    expect(payload.messageGroupId).toBe(original.account.id);
    expect(payload.deduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(snsChannel.render(original, fifo)).toEqual(payload);
    const { messageGroupId, deduplicationId, ...rest } = payload;
    expect(rest).toEqual(snsChannel.render(original, channel));
    // An update keeps the finding id but not the deduplication id, so SNS does not drop it.
    const update = normalisedFixture('update-finding');
    expect(update.id).toBe(original.id);
    expect(snsChannel.render(update, fifo).deduplicationId).not.toBe(deduplicationId);
    expect(snsChannel.render({ ...original, updatedAt: '2099-01-01T00:00:00.000Z' }, fifo).deduplicationId).not.toBe(
      deduplicationId,
    );
    expect(snsChannel.render({ ...original, id: 'f'.repeat(32) }, fifo).deduplicationId).not.toBe(deduplicationId);
    expect(messageGroupId).toBe(snsChannel.render({ ...original, id: 'f'.repeat(32) }, fifo).messageGroupId);
  });

  it('keeps every fixture within the FIFO id rules', () => {
    for (const finding of all) {
      const payload = snsChannel.render(finding, fifo);
      SnsPayloadSchema.parse(payload);
      expect(payload.messageGroupId).toMatch(/^\d{12}$/);
      expect(payload.deduplicationId?.length).toBeLessThanOrEqual(128);
    }
  });

  it('groups a digest by its single account, else as multiple, and deduplicates it by every finding it covers', () => {
    const single = all.filter((f) => f.account.id === '111122223333');
    expect(snsChannel.renderDigest(buildDigest(single), fifo).messageGroupId).toBe('111122223333');
    const digest = buildDigest(all);
    const payload = snsChannel.renderDigest(digest, fifo);
    SnsPayloadSchema.parse(payload);
    expect(payload.messageGroupId).toBe('multiple');
    expect(payload.deduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(snsChannel.renderDigest(buildDigest([...all].reverse()), fifo).deduplicationId).toBe(
      payload.deduplicationId,
    );
    const shown = new Set(digest.top.map((f) => f.id));
    const hidden = all.findIndex((f) => !shown.has(f.id));
    const swapped = all.map((f, i) => (i === hidden ? { ...f, id: 'f'.repeat(32) } : f));
    expect(snsChannel.renderDigest(buildDigest(swapped), fifo).deduplicationId).not.toBe(payload.deduplicationId);
  });

  it('leaves both ids out for a standard topic', () => {
    const payload = snsChannel.render(normalisedFixture('minimal'), channel);
    expect(payload).not.toHaveProperty('messageGroupId');
    expect(payload).not.toHaveProperty('deduplicationId');
    expect(snsChannel.renderDigest(buildDigest(all), channel)).not.toHaveProperty('messageGroupId');
  });
});

describe('sns send', () => {
  const recordingContext = (snsPublish: SendContext['snsPublish']): SendContext => ({ ...sendContext(), snsPublish });
  const payload = snsChannel.render(normalisedFixture('rds-brute-force'), channel);

  it('publishes subject, message and attributes to the channel topic', async () => {
    const calls: Array<Parameters<SendContext['snsPublish']>[0]> = [];
    const result = await snsChannel.send(
      payload,
      channel,
      recordingContext(async (input) => {
        calls.push(input);
        return 'message-id-1';
      }),
    );
    expect(result).toEqual({ attempts: 1 });
    expect(calls).toEqual([
      {
        topicArn: channel.topicArn,
        subject: payload.subject,
        message: payload.message,
        attributes: payload.attributes,
      },
    ]);
  });

  it('publishes the FIFO group and deduplication ids with the message', async () => {
    const fifo = SnsChannelSchema.parse({
      name: 'audit-fifo',
      type: 'sns',
      topicArn: 'arn:aws:sns:us-east-1:111122223333:guardduty-findings.fifo',
    });
    const fifoPayload = snsChannel.render(normalisedFixture('rds-brute-force'), fifo);
    const calls: Array<Parameters<SendContext['snsPublish']>[0]> = [];
    await snsChannel.send(
      fifoPayload,
      fifo,
      recordingContext(async (input) => {
        calls.push(input);
        return 'message-id-2';
      }),
    );
    expect(calls).toEqual([{ topicArn: fifo.topicArn, ...fifoPayload }]);
    expect(calls[0]).toMatchObject({ messageGroupId: expect.any(String), deduplicationId: expect.any(String) });
  });

  it("names the channel in the seam's DeliveryErrors, keeping their kind, and wraps anything else as retryable", async () => {
    const notFound = new DeliveryError('NotFound: Topic does not exist', 'config', { code: 'NotFound' });
    expect(
      await deliveryError(
        snsChannel.send(
          payload,
          channel,
          recordingContext(() => Promise.reject(notFound)),
        ),
      ),
    ).toMatchObject({
      kind: 'config',
      code: 'NotFound',
      channel: { name: 'audit', type: 'sns' },
      message: 'sns "audit": NotFound: Topic does not exist',
    });
    const error = await deliveryError(
      snsChannel.send(
        payload,
        channel,
        recordingContext(() => Promise.reject(new TypeError('boom'))),
      ),
    );
    expect(error).toMatchObject({ kind: 'retryable', message: 'sns "audit": TypeError: boom' });
  });
});

describe('sns sendBatch', () => {
  const payloads = ['rds-brute-force', 'minimal', 'sample-finding', 'hostile'].map((f) =>
    snsChannel.render(normalisedFixture(f), channel),
  );
  const batchContext = (snsPublishBatch: SendContext['snsPublishBatch']): SendContext => ({
    ...sendContext(),
    snsPublishBatch,
  });

  it('splits at 10 messages and at 256 KB of messages and attributes together', () => {
    const small = { message: 'm', attributes: { severity: 'HIGH' } };
    expect(publishBatches(Array.from({ length: 25 }, () => small)).map((b) => b.length)).toEqual([10, 10, 5]);
    const big = { message: 'x'.repeat(100_000), attributes: {} };
    // 100 KB + 100 KB fit; a third would pass 262,144 bytes.
    expect(publishBatches([big, big, big, small]).map((b) => b.length)).toEqual([2, 2]);
    const edge = { message: 'x'.repeat(SNS_LIMITS.messageBytes - snsPayloadBytes(small)), attributes: {} };
    expect(publishBatches([edge, small, small]).map((b) => b.length)).toEqual([2, 1]);
    expect(publishBatches([])).toEqual([]);
  });

  it('publishes each payload unchanged to the channel topic and reports one outcome each, in order', async () => {
    const calls: Array<Parameters<SendContext['snsPublishBatch']>[0]> = [];
    const refused = new DeliveryError('InvalidParameter: bad subject', 'permanent', { code: 'InvalidParameter' });
    const outcomes = await snsChannel.sendBatch!(
      payloads,
      channel,
      batchContext(async (input) => {
        calls.push(input);
        return input.messages.map((_, i) => (i === 2 ? refused : `id-${i}`));
      }),
    );
    expect(calls).toEqual([{ topicArn: channel.topicArn, messages: payloads }]);
    expect(outcomes).toEqual([
      { attempts: 1 },
      { attempts: 1 },
      expect.objectContaining({ kind: 'permanent', message: 'sns "audit": InvalidParameter: bad subject' }),
      { attempts: 1 },
    ]);
  });

  it("rejects when its first call fails, and keeps earlier calls' outcomes when a later one does", async () => {
    const many = Array.from({ length: 12 }, () => payloads[0]!);
    const throttled = new DeliveryError('Throttled: rate exceeded', 'retryable', { code: 'Throttled' });
    await expect(
      snsChannel.sendBatch!(
        many,
        channel,
        batchContext(() => Promise.reject(throttled)),
      ),
    ).rejects.toMatchObject({ kind: 'retryable', message: 'sns "audit": Throttled: rate exceeded' });
    let call = 0;
    const outcomes = await snsChannel.sendBatch!(
      many,
      channel,
      batchContext(async ({ messages }) =>
        call++ === 0 ? messages.map(() => 'ok') : Promise.reject(new TypeError('socket hang up')),
      ),
    );
    expect(outcomes.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => ({ attempts: 1 })));
    expect(outcomes.slice(10)).toEqual([
      expect.objectContaining({ kind: 'retryable', message: 'sns "audit": TypeError: socket hang up' }),
      expect.objectContaining({ kind: 'retryable' }),
    ]);
  });
});
