import { describe, expect, it } from 'vitest';
import { KIND_READERS } from '../../src/signals/kinds.js';
import { randomBytes } from 'node:crypto';
import { MAX_MESSAGE_BYTES, MessageTooLargeError, parseRecord, serialiseEnvelope } from '../../src/batch/envelope.js';
import { rawFixture } from '../helpers/fixtures.js';

const retry = { guarddutyNotify: 'retry' as const, channels: ['b'], attempt: 1 };

describe('serialiseEnvelope', () => {
  it('carries the original text verbatim and parses back to the same work item', () => {
    const text = JSON.stringify(rawFixture('iam-api-tor'));
    const body = serialiseEnvelope(retry, text);
    expect(JSON.parse(body)).toMatchObject({ ...retry, text });
    const parsed = parseRecord('m', body, { readers: KIND_READERS });
    expect(parsed.ok && parsed.item).toMatchObject({ channels: ['b'], attempt: 1, eventText: text });
  });

  it('gzips a near-limit event so the envelope still fits one SQS message', () => {
    const event = rawFixture('iam-api-tor') as { detail: { description: string } };
    event.detail.description = 'x'.repeat(MAX_MESSAGE_BYTES - 100); // with the escaped quotes of the rest, too big as text
    const text = JSON.stringify(event);
    const body = serialiseEnvelope(retry, text);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(JSON.parse(body).gzip).toBeTypeOf('string');
    const parsed = parseRecord('m', body, { readers: KIND_READERS });
    expect(parsed.ok && parsed.item.eventText).toBe(text);
  });

  it('refuses, rather than truncates, what does not fit even gzipped', () => {
    const incompressible = JSON.stringify({ blob: randomBytes(MAX_MESSAGE_BYTES).toString('base64') });
    expect(() => serialiseEnvelope(retry, incompressible)).toThrow(MessageTooLargeError);
  });

  it('never re-serialises the event, so deep nesting cannot overflow the stack', () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    expect(() =>
      serialiseEnvelope({ guarddutyNotify: 'dead-letter', channel: null, reason: 'r', attempts: 0 }, deep),
    ).not.toThrow();
  });
});
