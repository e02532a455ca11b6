import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/receiver.js';
import { firstFail, rateLimited, type Answer } from './destinations.js';
import {
  channels,
  expectClean,
  freshEvents,
  scenario,
  startWorld,
  stopWorld,
  MAX_REQUEUES,
  type ChannelPlan,
  type ScenarioOptions,
  type World,
} from './harness.js';
import { printTally } from '../../../scripts/chaos/tally.js';

/*
 * Fault suite, HTTP side: every chat/webhook channel against real receivers
 * that throttle, fail, stall, reset or are not there at all, while the other
 * channels stay healthy. Each scenario states the outcome it expects; all of
 * them end with nothing lost, nothing duplicated and the queue drained.
 */

let world: World;
beforeAll(async () => {
  world = await startWorld('delivery');
});
afterAll(async () => {
  printTally('Fault suite · HTTP delivery (chaos/delivery.test.ts)');
  await stopWorld(world);
});

const throttled = (retryAfter: string): Answer => ({
  status: 429,
  headers: { 'retry-after': retryAfter },
  body: 'rate_limited',
});

async function run(options: Omit<ScenarioOptions, 'channels'> & { plan?: ChannelPlan; findings?: number }) {
  const ch = await channels(world, options.plan);
  const s = await scenario(world, { ...options, channels: ch });
  await s.put(freshEvents(options.findings ?? 3, world.counter));
  await s.play();
  return s.finish();
}

describe('HTTP channels under faults (all seven channels configured, one misbehaving)', () => {
  it('baseline: every channel healthy, every pair delivered once, nothing retried', async () => {
    const r = await run({ name: 'baseline, all healthy', expected: 'delivered once to each of 7 channels' });
    expectClean(r);
    expect(r.row).toMatchObject({ pairs: 21, delivered: 21, retried: 0, deadLettered: 0 });
  });

  it('429 storm with Retry-After: 1 on every HTTP channel: waited in-process, then only the throttled channels re-queued', async () => {
    const storm = firstFail(3, throttled('1'));
    const r = await run({
      name: '429 storm, Retry-After 1 s (under the cap), 5 HTTP channels',
      expected: 'retried in-process after 1 s, re-queued per channel, delivered once',
      plan: { slack: storm, teams: storm, googleChat: storm, pagerduty: storm, webhook: storm },
    });
    expectClean(r);
    expect(r.row.delivered).toBe(21);
    // 3 refusals per channel: the first finding is re-queued after 2 tries, the second delivered on its second.
    expect(r.row.retried).toBe(10);
    expect(r.requeueDelays.every((d) => d >= 1)).toBe(true);
    for (const name of ['slack', 'teams', 'googleChat', 'pagerduty', 'webhook'])
      expect(r.accepted.get(name)).toHaveLength(3);
  });

  it('429 with Retry-After beyond the cap: not waited in-process, re-queued with that delay, delivered once', async () => {
    const r = await run({
      name: '429, Retry-After 120 s (beyond the 1 s cap), Teams',
      expected: 're-queued with delay 120 s (played at 0 s), delivered once',
      plan: { teams: firstFail(1, throttled('120')) },
    });
    expectClean(r);
    expect(r.row.delivered).toBe(21);
    expect(r.requeueDelays).toEqual([120]);
    // Beyond the cap the first 429 ends the in-process attempts: 1 refused + 3 accepted.
    expect(r.accepted.get('teams')).toHaveLength(3);
  });

  it('5xx burst (500/502/503/504) on PagerDuty: retried and re-queued, delivered once', async () => {
    const codes = [500, 502, 503, 504, 503];
    const r = await run({
      name: '5xx burst (5 failures) on PagerDuty',
      expected: 'retried with backoff, re-queued, delivered once',
      plan: {
        pagerduty: (n) =>
          n < codes.length
            ? { status: codes[n]!, body: 'upstream error' }
            : { status: 202, body: '{"status":"success"}' },
      },
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 21, deadLettered: 0 });
    expect(r.row.retried).toBeGreaterThanOrEqual(2);
  });

  it('5xx that never ends on the webhook: dead-lettered with the reason after the re-queue budget', async () => {
    const r = await run({
      name: '5xx forever on the webhook',
      expected: `webhook pairs DLQ'd after ${MAX_REQUEUES} re-queues with "HTTP 500"; others delivered once`,
      plan: { webhook: () => ({ status: 500, body: 'internal error' }) },
      findings: 2,
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 12, deadLettered: 2 });
    expect(r.deadLetters).toHaveLength(2);
    for (const d of r.deadLetters) {
      expect(d).toMatchObject({ channel: 'webhook', attempts: MAX_REQUEUES + 1 });
      expect(d.reason).toMatch(new RegExp(`^gave up after ${MAX_REQUEUES} re-queues: webhook "webhook": HTTP 500`));
    }
  });

  it('slow responses beyond the timeout on Google Chat: timed out, retried, delivered once (late successes reported, not counted)', async () => {
    const r = await run({
      name: 'slow 200 after 1.5 s (timeout 0.4 s) on Google Chat',
      expected: 'timed out, retried/re-queued, delivered once',
      plan: { googleChat: firstFail(3, { status: 200, body: 'ok', delayMs: 1_500 }) },
    });
    expectClean(r);
    expect(r.row.delivered).toBe(21);
    expect(r.accepted.get('googleChat')).toHaveLength(3);
  });

  it('no answer at all (hang) on Slack: timed out, re-queued, delivered once', async () => {
    const r = await run({
      name: 'hang (no answer) on Slack',
      expected: 'timed out, re-queued, delivered once',
      plan: { slack: firstFail(2, { hang: true }) },
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 21, retried: 1 });
    expect(r.logs.some((l) => l.message === 're-queued failed channels' && String(l.channels) === 'slack')).toBe(true);
  });

  it('connection resets on Teams: network error, retried, delivered once', async () => {
    const r = await run({
      name: 'connection reset ×3 on Teams',
      expected: 'retried/re-queued, delivered once',
      plan: { teams: firstFail(3, { reset: true }) },
    });
    expectClean(r);
    expect(r.row.delivered).toBe(21);
  });

  it('closed port (ECONNREFUSED) on the webhook: dead-lettered with "network error ECONNREFUSED" after the budget', async () => {
    const r = await run({
      name: 'closed port (ECONNREFUSED) on the webhook',
      expected: "webhook pairs DLQ'd with ECONNREFUSED after the budget; others delivered once",
      plan: { closed: { kind: 'webhook', port: await closedPort() } },
      findings: 2,
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 12, deadLettered: 2 });
    for (const d of r.deadLetters) expect(d.reason).toMatch(/webhook "webhook": network error ECONNREFUSED/);
  });

  it('400 from Slack (payload refused): dead-lettered at once with the reason, nothing retried', async () => {
    const r = await run({
      name: '400 invalid_payload on Slack',
      expected: "Slack pairs DLQ'd at once with the reason; others delivered once",
      plan: { slack: () => ({ status: 400, body: 'invalid_payload' }) },
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 18, deadLettered: 3, retried: 0 });
    for (const d of r.deadLetters)
      expect(d).toMatchObject({ channel: 'slack', reason: 'slack "slack": HTTP 400 invalid_payload', attempts: 1 });
  });

  it('404 from Teams (workflow deleted): treated as a config problem, re-queued until the budget, then dead-lettered', async () => {
    const r = await run({
      name: '404 (workflow deleted) on Teams',
      expected: "re-queued (config kind) then DLQ'd with HTTP 404",
      plan: { teams: () => ({ status: 404, body: 'Not Found' }) },
      findings: 2,
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 12, deadLettered: 2 });
    for (const d of r.deadLetters) expect(d.reason).toMatch(/teams "teams": HTTP 404/);
  });

  it("Slack's 1 message/s limit with the default pacing: no 429 at all", async () => {
    const r = await run({
      name: 'Slack 1 msg/s limit, default pacing (1 s)',
      expected: 'paced, no 429, delivered once',
      plan: { only: ['slack'], slack: rateLimited(), extra: { slack: { minIntervalMs: undefined } } },
      findings: 3,
    });
    expectClean(r);
    expect(r.row.delivered).toBe(3);
    expect(r.attempts.get('slack')!.map((a) => a.answer)).toEqual(['200', '200', '200']);
  });

  it('one 429 under the default pacing stays one 429 (the pacer catches up after a Retry-After)', async () => {
    const limit = rateLimited();
    const r = await run({
      name: 'Slack 1 msg/s limit, default pacing, one early 429',
      expected: 'one 429, then paced without further 429s, delivered once',
      plan: {
        only: ['slack'],
        slack: (n) => (n === 0 ? throttled('1') : limit(n - 1)),
        extra: { slack: { minIntervalMs: undefined } },
      },
      findings: 4,
    });
    expectClean(r);
    expect(r.attempts.get('slack')!.map((a) => a.answer)).toEqual(['429', '200', '200', '200', '200']);
  });

  it('digests under a 429 storm: the digest is re-queued and re-sent as one message; members are neither lost nor repeated', async () => {
    const storm = firstFail(3, throttled('1'));
    const r = await run({
      name: 'digest of 25 under a 429 storm (Slack, Teams), batch 25',
      expected: 'chat/email digests, digest re-queued for Slack/Teams, delivered once; SNS/PD/webhook one per finding',
      plan: { slack: storm, teams: storm },
      findings: 25,
      batchSize: 25,
    });
    expectClean(r);
    expect(r.row).toMatchObject({ pairs: 175, delivered: 175, deadLettered: 0 });
    expect(r.accepted.get('slack')!.length).toBeLessThan(5);
    expect(r.accepted.get('email')!).toHaveLength(1);
    expect(r.accepted.get('webhook')!).toHaveLength(25);
  });

  it('invocation deadline near mid-batch: sends not yet started are deferred and re-queued, delivered once by the next invocation', async () => {
    const ch = await channels(world);
    const s = await scenario(world, {
      name: 'Lambda deadline reached mid-batch',
      expected: 'unstarted sends re-queued ("deadline near"), delivered once next invocation',
      channels: ch,
    });
    await s.put(freshEvents(3, world.counter));
    // 19 deadline checks in the first invocation (six channels check before each of their
    // 3 sends; SNS once, for one PublishBatch of all 3): the first 8 see a minute left —
    // every channel's first send, SNS's batch among them, and one more — the next 11 one
    // second (below the 5 s reserve), so 11 pairs are deferred.
    let calls = 0;
    s.deps.remainingMs = () => (++calls <= 8 || calls > 19 ? 60_000 : 1_000);
    await s.play();
    const r = await s.finish();
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 21, retried: 11 });
    const requeued = r.logs
      .filter((l) => l.message === 're-queued failed channels')
      .flatMap((l) => l.channels as string[]);
    expect(requeued).toHaveLength(11);
    expect(requeued).not.toContain('sns');
  });

  it('everything fails at once, then recovers: each channel retried on its own, all delivered once', async () => {
    const burst = firstFail(2, { status: 503, body: 'unavailable' });
    const r = await run({
      name: 'every channel failing at once (503s, SMTP 451)',
      expected: 'every channel re-queued on its own, delivered once',
      plan: {
        slack: burst,
        teams: burst,
        googleChat: firstFail(2, { reset: true }),
        pagerduty: burst,
        webhook: firstFail(2, { hang: true }),
        email: (n) => (n < 1 ? { code: 451, message: 'Try again later' } : 'accept'),
      },
    });
    expectClean(r);
    expect(r.row.delivered).toBe(21);
  });
});
