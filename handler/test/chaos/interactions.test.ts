import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/interact/buttons.js';
import { slackSignature } from '../../src/interact/signature.js';
import { ALICE, MALLORY, signedEvent, slackEvent, startWorld, type World } from '../interact/world.js';

/*
 * Hostile interaction requests by the thousand against the endpoint, with
 * GuardDuty and the state table emulated (moto) and a Slack stand-in. What is
 * counted comes from the emulators afterwards, not from the endpoint's own
 * word: an "unauthorised action" is any archive, feedback or claim on a
 * finding that only hostile requests named.
 */

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(() => world?.stop());

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

it('refuses or safely answers 1,000+ hostile requests: no unauthorised action, no server error', async () => {
  const rand = random(20261129);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const now = Math.floor(Date.now() / 1000);
  const hostileIds = Array.from({ length: 200 }, (_, i) => `${'b'.repeat(28)}${String(i).padStart(4, '0')}`);
  const legitIds = Array.from({ length: 25 }, (_, i) => `${'c'.repeat(28)}${String(i).padStart(4, '0')}`);
  await world.seed([...hostileIds, ...legitIds].map((id) => ({ id })));
  const buttons = ['acknowledge', 'archive', 'useful', 'notUseful', 'suppress'] as const;

  type Case = { kind: string; event: unknown; legit?: string };
  const cases: Case[] = [];
  const add = (kind: string, count: number, make: (i: number) => unknown) => {
    for (let i = 0; i < count; i++) cases.push({ kind, event: make(i) });
  };
  const hostileClick = (user = ALICE, extra = {}) => world.click(user, pick(buttons), pick(hostileIds), extra);
  const headersOf = (event: unknown) => (event as { headers: Record<string, string> }).headers;

  add('bad signature', 150, () => {
    const event = hostileClick();
    headersOf(event)['x-slack-signature'] =
      `v0=${Array.from({ length: 64 }, () => pick([...'0123456789abcdef'])).join('')}`;
    return event;
  });
  add('missing signature', 50, () => {
    const event = hostileClick();
    delete headersOf(event)['x-slack-signature'];
    return event;
  });
  add('missing timestamp', 50, () => {
    const event = hostileClick();
    delete headersOf(event)['x-slack-request-timestamp'];
    return event;
  });
  add('replayed (stale timestamp, signed for it)', 100, () =>
    hostileClick(ALICE, { timestamp: now - 301 - Math.floor(rand() * 86_400 * 30) }),
  );
  add('future timestamp', 100, () => hostileClick(ALICE, { timestamp: now + 301 + Math.floor(rand() * 86_400 * 365) }));
  add('wrong signing secret', 50, () => hostileClick(ALICE, { secret: 'not-the-signing-secret-at-all-42' }));
  add('body changed after signing', 150, (i) =>
    hostileClick(ALICE, {
      tamper: (body: string) =>
        i % 3 === 0
          ? body.replace(encodeURIComponent(ALICE).slice(0, 4), 'U0EV')
          : i % 3 === 1
            ? `${body}&x=1`
            : body.replace('block_actions', 'block_actionz'),
    }),
  );
  add('another team (validly signed)', 100, () => hostileClick(ALICE, { team: 'T0EVIL001' }));
  add('unauthorised user (validly signed)', 150, () => hostileClick(MALLORY));
  add('finding of another detector (validly signed)', 50, () =>
    world.click(
      ALICE,
      pick(['archive', 'useful', 'notUseful'] as const),
      `${'d'.repeat(28)}${Math.floor(rand() * 9999)}`,
    ),
  );
  const signedBody = (body: string) => signedEvent(body, now);
  add('oversized body', 30, (i) => signedBody(`payload=${'A'.repeat(65 * 1024 + i * 30_000)}`));
  add('malformed body (signed)', 80, (i) =>
    signedBody(
      [
        'not a form at all',
        'payload=%7Bnot-json',
        `payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission' }))}`,
        `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [] }))}`,
        `payload=${encodeURIComponent('['.repeat(5000) + ']'.repeat(5000))}`,
        `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', team: { id: 'T0TEAM01' }, user: { id: ALICE }, actions: [{ action_id: ACTION_IDS.archive, value: '{"f":"../../etc","r":"us-east-1","a":"123456789012"}' }] }))}`,
        `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', team: { id: 'T0TEAM01' }, user: { id: ALICE }, actions: [{ action_id: 'gdn_delete_detector', value: '{}' }] }))}`,
        '',
      ][i % 8] as string,
    ),
  );
  add('wrong method', 10, () => ({ ...(hostileClick() as object), requestContext: { http: { method: 'GET' } } }));
  add('not a function URL event', 10, (i) => [null, 42, 'x', [], { headers: 'x' }][i % 5]);
  add('signature of the wrong shape', 20, (i) => {
    const event = hostileClick();
    const ts = headersOf(event)['x-slack-request-timestamp'] as string;
    const good = slackSignature('test-signing-secret-0123456789abcdef', ts, 'x');
    headersOf(event)['x-slack-signature'] = [good.toUpperCase(), good.slice(3), `v1=${good.slice(3)}`, `${good}00`][
      i % 4
    ] as string;
    return event;
  });
  add('base64 garbage', 10, () =>
    slackEvent('%%%not base64%%%', { 'x-slack-request-timestamp': String(now), 'x-slack-signature': 'v0=00' }, true),
  );
  // Double clicks by an allowed user: each finding must be acted on exactly once.
  for (const id of legitIds) {
    const button = pick(['archive', 'useful'] as const);
    cases.push({ kind: 'double click (legitimate)', event: world.click(ALICE, button, id), legit: id });
    cases.push({ kind: 'double click (legitimate)', event: world.click(ALICE, button, id), legit: id });
  }

  const statuses = new Map<number, number>();
  let serverErrors = 0;
  let refused = 0;
  const started = Date.now();
  for (let i = 0; i < cases.length; i += 20) {
    const results = await Promise.all(
      cases.slice(i, i + 20).map(async (c) => {
        try {
          return await world.send(c.event);
        } catch {
          return null;
        }
      }),
    );
    for (const result of results) {
      if (!result || result.statusCode >= 500) serverErrors += 1;
      else if (result.statusCode !== 200) refused += 1;
      if (result) statuses.set(result.statusCode, (statuses.get(result.statusCode) ?? 0) + 1);
    }
  }

  // Count actions from the emulators, not from the endpoint.
  let unauthorised = 0;
  for (let i = 0; i < hostileIds.length; i += 50) {
    const chunk = hostileIds.slice(i, i + 50);
    for (const id of chunk) {
      const state = await world.finding(id);
      if (state?.archived || state?.feedback) unauthorised += 1;
    }
  }
  const claims = await world.claims();
  unauthorised += claims.filter(
    (c) => hostileIds.some((id) => c.pk === `FINDING#${id}`) && c.sk !== 'CLAIM#suppress',
  ).length;
  const legitActed = (await Promise.all(legitIds.map((id) => world.finding(id)))).filter(
    (f) => f?.archived || f?.feedback,
  ).length;
  // One claim per acted-on finding; the finding's META record (who acknowledged or archived, when) sits beside it.
  const legitClaims = claims.filter(
    (c) => c.sk?.startsWith('CLAIM#') && legitIds.some((id) => c.pk === `FINDING#${id}`),
  ).length;

  const line = `interaction faults: ${cases.length} requests, ${refused} refused, ${unauthorised} unauthorised actions, ${serverErrors} server errors`;
  console.log(
    `${line} (statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${legitIds.length} double clicks acted on once each: ${legitActed}/${legitClaims}; ${Date.now() - started} ms)`,
  );
  if (process.env.GDN_CHAOS_TALLY) appendFileSync(`${process.env.GDN_CHAOS_TALLY}.interactions`, `${line}\n`);

  expect(cases.length).toBeGreaterThanOrEqual(1000);
  expect(unauthorised).toBe(0);
  expect(serverErrors).toBe(0);
  expect(legitActed).toBe(legitIds.length);
  expect(legitClaims).toBe(legitIds.length);
  // Every request before the team check is refused with 4xx: 4xx only for those, 200 for the rest.
  expect(refused).toBeGreaterThanOrEqual(700);
}, 240_000);
