import { describe, expect, it } from 'vitest';
import {
  SNS_LIMITS,
  SnsBodiesSchema,
  SnsPayloadSchema,
  type SnsPayload,
  smsText,
  typedAttributes,
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
import { FIXTURES_DIR, fixtureNames, normalisedFixture } from '../helpers/fixtures.js';
import { main } from '../../src/cli/main.js';
import { join } from 'node:path';
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
    expect(Object.keys(payload.MessageAttributes).sort()).toEqual(ATTRIBUTE_NAMES);
    expect(payload.MessageAttributes.severity).toEqual({ DataType: 'String', StringValue: finding.severity.band });
    expect(payload.MessageAttributes.findingType?.StringValue).toBe(finding.type.full);
    expect(payload.MessageAttributes.severityScore).toEqual({
      DataType: 'Number',
      StringValue: finding.severity.score.toFixed(1),
    });
    const bodies = SnsBodiesSchema.parse(JSON.parse(payload.Message));
    expect(bodies.email).toBe(bodies.default);
    expect(bodies.sms.length).toBeLessThanOrEqual(140);
  });
});

describe('sns render', () => {
  it('sets the filter-policy attributes, the score as a Number and the rest as Strings', () => {
    const string = (StringValue: string) => ({ DataType: 'String', StringValue });
    expect(snsChannel.render(normalisedFixture('ec2-port-probe'), channel).MessageAttributes).toEqual({
      severity: string('MEDIUM'),
      severityScore: { DataType: 'Number', StringValue: '5.0' },
      findingType: string('Recon:EC2/PortProbeUnprotectedPort'),
      threatPurpose: string('Recon'),
      accountId: string('444455556666'),
      region: string('eu-west-1'),
      resourceType: string('Instance'),
      isSample: string('false'),
      isUpdate: string('false'),
    });
    expect(snsChannel.render(normalisedFixture('sample-finding'), channel).MessageAttributes.isSample).toEqual(
      string('true'),
    );
    expect(snsChannel.render(normalisedFixture('update-finding'), channel).MessageAttributes.isUpdate).toEqual(
      string('true'),
    );
  });

  it('sends a JSON message: the full text for default and email, one short line for SMS', () => {
    const finding = normalisedFixture('ec2-ssh-bruteforce');
    const payload = snsChannel.render(finding, channel);
    expect(payload.MessageStructure).toBe('json');
    const bodies = SnsBodiesSchema.parse(JSON.parse(payload.Message));
    expect(bodies.default).toMatch(/^LOW 2\.0\n198\.51\.100\.23 is performing SSH brute force attacks/);
    expect(bodies.email).toBe(bodies.default);
    expect(bodies.sms).toBe(smsText(finding));
    expect(bodies.sms).toMatch(
      /^GuardDuty LOW 2\.0 UnauthorizedAccess:EC2\/SSHBruteForce \| prod-payments \(111122223333\) \| /,
    );
    expect(bodies.sms).toContain(finding.account.id);
    expect(bodies.sms).toContain(finding.resource.id);
  });

  it('keeps every SMS body to 140 printable ASCII characters, cutting long ones with an ellipsis', () => {
    for (const name of fixtureNames()) {
      const sms = smsText(normalisedFixture(name));
      expect(sms, name).toMatch(/^GuardDuty [A-Z]+ \d+\.\d [\x20-\x7E]+$/);
      expect(sms.length, name).toBeLessThanOrEqual(SNS_LIMITS.sms);
    }
    const base = normalisedFixture('ec2-ssh-bruteforce');
    const long = smsText({ ...base, account: { id: base.account.id, name: 'payments-'.repeat(20) } });
    expect(long).toHaveLength(SNS_LIMITS.sms);
    expect(long.endsWith('...')).toBe(true);
    expect(long.startsWith('GuardDuty LOW 2.0 UnauthorizedAccess:EC2/SSHBruteForce | payments-')).toBe(true);
    expect(
      smsText({ ...normalisedFixture('hostile'), type: { ...normalisedFixture('hostile').type, full: 'A\r\nB 🔥' } }),
    ).not.toMatch(/[\r\n]/);
  });

  it('makes an ASCII one-line subject under 100 characters starting with a letter', () => {
    const payload = snsChannel.render(normalisedFixture('hostile'), channel);
    expect(payload.Subject).toMatch(/^[A-Za-z][\x20-\x7E]*$/);
    expect(payload.Subject.length).toBeLessThanOrEqual(SNS_LIMITS.subject);
    expect(payload.Subject.startsWith('GuardDuty HIGH 8.0: API <!channel> was invoked')).toBe(true);
    // Shortened in the title, never in the account (issue 15, item 3).
    expect(payload.Subject).toMatch(/\.\.\. \(\d{12}\)$|\.\.\. \([ -~]+\)$/);
  });

  it('keeps the account when a long title makes the subject too long', () => {
    const finding = normalisedFixture('ec2-ssh-bruteforce');
    for (const name of [null, 'prod-payments']) {
      const subject = snsChannel.render(
        { ...finding, title: 'x'.repeat(500), account: { ...finding.account, name } },
        channel,
      ).Subject;
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
    const message = JSON.parse(snsChannel.render(normalisedFixture('ec2-ssh-bruteforce'), channel).Message).default;
    expect(message).toMatch(/^LOW 2\.0\n198\.51\.100\.23 is performing SSH brute force attacks/);
    expect(message).toContain('Open in the GuardDuty console: https://us-east-1.console.aws.amazon.com/');
  });

  it('keeps a huge finding within 256 KB including the attributes', () => {
    const payload = snsChannel.render(hugeFinding(), channel);
    SnsPayloadSchema.parse(payload);
    expect(snsPayloadBytes(payload)).toBeLessThanOrEqual(SNS_LIMITS.messageBytes);
    expect(payload.Subject).toMatch(/^GuardDuty MEDIUM 5\.0: Unusual \? title Unusual/);
    expect(JSON.parse(payload.Message).default).toMatch(/… \d+ more in the console/);
  });
});

describe('sns digest', () => {
  const all = fixtureNames().map(normalisedFixture);

  it('matches its golden file over every fixture', () => {
    const payload = snsChannel.renderDigest(buildDigest(all), channel);
    SnsPayloadSchema.parse(payload);
    expectGolden('sns/digest.json', payload);
    expect(payload.MessageAttributes).toMatchObject({
      severity: { DataType: 'String', StringValue: 'CRITICAL' },
      severityScore: { DataType: 'Number' },
      findingType: { DataType: 'String', StringValue: 'Digest' },
      accountId: { StringValue: 'multiple' },
      region: { StringValue: 'multiple' },
      findingCount: { DataType: 'Number', StringValue: String(all.length) },
    });
    expect(Object.keys(payload.MessageAttributes)).toHaveLength(SNS_LIMITS.attributes);
    expect(JSON.parse(payload.Message).sms).toMatch(new RegExp(`^GuardDuty digest: ${all.length} findings \\(`));
  });

  it('names the single account and region when the digest has one of each', () => {
    const findings = all.filter((f) => f.account.id === '111122223333' && f.region === 'eu-west-1');
    expect(findings.length).toBeGreaterThan(1);
    expect(snsChannel.renderDigest(buildDigest(findings), channel).MessageAttributes).toMatchObject({
      accountId: { StringValue: '111122223333' },
      region: { StringValue: 'eu-west-1' },
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
    expect(payload.MessageGroupId).toBe(original.account.id);
    expect(payload.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(snsChannel.render(original, fifo)).toEqual(payload);
    const { MessageGroupId, MessageDeduplicationId, ...rest } = payload;
    expect(rest).toEqual(snsChannel.render(original, channel));
    // An update keeps the finding id but not the deduplication id, so SNS does not drop it.
    const update = normalisedFixture('update-finding');
    expect(update.id).toBe(original.id);
    expect(snsChannel.render(update, fifo).MessageDeduplicationId).not.toBe(MessageDeduplicationId);
    expect(
      snsChannel.render({ ...original, updatedAt: '2099-01-01T00:00:00.000Z' }, fifo).MessageDeduplicationId,
    ).not.toBe(MessageDeduplicationId);
    expect(snsChannel.render({ ...original, id: 'f'.repeat(32) }, fifo).MessageDeduplicationId).not.toBe(
      MessageDeduplicationId,
    );
    expect(MessageGroupId).toBe(snsChannel.render({ ...original, id: 'f'.repeat(32) }, fifo).MessageGroupId);
  });

  it('keeps every fixture within the FIFO id rules', () => {
    for (const finding of all) {
      const payload = snsChannel.render(finding, fifo);
      SnsPayloadSchema.parse(payload);
      expect(payload.MessageGroupId).toMatch(/^\d{12}$/);
      expect(payload.MessageDeduplicationId?.length).toBeLessThanOrEqual(128);
    }
  });

  it('groups a digest by its single account, else as multiple, and deduplicates it by every finding it covers', () => {
    const single = all.filter((f) => f.account.id === '111122223333');
    expect(snsChannel.renderDigest(buildDigest(single), fifo).MessageGroupId).toBe('111122223333');
    const digest = buildDigest(all);
    const payload = snsChannel.renderDigest(digest, fifo);
    SnsPayloadSchema.parse(payload);
    expect(payload.MessageGroupId).toBe('multiple');
    expect(payload.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(snsChannel.renderDigest(buildDigest([...all].reverse()), fifo).MessageDeduplicationId).toBe(
      payload.MessageDeduplicationId,
    );
    const shown = new Set(digest.top.map((f) => f.id));
    const hidden = all.findIndex((f) => !shown.has(f.id));
    const swapped = all.map((f, i) => (i === hidden ? { ...f, id: 'f'.repeat(32) } : f));
    expect(snsChannel.renderDigest(buildDigest(swapped), fifo).MessageDeduplicationId).not.toBe(
      payload.MessageDeduplicationId,
    );
  });

  it('leaves both ids out for a standard topic', () => {
    const payload = snsChannel.render(normalisedFixture('minimal'), channel);
    expect(payload).not.toHaveProperty('MessageGroupId');
    expect(payload).not.toHaveProperty('MessageDeduplicationId');
    expect(snsChannel.renderDigest(buildDigest(all), channel)).not.toHaveProperty('MessageGroupId');
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
        TopicArn: channel.topicArn,
        ...payload,
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
    expect(calls).toEqual([{ TopicArn: fifo.topicArn, ...fifoPayload }]);
    expect(calls[0]).toMatchObject({ MessageGroupId: expect.any(String), MessageDeduplicationId: expect.any(String) });
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
    const small = { Message: 'm', MessageAttributes: typedAttributes({ severity: 'HIGH' }) };
    expect(publishBatches(Array.from({ length: 25 }, () => small)).map((b) => b.length)).toEqual([10, 10, 5]);
    const big = { Message: 'x'.repeat(100_000), MessageAttributes: {} };
    // 100 KB + 100 KB fit; a third would pass 262,144 bytes.
    expect(publishBatches([big, big, big, small]).map((b) => b.length)).toEqual([2, 2]);
    const edge = { Message: 'x'.repeat(SNS_LIMITS.messageBytes - snsPayloadBytes(small)), MessageAttributes: {} };
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

describe('guardduty-notify render --channel sns', () => {
  it('prints the Publish request as SNS receives it: typed attributes, MessageStructure and the JSON message', () => {
    let stdout = '';
    const code = main(['render', '--channel', 'sns', join(FIXTURES_DIR, 'ec2-port-probe.json')], {
      write: (chunk: string) => {
        stdout += chunk;
        return true;
      },
    } as unknown as Parameters<typeof main>[1]);
    expect(code).toBe(0);
    const request = JSON.parse(stdout) as SnsPayload;
    expect(Object.keys(request)).toEqual(['Subject', 'MessageStructure', 'Message', 'MessageAttributes']);
    expect(request.MessageStructure).toBe('json');
    expect(request.MessageAttributes.severityScore).toEqual({ DataType: 'Number', StringValue: '5.0' });
    expect(request.MessageAttributes.severity).toEqual({ DataType: 'String', StringValue: 'MEDIUM' });
    expect(Object.keys(JSON.parse(request.Message))).toEqual(['default', 'email', 'sms']);
  });
});
