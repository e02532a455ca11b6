import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { forbiddenChar, hostileCopy, strings } from './corpus.js';
import { firstFail } from './destinations.js';
import {
  channels,
  expectClean,
  freshEvent,
  freshEvents,
  idOf,
  scenario,
  startWorld,
  stopWorld,
  QUEUE_MAX_MESSAGE_BYTES,
  type ChannelPlan,
  type ScenarioOptions,
  type World,
} from './harness.js';
import { printTally } from '../../../scripts/chaos/tally.js';

/*
 * Fault suite, input side: messages that are not findings, findings at the
 * size limit, deeply nested JSON, and findings full of Unicode, emoji, bidi
 * marks and control characters, through the whole pipeline over a real queue.
 */

let world: World;
beforeAll(async () => {
  world = await startWorld('inputs');
});
afterAll(async () => {
  printTally('Fault suite · malformed, huge, nested and Unicode inputs (chaos/inputs.test.ts)');
  await stopWorld(world);
});

async function run(
  options: Omit<ScenarioOptions, 'channels'> & { plan?: ChannelPlan; bodies: Array<string | Record<string, unknown>> },
) {
  const ch = await channels(world, options.plan);
  const s = await scenario(world, { ...options, channels: ch });
  await s.put(options.bodies);
  await s.play();
  return s.finish();
}

const bytes = (value: unknown) => Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');

/**
 * A finding event of exactly `size` bytes of JSON (as EventBridge delivers it):
 * long title, description and user agent, a hundred tags, and padding in
 * `service.additionalInfo`, which GuardDuty uses for free-form detail.
 */
function hugeEvent(size: number, base = freshEvent('iam-api-tor')): Record<string, unknown> {
  const event = structuredClone(base) as { detail: Record<string, any> };
  const d = event.detail;
  d.title = `Huge ${'T'.repeat(4_000)}`;
  // ASCII only: moto measures message size in characters, SQS in UTF-8 bytes; ASCII makes them agree.
  d.description = `${'Lorem ipsum dolor sit amet, <!channel> '.repeat(2_500)}END`;
  d.service.action.awsApiCallAction.userAgent = `agent/${'u'.repeat(30_000)}`;
  d.resource.accessKeyDetails.userName = `user-${'n'.repeat(5_000)}`;
  d.resource.instanceDetails = {
    tags: Array.from({ length: 100 }, (_, i) => ({ key: `tag-${i}-${'k'.repeat(50)}`, value: 'v'.repeat(200) })),
  };
  d.service.additionalInfo = { type: 'default', blob: '' };
  const room = size - bytes(event);
  if (room < 0) throw new Error(`base event already ${bytes(event)} bytes`);
  d.service.additionalInfo.blob = 'x'.repeat(room);
  return event;
}

/** Deep enough that JSON.stringify exceeds V8's default stack (≈5,000 levels suffices on Node 20). */
const DEEP = 20_000;

describe('malformed inputs', () => {
  it('dead-letters each non-finding with its reason; findings, odd-shaped ones included, are delivered once', async () => {
    const invalidDir = join(FIXTURES_DIR, 'invalid');
    const fromFixtures = readdirSync(invalidDir).map((f) => readFileSync(join(invalidDir, f), 'utf8'));
    const broken = (mutate: (d: Record<string, unknown>) => void) => {
      const e = freshEvent('ec2-ssh-bruteforce');
      mutate(e.detail as Record<string, unknown>);
      return JSON.stringify(e);
    };
    const bad = [
      ...fromFixtures,
      '{"truncated": ',
      'null',
      '[]',
      '"a string"',
      '42',
      broken((d) => (d.id = '')),
      broken((d) => delete d.type),
      JSON.stringify({ guarddutyNotify: 'retry', channels: [], attempt: 0 }),
      JSON.stringify({ guarddutyNotify: 'dead-letter', channel: 'slack', reason: 'r', attempts: 1 }),
    ];
    // Findings with one field of an unexpected shape are findings: delivered with a "could not read" note, never refused.
    const oddShapes = [
      broken((d) => (d.severity = 11)),
      broken((d) => (d.accountId = '12345')),
      broken((d) => (d.region = 'mars-north-1 ')),
    ];
    const good = [...freshEvents(3, 4), ...oddShapes];
    const r = await run({
      name: `${bad.length} malformed messages among ${good.length} findings`,
      expected: "each malformed message DLQ'd with its reason; findings delivered once",
      bodies: [bad[0]!, good[0]!, ...bad.slice(1, 9), good[1]!, ...bad.slice(9), ...good.slice(2)],
    });
    expectClean(r);
    expect(r.row).toMatchObject({
      inputs: bad.length + good.length,
      pairs: good.length * 7,
      delivered: good.length * 7,
      rejected: bad.length,
      deadLettered: 0,
    });
    expect(r.deadLetters.every((d) => d.channel === null && (d.reason ?? '').length > 10)).toBe(true);
    const reasons = r.deadLetters.map((d) => d.reason!);
    expect(reasons.filter((x) => x === 'message body is not JSON')).toHaveLength(2);
    expect(reasons.some((x) => /detail\.id/.test(x))).toBe(true);
    expect(reasons.some((x) => /detail\.type/.test(x))).toBe(true);
    expect(reasons).toContain('redriven dead-letter record without its original message');
    expect(reasons.some((x) => x.startsWith('malformed retry envelope'))).toBe(true);
  });
});

describe('findings at the size limit (EventBridge and SQS: 256 KB)', () => {
  it('delivers a finding of 256 KB minus 64 bytes to every channel, truncated within each channel’s limits', async () => {
    const event = hugeEvent(QUEUE_MAX_MESSAGE_BYTES - 64);
    const r = await run({
      name: 'huge finding (256 KB − 64 B), all healthy',
      expected: 'delivered truncated to every channel, once',
      bodies: [event],
    });
    expectClean(r);
    expect(r.row).toMatchObject({ pairs: 7, delivered: 7 });
    const webhook = JSON.parse(r.accepted.get('webhook')![0]!.body).finding;
    expect(webhook.description.length).toBeLessThanOrEqual(2_000);
    expect(webhook.description.endsWith('…')).toBe(true);
    expect(bytes(r.accepted.get('teams')![0]!.body)).toBeLessThanOrEqual(24_000);
    expect(bytes(r.accepted.get('googleChat')![0]!.body)).toBeLessThanOrEqual(32_000);
    expect(JSON.parse(r.accepted.get('pagerduty')![0]!.body).payload.summary.length).toBeLessThanOrEqual(1_024);
    for (const name of ['slack', 'teams', 'googleChat', 'pagerduty'])
      expect(r.accepted.get(name)![0]!.body, name).toContain('…');
  });

  it('a near-256 KB finding whose webhook fails once is re-queued for the webhook alone (no duplicates)', async () => {
    const event = hugeEvent(QUEUE_MAX_MESSAGE_BYTES - 64);
    const r = await run({
      name: 'huge finding (256 KB − 64 B), webhook 503 twice',
      expected: 'webhook re-queued alone, delivered once everywhere',
      plan: { webhook: firstFail(2, { status: 503, body: 'unavailable' }) },
      bodies: [event],
    });
    expect(r.logs.some((l) => l.message.startsWith('could not re-queue'))).toBe(false);
    expectClean(r);
  });

  it('a near-256 KB message that is not a finding is dead-lettered with its reason', async () => {
    const event = hugeEvent(QUEUE_MAX_MESSAGE_BYTES - 64);
    (event as { source: string }).source = 'aws.guardduty.example'; // not GuardDuty's source: refused
    const r = await run({
      name: 'huge non-finding (256 KB − 64 B)',
      expected: "DLQ'd with the reason",
      bodies: [event],
    });
    expect(r.redriven).toHaveLength(0);
    expect(r.deadLetters).toHaveLength(1);
  });
});

describe('deeply nested JSON', () => {
  it(`delivers a finding with ${DEEP.toLocaleString('en')} levels of nesting in service.additionalInfo to every channel`, async () => {
    const body = deepBody(freshEvent('ec2-dns-bitcoin'));
    const r = await run({
      name: `nested ${DEEP} levels, all healthy`,
      expected: 'delivered once to every channel',
      bodies: [body],
    });
    expectClean(r);
    expect(r.row).toMatchObject({ pairs: 7, delivered: 7 });
  });

  it('a deeply nested finding whose webhook fails once is re-queued for the webhook alone (no duplicates)', async () => {
    const body = deepBody(freshEvent('ec2-dns-bitcoin'));
    const r = await run({
      name: `nested ${DEEP} levels, webhook 503 twice`,
      expected: 'webhook re-queued alone, delivered once everywhere',
      plan: { webhook: firstFail(2, { status: 503, body: 'unavailable' }) },
      bodies: [body],
    });
    expectClean(r);
  });

  it('a deeply nested non-finding does not hold back the good findings in its batch', async () => {
    const poison = `{"detail-type":"GuardDuty Finding","source":"aws.guardduty","detail":${'{"n":'.repeat(DEEP)}0${'}'.repeat(DEEP)}}`;
    const good = freshEvents(2, 7);
    const r = await run({
      name: `nested ${DEEP}-level non-finding + 2 findings in one batch`,
      expected: "non-finding DLQ'd with its reason; the 2 findings delivered once",
      bodies: [good[0]!, poison, good[1]!],
    });
    expect(r.thrown).toHaveLength(0);
    expect(r.row.delivered).toBe(r.row.pairs);
  });
});

/** A fresh event whose additionalInfo nests DEEP levels (built as text: JSON.stringify cannot). */
function deepBody(event: Record<string, unknown>): string {
  const e = event as { detail: { service: Record<string, unknown> } };
  e.detail.service.additionalInfo = 'X-NESTED-X';
  return JSON.stringify(e).replace(
    '"X-NESTED-X"',
    `{"type":"default","nested":${'{"n":'.repeat(DEEP)}0${'}'.repeat(DEEP)}}`,
  );
}

describe('Unicode, emoji, bidi marks and control characters', () => {
  it('delivers findings with them in every field once, with controls and bidi overrides removed and emoji kept', async () => {
    const suffix =
      ' Ünïcødé 日本語 العربية עברית 🔥💀 \u202Etxt.exe\u202C \u2066x\u2069 \u200B\u200E\u200F\uFEFF nul\u0000 bel\u0007 esc\u001B[0m c1\u0085 ls\u2028';
    const events = freshEvents(3, 11).map((e) => hostileCopy(e, (s) => `${s}${suffix}`));
    const r = await run({
      name: 'Unicode/emoji/RTL/control chars in every field',
      expected: 'delivered once, controls and bidi removed, emoji kept',
      bodies: events,
    });
    expectClean(r);
    expect(r.row).toMatchObject({ pairs: 21, delivered: 21 });
    for (const [channel, attempts] of r.accepted) {
      for (const a of attempts) {
        let texts: Array<{ path: string; value: string }>;
        if (channel === 'email') {
          const mail = await simpleParser(a.body);
          texts = [
            { path: 'subject', value: mail.subject ?? '' },
            { path: 'text', value: mail.text ?? '' },
            { path: 'html', value: String(mail.html) },
          ];
          expect(mail.subject, 'email subject').not.toMatch(/[\r\n]/);
        } else if (channel === 'sns') {
          const note = JSON.parse(a.body) as { Subject: string; Message: string };
          expect(note.Subject, 'sns subject').toMatch(/^[\x20-\x7E]{1,99}$/);
          texts = [
            { path: 'Subject', value: note.Subject },
            { path: 'Message', value: note.Message },
          ];
        } else texts = strings(JSON.parse(a.body));
        for (const t of texts) expect(forbiddenChar(t.value), `${channel} ${t.path}`).toBeNull();
        expect(texts.map((t) => t.value).join(' '), `${channel} keeps emoji`).toContain('🔥');
      }
    }
    expect(idOf(events[0]!)).toMatch(/^[0-9a-f]{32}$/);
  });
});
