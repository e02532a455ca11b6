import { describe, expect, it } from 'vitest';
import { PagerDutyChannelSchema } from '../../src/channels/pagerduty.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { buildDigest } from '../../src/route/digest.js';
import {
  PD_MAX_BYTES,
  PD_SUMMARY_MAX,
  PagerDutyPayloadSchema,
  digestDedupKey,
  pagerDutyBody,
  pagerDutyChannel,
  type PagerDutyPayload,
  type PagerDutyTrigger,
} from '../../src/channels/pagerduty.js';
import { deliveryError, sendContext } from '../helpers/channel.js';
import { fixtureNames, normalisedFixture } from '../helpers/fixtures.js';
import { expectGolden } from '../helpers/golden.js';
import { PAGERDUTY_ENQUEUE_PATH, pagerDutyEventsApi } from '../../../harness/pagerduty.mjs';
import { useReceiver, type Reply } from '../helpers/receiver.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const channel = PagerDutyChannelSchema.parse({ name: 'oncall', type: 'pagerduty', routingKey: ROUTING_KEY });
const keepArchived = PagerDutyChannelSchema.parse({
  name: 'oncall',
  type: 'pagerduty',
  routingKey: ROUTING_KEY,
  resolveOnArchive: false,
});

function trigger(payload: PagerDutyPayload): PagerDutyTrigger {
  if (payload.event_action !== 'trigger') throw new Error(`expected a trigger, got ${payload.event_action}`);
  return payload;
}

function bytes(value: unknown): number {
  return Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}

describe.each(fixtureNames())('PagerDuty event for fixture %s', (name) => {
  const finding = normalisedFixture(name);
  const payload = pagerDutyChannel.render(finding, channel);

  it('matches the golden file', () => {
    expectGolden(`pagerduty/${name}.json`, payload);
  });

  it('uses the finding id as dedup key', () => {
    expect(payload.dedup_key).toBe(finding.id);
  });

  it('resolves archived findings and triggers everything else', () => {
    if (finding.archived) {
      expect(payload).toEqual({ event_action: 'resolve', dedup_key: finding.id });
      return;
    }
    const event = trigger(payload);
    expect(event.payload.summary.length).toBeGreaterThan(0);
    expect(event.payload.summary.length).toBeLessThanOrEqual(PD_SUMMARY_MAX);
    expect(event.payload.source.length).toBeGreaterThan(0);
    expect(event.payload.timestamp).toBe(finding.updatedAt);
    expect(event.payload.class).toBe(finding.type.full);
    expect(event.payload.component).toBe(finding.resource.label);
    expect(event.payload.group).toBe(finding.account.id);
    expect(event.links.map((l) => l.href)).toEqual([
      ...(finding.consoleUrl ? [finding.consoleUrl] : []),
      ...finding.nextSteps.map((s) => s.url),
    ]);
    expect(event.client).toBe('GuardDuty Notify');
    expect(event.client_url).toBe(finding.consoleUrl ?? undefined);
  });

  it('never carries the routing key in the rendered event', () => {
    expect(JSON.stringify(payload)).not.toContain(ROUTING_KEY);
    expect(JSON.parse(pagerDutyBody(payload, ROUTING_KEY))).toEqual({ routing_key: ROUTING_KEY, ...payload });
  });

  it('stays within the Events API size limit', () => {
    expect(bytes(pagerDutyBody(payload, ROUTING_KEY))).toBeLessThanOrEqual(PD_MAX_BYTES + 100);
  });
});

describe('PagerDuty mapping', () => {
  const base = normalisedFixture('ec2-ssh-bruteforce');

  it.each([
    ['CRITICAL', 'critical'],
    ['HIGH', 'error'],
    ['MEDIUM', 'warning'],
    ['LOW', 'info'],
  ] as const)('maps band %s to severity %s', (band, severity) => {
    const event = trigger(pagerDutyChannel.render({ ...base, severity: { score: 5, raw: 5, band } }, channel));
    expect(event.payload.severity).toBe(severity);
  });

  it('triggers an archived finding, marked, when resolveOnArchive is off', () => {
    const archived = normalisedFixture('archived-finding');
    const event = trigger(pagerDutyChannel.render(archived, keepArchived));
    expect(event.dedup_key).toBe(archived.id);
    expect(event.payload.summary).toContain('[ARCHIVED]');
  });

  it('marks samples and updates in the summary', () => {
    expect(trigger(pagerDutyChannel.render(normalisedFixture('sample-finding'), channel)).payload.summary).toMatch(
      /^\[SAMPLE\]/,
    );
    const update = normalisedFixture('update-finding');
    expect(trigger(pagerDutyChannel.render(update, channel)).payload.summary).toContain(
      `[UPDATE ×${update.occurrences.count}]`,
    );
  });

  it('omits a timestamp that is not ISO 8601 instead of sending one PagerDuty rejects', () => {
    const event = trigger(pagerDutyChannel.render({ ...base, updatedAt: 'yesterday' }, channel));
    expect(event.payload).not.toHaveProperty('timestamp');
  });

  it('hashes an id longer than the 255-character dedup key limit', () => {
    const event = pagerDutyChannel.render({ ...base, id: 'x'.repeat(300) }, channel);
    expect(event.dedup_key).toMatch(/^guardduty-finding-[0-9a-f]{64}$/);
  });

  it('keeps hostile text as plain text (PagerDuty renders no markup), one line, within limits', () => {
    const hostile = normalisedFixture('hostile');
    const event = trigger(pagerDutyChannel.render(hostile, channel));
    expect(event.payload.summary).not.toMatch(/[\r\n]/);
    expect(event.payload.summary.length).toBeLessThanOrEqual(PD_SUMMARY_MAX);
    expect(event.links.slice(0, 1)).toEqual([{ href: hostile.consoleUrl, text: 'Open in GuardDuty console' }]);
    expect(event.client_url).toBe(hostile.consoleUrl);
  });
});

/** A finding whose every attacker-sized part is as long as the normaliser allows, in 4-byte characters. */
function hugeFinding(): NormalisedFinding {
  const base = normalisedFixture('iam-api-tor');
  const big = '💀'.repeat(1_000);
  const fields = Array.from({ length: 400 }, (_, i) => ({ label: `Field ${i}`, value: big }));
  return {
    ...base,
    title: big.slice(0, 500),
    description: big,
    resource: { ...base.resource, id: big, fields },
    action: { ...base.action, fields },
    actor: { ...base.actor, userAgent: big, caller: big, domain: big },
  };
}

describe('PagerDuty size limits', () => {
  it('truncates the summary to 1024 characters and shrinks custom_details under 512 KB', () => {
    const finding = hugeFinding();
    expect(bytes(finding)).toBeGreaterThan(2 * PD_MAX_BYTES);
    const event = trigger(pagerDutyChannel.render(finding, channel));
    expect(event.payload.summary.length).toBeLessThanOrEqual(PD_SUMMARY_MAX);
    // The summary leads with what triage needs (severity, type, target, account); the huge title is what gets cut.
    expect(
      event.payload.summary.startsWith(
        `${finding.severity.band} ${finding.severity.score.toFixed(1)}: ${finding.type.full} on `,
      ),
    ).toBe(true);
    expect(event.payload.summary).toContain(
      ` in ${finding.account.name ? `${finding.account.name} (${finding.account.id})` : finding.account.id} ${finding.region}`,
    );
    expect(bytes(pagerDutyBody(event, ROUTING_KEY))).toBeLessThanOrEqual(512 * 1024);
    expect(event.payload.custom_details).toMatchObject({ finding_id: finding.id });
  });
});

describe('PagerDuty digest', () => {
  const findings = fixtureNames().map(normalisedFixture);
  const digest = buildDigest(findings);
  const event = pagerDutyChannel.renderDigest(digest, channel);

  it('matches the golden file', () => {
    expectGolden('pagerduty/digest-all-fixtures.json', event);
  });

  it('is one trigger at the most severe band present, with counts and console links', () => {
    const t = trigger(event);
    expect(t.payload.severity).toBe('critical');
    expect(t.payload.summary).toContain(`GuardDuty digest: ${findings.length} findings`);
    expect(t.payload.custom_details).toMatchObject({ total: findings.length, by_severity: digest.bySeverity });
    const hrefs = t.links.map((l) => l.href);
    expect(hrefs).toEqual([
      ...(digest.consoleUrl ? [digest.consoleUrl] : []),
      ...digest.top.flatMap((f) => (f.consoleUrl ? [f.consoleUrl] : [])),
    ]);
  });

  it('derives the dedup key from the findings, so a re-delivered digest hits the same incident', () => {
    const again = pagerDutyChannel.renderDigest(buildDigest([...findings].reverse()), channel);
    expect(again.dedup_key).toBe(event.dedup_key);
    expect(event.dedup_key).toBe(digestDedupKey(digest));
    expect(event.dedup_key).toMatch(/^guardduty-digest-[0-9a-f]{64}$/);
    const other = pagerDutyChannel.renderDigest(buildDigest(findings.slice(1)), channel);
    expect(other.dedup_key).not.toBe(event.dedup_key);
  });

  it('covers every finding in the dedup key, not only the most severe ones it shows', () => {
    const shown = new Set(digest.top.map((f) => f.id));
    const index = findings.findIndex((f) => !shown.has(f.id));
    expect(index).toBeGreaterThanOrEqual(0);
    const swapped = findings.map((f, i) => (i === index ? { ...f, id: 'f'.repeat(32) } : f));
    const other = buildDigest(swapped);
    expect(other.top).toEqual(digest.top);
    expect(other.bySeverity).toEqual(digest.bySeverity);
    expect(pagerDutyChannel.renderDigest(other, channel).dedup_key).not.toBe(event.dedup_key);
  });

  it('renders a digest of one minimal finding', () => {
    expectGolden(
      'pagerduty/digest-minimal.json',
      pagerDutyChannel.renderDigest(buildDigest([normalisedFixture('minimal')]), channel),
    );
  });

  it('fits a digest of huge findings', () => {
    const huge = Array.from({ length: 50 }, (_, i) => ({ ...hugeFinding(), id: `huge${i}` }));
    const t = trigger(pagerDutyChannel.renderDigest(buildDigest(huge), channel));
    expect(t.payload.summary.length).toBeLessThanOrEqual(PD_SUMMARY_MAX);
    expect(bytes(pagerDutyBody(t, ROUTING_KEY))).toBeLessThanOrEqual(512 * 1024);
  });
});

// The Events API v2 stand-in (validation, 202/400/404) is harness/pagerduty.mjs; scripted failures come first.
const ENQUEUE_PATH = PAGERDUTY_ENQUEUE_PATH;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
}

/** A scripted failure, with PagerDuty's throttle body for a 429. */
function failure(status: number, headers: Record<string, string> = {}): Reply {
  return status === 429
    ? json(
        429,
        {
          status: 'throttle event',
          message: 'Requests for this service are arriving too quickly. Please retry later.',
        },
        headers,
      )
    : json(status, { status: 'error', message: 'scripted' }, headers);
}

const receiver = useReceiver(pagerDutyEventsApi());

describe('PagerDuty delivery to a local Events API v2 receiver', () => {
  const live = () =>
    PagerDutyChannelSchema.parse({
      name: 'oncall',
      type: 'pagerduty',
      routingKey: ROUTING_KEY,
      eventsUrl: receiver.url(ENQUEUE_PATH),
    });

  it('sends a trigger with the routing key and gets 202 Accepted', async () => {
    const payload = pagerDutyChannel.render(normalisedFixture('hostile'), live());
    await expect(pagerDutyChannel.send(payload, live(), sendContext())).resolves.toEqual({ attempts: 1 });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual({ routing_key: ROUTING_KEY, ...payload });
  });

  it('sends a resolve for an archived finding', async () => {
    const payload = pagerDutyChannel.render(normalisedFixture('archived-finding'), live());
    await pagerDutyChannel.send(payload, live(), sendContext());
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: normalisedFixture('archived-finding').id,
    });
  });

  it('every fixture and the digest are accepted', async () => {
    for (const name of fixtureNames())
      await pagerDutyChannel.send(pagerDutyChannel.render(normalisedFixture(name), live()), live(), sendContext());
    await pagerDutyChannel.send(
      pagerDutyChannel.renderDigest(buildDigest(fixtureNames().map(normalisedFixture)), live()),
      live(),
      sendContext(),
    );
    expect(receiver.requests).toHaveLength(fixtureNames().length + 1);
  });

  it('treats 400 (invalid event) as permanent, without retrying, and keeps the routing key out of the error', async () => {
    const event = trigger(pagerDutyChannel.render(normalisedFixture('minimal'), live()));
    const invalid: PagerDutyTrigger = { ...event, payload: { ...event.payload, summary: 'x'.repeat(1_025) } };
    const error = await deliveryError(pagerDutyChannel.send(invalid, live(), sendContext()));
    expect(error.kind).toBe('permanent');
    expect(error.details).toMatchObject({ status: 400, attempts: 1 });
    expect(error.message).toContain('pagerduty "oncall"');
    expect(error.message).not.toContain(ROUTING_KEY);
    expect(receiver.requests).toHaveLength(1);
  });

  it('treats 404 as a config problem', async () => {
    receiver.script(ENQUEUE_PATH, [failure(404)]);
    const error = await deliveryError(
      pagerDutyChannel.send(pagerDutyChannel.render(normalisedFixture('minimal'), live()), live(), sendContext()),
    );
    expect(error.kind).toBe('config');
  });

  it('waits the Retry-After of a 429 rate limit, then delivers', async () => {
    receiver.script(ENQUEUE_PATH, [failure(429, { 'retry-after': '3' })]);
    const sleeps: number[] = [];
    const result = await pagerDutyChannel.send(
      pagerDutyChannel.render(normalisedFixture('minimal'), live()),
      live(),
      sendContext(sleeps),
    );
    expect(result).toEqual({ attempts: 2 });
    expect(sleeps).toEqual([3_000]);
  });

  it('backs off on a 429 without Retry-After, within the policy', async () => {
    receiver.script(ENQUEUE_PATH, [failure(429), failure(429)]);
    const sleeps: number[] = [];
    const result = await pagerDutyChannel.send(
      pagerDutyChannel.render(normalisedFixture('minimal'), live()),
      live(),
      sendContext(sleeps),
    );
    expect(result).toEqual({ attempts: 3 });
    expect(sleeps).toHaveLength(2);
    for (const ms of sleeps) expect(ms).toBeLessThanOrEqual(4_000);
  });

  it('re-queues (retryable, with the delay) when Retry-After exceeds the policy', async () => {
    receiver.script(ENQUEUE_PATH, [failure(429, { 'retry-after': '120' })]);
    const sleeps: number[] = [];
    const error = await deliveryError(
      pagerDutyChannel.send(pagerDutyChannel.render(normalisedFixture('minimal'), live()), live(), sendContext(sleeps)),
    );
    expect(error.kind).toBe('retryable');
    expect(error.details).toMatchObject({ status: 429, retryAfterSeconds: 120, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx up to the policy, then reports retryable', async () => {
    receiver.script(ENQUEUE_PATH, [failure(500), failure(500), failure(500)]);
    const error = await deliveryError(
      pagerDutyChannel.send(pagerDutyChannel.render(normalisedFixture('minimal'), live()), live(), sendContext()),
    );
    expect(error.kind).toBe('retryable');
    expect(error.details).toMatchObject({ status: 500, attempts: 3 });
    expect(receiver.requests).toHaveLength(3);
  });
});

describe('PagerDutyPayloadSchema', () => {
  it("accepts every fixture's event and digest within the Events API limits, and refuses what breaks them", () => {
    const findings = fixtureNames().map(normalisedFixture);
    for (const finding of findings) PagerDutyPayloadSchema.parse(pagerDutyChannel.render(finding, channel));
    PagerDutyPayloadSchema.parse(pagerDutyChannel.renderDigest(buildDigest(findings), channel));
    const archived = findings.find((f) => f.archived);
    if (archived) PagerDutyPayloadSchema.parse(pagerDutyChannel.render(archived, channel));
    const event = pagerDutyChannel.render(normalisedFixture('minimal'), channel) as PagerDutyTrigger;
    const long = { ...event, payload: { ...event.payload, summary: 'x'.repeat(PD_SUMMARY_MAX + 1) } };
    expect(PagerDutyPayloadSchema.safeParse(long).success).toBe(false);
    expect(
      PagerDutyPayloadSchema.safeParse({ ...event, payload: { ...event.payload, severity: 'high' } }).success,
    ).toBe(false);
  });
});
