import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/receiver.js';
import type { FrontMode } from './awsFront.js';
import {
  channels,
  expectClean,
  freshEvents,
  scenario,
  startWorld,
  stopWorld,
  MAX_REQUEUES,
  type ChannelPlan,
  type Scenario,
  type ScenarioOptions,
  type World,
} from './harness.js';
import { printTally } from '../../../scripts/chaos/tally.js';

/*
 * Fault suite, dependency side: the SMTP server, Secrets Manager (the config),
 * Organizations (enrichment) and SNS misbehaving, through the handler's real
 * SDK clients and nodemailer. Findings are never dropped: a config that cannot
 * be read keeps the whole batch queued; enrichment never blocks delivery.
 */

let world: World;
beforeAll(async () => {
  world = await startWorld('dependencies');
});
afterAll(async () => {
  printTally('Fault suite · SMTP, Secrets Manager, config, Organizations, SNS (chaos/dependencies.test.ts)');
  await stopWorld(world);
});

async function setUp(
  options: Omit<ScenarioOptions, 'channels'> & { plan?: ChannelPlan; findings?: number },
): Promise<Scenario> {
  const ch = await channels(world, options.plan);
  const s = await scenario(world, { ...options, channels: ch });
  await s.put(freshEvents(options.findings ?? 3, world.counter));
  return s;
}

async function run(options: Parameters<typeof setUp>[0]) {
  const s = await setUp(options);
  await s.play();
  return s.finish();
}

/** Runs `rounds` invocations with a front in `mode`, then the rest with it forwarding again. */
async function outage(s: Scenario, front: keyof World['fronts'], mode: FrontMode, rounds: number) {
  await world.fronts[front].setMode(mode);
  try {
    await s.play({ rounds });
  } finally {
    await world.fronts[front].setMode('forward');
  }
  await s.play();
  return s.finish();
}

describe('SMTP faults (real smtp-server, real nodemailer)', () => {
  it('4xx (greylisting) twice: re-queued, then delivered once', async () => {
    const r = await run({
      name: 'SMTP 451 ×2 (greylisting)',
      expected: 'email re-queued on its own, delivered once',
      plan: { email: (n) => (n < 2 ? { code: 451, message: 'Greylisted, try again later' } : 'accept') },
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 21, retried: 2, deadLettered: 0 });
    expect(r.accepted.get('email')).toHaveLength(3);
  });

  it('5xx (mailbox unavailable): dead-lettered at once with the SMTP reply', async () => {
    const r = await run({
      name: 'SMTP 550 (refused)',
      expected: "email pairs DLQ'd at once with the 550 reply; others delivered once",
      plan: { email: () => ({ code: 550, message: 'Mailbox unavailable' }) },
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 18, deadLettered: 3 });
    for (const d of r.deadLetters) {
      expect(d).toMatchObject({ channel: 'email', attempts: 1 });
      expect(d.reason).toMatch(/550/);
    }
  });

  it('connection dropped after DATA (no reply): retried, delivered once', async () => {
    const r = await run({
      name: 'SMTP connection dropped after DATA ×2',
      expected: 'email re-queued, delivered once',
      plan: { email: (n) => (n < 2 ? 'drop' : 'accept') },
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 21, deadLettered: 0 });
    expect(r.accepted.get('email')).toHaveLength(3);
  });

  it('SMTP port closed: re-queued until the budget, then dead-lettered with the reason', async () => {
    const r = await run({
      name: 'SMTP port closed',
      expected: "email pairs DLQ'd after the budget (connection refused); others delivered once",
      plan: { closed: { kind: 'email', port: await closedPort() } },
      findings: 2,
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 12, deadLettered: 2 });
    for (const d of r.deadLetters)
      expect(d.reason).toMatch(
        new RegExp(
          `^gave up after ${MAX_REQUEUES} re-queues: email "email": via 127\\.0\\.0\\.1:\\d+: (ESOCKET|ECONNECTION)`,
        ),
      );
  });
});

describe('Secrets Manager and the config secret', () => {
  it('Secrets Manager refusing connections, then back: the batch stays queued, then delivered once', async () => {
    const s = await setUp({
      name: 'Secrets Manager down (ECONNREFUSED) ×2 invocations, then back',
      expected: 'whole batch returned to SQS, delivered once when back',
    });
    const r = await outage(s, 'secretsManager', 'refuse', 2);
    expectClean(r);
    expect(r.summaries.slice(0, 2).map((x) => x.returned)).toEqual([3, 3]);
    expect(r.row).toMatchObject({ delivered: 21, deadLettered: 0 });
    expect(r.logs.find((l) => l.message.startsWith('config unavailable'))?.error).toMatch(
      /could not read the config secret/,
    );
  });

  it('Secrets Manager answering 500 and throttling, then back: the batch stays queued, then delivered once', async () => {
    const s = await setUp({
      name: 'Secrets Manager 500 then throttling, then back',
      expected: 'whole batch returned to SQS, delivered once when back',
    });
    await world.fronts.secretsManager.setMode('fail');
    await s.play({ rounds: 1 });
    const r = await outage(s, 'secretsManager', 'throttle', 1);
    expectClean(r);
    expect(r.summaries.slice(0, 2).map((x) => x.returned)).toEqual([3, 3]);
    expect(r.row.delivered).toBe(21);
  });

  it('Secrets Manager down after a good config was loaded: the last good config keeps delivering', async () => {
    const s = await setUp({
      name: 'Secrets Manager down after a good load',
      expected: 'delivered with the last good config, nothing returned',
    });
    await s.play();
    await s.put(freshEvents(2, 5));
    const r = await outage(s, 'secretsManager', 'reset', 5);
    expectClean(r);
    expect(r.summaries.every((x) => x.returned === 0)).toBe(true);
    expect(r.row.delivered).toBe(35);
  });

  it('config secret that is not JSON, then fixed: stays queued with a clear error, then delivered once', async () => {
    const s = await setUp({
      name: 'config secret malformed JSON, then fixed',
      expected: 'whole batch returned with "not valid JSON", delivered once after the fix',
      secret: '{"channels": [ {"name": "slack", ',
    });
    await s.play({ rounds: 2 });
    await s.setSecret(s.validConfig);
    await s.play();
    const r = await s.finish();
    expectClean(r);
    expect(r.summaries.slice(0, 2).map((x) => x.returned)).toEqual([3, 3]);
    const error = String(r.logs.find((l) => l.message.startsWith('config unavailable'))?.error);
    expect(error).toMatch(/the config secret is not valid JSON \(syntax error at character \d+\)/);
    expect(r.row.delivered).toBe(21);
  });

  it('config secret that fails the schema, then fixed: the error names the JSON path, then delivered once', async () => {
    const s = await setUp({
      name: 'config secret fails the schema, then fixed',
      expected: 'whole batch returned with the failing JSON path, delivered once after the fix',
      secret: JSON.stringify({
        channels: [
          { name: 'slack', type: 'slack' },
          { name: 'pd', type: 'pagerduty', routingKey: 'short' },
        ],
      }),
    });
    await s.play({ rounds: 2 });
    await s.setSecret(s.validConfig);
    await s.play();
    const r = await s.finish();
    expectClean(r);
    const error = String(r.logs.find((l) => l.message.startsWith('config unavailable'))?.error);
    expect(error).toContain('channels[0].webhookUrl');
    expect(error).toContain('channels[1].routingKey');
    expect(error).not.toContain('short');
    expect(r.row.delivered).toBe(21);
  });

  it('config rotated to an invalid value after a good load: the last good config keeps delivering', async () => {
    const s = await setUp({
      name: 'config rotated to invalid after a good load',
      expected: 'delivered with the last good config',
    });
    await s.play();
    await s.setSecret('{"channels": []}');
    await s.put(freshEvents(2, 9));
    await s.play();
    const r = await s.finish();
    expectClean(r);
    expect(r.summaries.every((x) => x.returned === 0)).toBe(true);
    expect(r.row.delivered).toBe(35);
  });
});

describe('Organizations enrichment never blocks delivery', () => {
  for (const [mode, label] of [
    ['throttle', 'throttling (TooManyRequestsException)'],
    ['fail', 'failing (500)'],
    ['refuse', 'unreachable (ECONNREFUSED)'],
    ['hang', 'hanging (no answer)'],
  ] as const) {
    it(`Organizations ${label}: delivered with the account id, promptly`, async () => {
      const s = await setUp({ name: `Organizations ${label}`, expected: 'delivered once with the bare account id' });
      await world.fronts.organizations.setMode(mode);
      const started = Date.now();
      try {
        await s.play();
      } finally {
        await world.fronts.organizations.setMode('forward');
      }
      const elapsed = Date.now() - started;
      const r = await s.finish();
      expectClean(r);
      expect(r.row.delivered).toBe(21);
      for (const a of r.accepted.get('webhook')!) expect(JSON.parse(a.body).finding.account.name).toBeNull();
      expect(r.logs.filter((l) => l.message === 'batch processed')).toHaveLength(1);
      // Bounded by the namer's 1.5 s lookup timeout (generous margin for a loaded machine; not a benchmark).
      expect(elapsed).toBeLessThan(15_000);
    });
  }
});

describe('SNS faults (real SDK client against moto through a front)', () => {
  it('SNS unreachable for one invocation, then back: re-queued, delivered once', async () => {
    const s = await setUp({
      name: 'SNS unreachable for 1 invocation, then back',
      expected: 'SNS re-queued on its own, delivered once',
    });
    const r = await outage(s, 'sns', 'refuse', 1);
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 21, deadLettered: 0 });
    expect(r.accepted.get('sns')).toHaveLength(3);
  });

  it('SNS throttling for one invocation, then back: re-queued, delivered once', async () => {
    const s = await setUp({
      name: 'SNS throttling for 1 invocation, then back',
      expected: 'SNS re-queued on its own, delivered once',
      findings: 1,
    });
    const r = await outage(s, 'sns', 'throttle', 1);
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 7, retried: 1 });
  });

  it('SNS topic that does not exist: re-queued as a config problem until the budget, then dead-lettered', async () => {
    const r = await run({
      name: 'SNS topic missing',
      expected: "SNS pairs DLQ'd after the budget with NotFound",
      plan: { sns: 'missing-topic' },
      findings: 2,
    });
    expectClean(r);
    expect(r.row).toMatchObject({ delivered: 12, deadLettered: 2 });
    for (const d of r.deadLetters) expect(d.reason).toMatch(/^gave up after \d+ re-queues: sns "sns": NotFound/);
  });
});
