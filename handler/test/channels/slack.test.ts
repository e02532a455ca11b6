import { describe, expect, it } from 'vitest';
import {
  SLACK_LIMITS,
  SlackPayloadSchema,
  slackChannel,
  type SlackBlock,
  type SlackPayload,
} from '../../src/channels/slack.js';
import { SlackChannelSchema } from '../../src/channels/slack.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { buildDigest } from '../../src/route/digest.js';
import { deliveryError, sendContext } from '../helpers/channel.js';
import { fixtureNames, normalisedFixture } from '../helpers/fixtures.js';
import { expectGolden } from '../helpers/golden.js';
import { slackWebhook } from '../../../harness/slack.mjs';
import { useReceiver } from '../helpers/receiver.js';

const MENTION = '<!subteam^S0123ABC>';
const channel = SlackChannelSchema.parse({
  name: 'sec-slack',
  type: 'slack',
  webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX',
  mention: MENTION,
});
const noMention = SlackChannelSchema.parse({
  name: 'quiet',
  type: 'slack',
  webhookUrl: 'https://hooks.slack.com/services/T000/B000/YYYY',
});

/** Every string anywhere in a payload. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every string a Slack user could see rendered, without the configured mention we add ourselves. */
function shownText(payload: SlackPayload): string[] {
  return strings(payload).map((s) => (s.startsWith(`${MENTION} `) ? s.slice(MENTION.length + 1) : s));
}

function blocks(payload: SlackPayload): SlackBlock[] {
  return payload.attachments[0].blocks;
}

function headerText(payload: SlackPayload): string {
  const header = blocks(payload)[0];
  if (header?.type !== 'header') throw new Error('first block is not a header');
  return header.text.text;
}

/** A finding far beyond every Slack limit: 100 KB description, 200 fields of 2,000 characters, long ids. */
function hugeFinding(): NormalisedFinding {
  const base = normalisedFixture('ec2-ssh-bruteforce');
  const field = (i: number) => ({ label: `Field ${i}`, value: `${'v&<*'.repeat(500)}` });
  return {
    ...base,
    title: 'T<!here>*'.repeat(600),
    description: 'Line <!channel> & *bold* _x_\n'.repeat(3600),
    account: { id: base.account.id, name: 'n'.repeat(500) },
    resource: { ...base.resource, id: 'i'.repeat(5000), fields: Array.from({ length: 200 }, (_, i) => field(i)) },
    action: { ...base.action, fields: Array.from({ length: 200 }, (_, i) => field(i)) },
    actor: {
      ip: 'x'.repeat(2000),
      country: 'c'.repeat(2000),
      city: null,
      org: 'o'.repeat(2000),
      asn: '1',
      caller: 'k'.repeat(2000),
      userAgent: 'u'.repeat(2000),
      domain: 'd'.repeat(2000),
    },
  };
}

describe.each(fixtureNames())('render %s', (name) => {
  it('matches its golden file and Slack’s documented limits, with no control sequence from the finding', () => {
    const payload = slackChannel.render(normalisedFixture(name), channel);
    SlackPayloadSchema.parse(payload);
    expectGolden(`slack/${name}.json`, payload);
    // Our markup never uses < or >; any in the output would come from the finding.
    for (const text of shownText(payload)) expect(text).not.toMatch(/[<>]/);
  });
});

describe('slack render', () => {
  it('neutralises every hostile string: no mention, link or formatting survives', () => {
    const payload = slackChannel.render(normalisedFixture('hostile'), noMention);
    const all = strings(payload).join('\n');
    for (const attack of ['<!channel>', '<!here>', '<@U024BE7LH>', '<https://evil.example|click>', '<script']) {
      expect(all).not.toContain(attack);
    }
    expect(all).toContain('&lt;!channel&gt;');
    expect(headerText(payload)).toContain('‹!channel›');
    // Prose keeps look-alikes instead of formatting characters.
    const description = blocks(payload).find((b) => b.type === 'section' && b.text?.text.startsWith('*Description*'));
    expect(description?.type === 'section' && description.text?.text).toContain('∗bold∗ ˍxˍ ˋcodeˋ');
    // Identifiers sit in code spans that no backtick from the finding can close.
    const fieldTexts = blocks(payload).flatMap((b) =>
      b.type === 'section' ? (b.fields ?? []).map((f) => f.text) : [],
    );
    for (const text of fieldTexts) {
      const value = text.split('\n').slice(1).join('\n');
      const spans = value.match(/`[^`]*`/g) ?? [];
      expect(value.replace(/`[^`]*`/g, '')).not.toContain('`');
      for (const span of spans) expect(span.slice(1, -1)).not.toContain('`');
    }
  });

  it('adds the configured mention for HIGH and CRITICAL only', () => {
    expect(slackChannel.render(normalisedFixture('ec2-dns-bitcoin'), channel).text.startsWith(`${MENTION} `)).toBe(
      true,
    );
    expect(slackChannel.render(normalisedFixture('rds-brute-force'), channel).text.startsWith(`${MENTION} `)).toBe(
      true,
    );
    expect(slackChannel.render(normalisedFixture('ec2-port-probe'), channel).text).not.toContain(MENTION);
    expect(slackChannel.render(normalisedFixture('ec2-dns-bitcoin'), noMention).text).not.toMatch(/^</);
  });

  it('marks samples, updates and archived findings in the header and the notification line', () => {
    const cases: Array<[string, string]> = [
      ['sample-finding', '[SAMPLE]'],
      ['update-finding', '[UPDATE]'],
      ['archived-finding', '[ARCHIVED]'],
    ];
    for (const [name, marker] of cases) {
      const payload = slackChannel.render(normalisedFixture(name), channel);
      expect(headerText(payload)).toContain(marker);
      expect(payload.text).toContain(marker);
    }
  });

  it('shows band, score and colour, and links only to the console URL', () => {
    const finding = normalisedFixture('rds-brute-force');
    const payload = slackChannel.render(finding, channel);
    expect(payload.attachments[0].color).toBe('#C0392B');
    expect(headerText(payload)).toMatch(/^CRITICAL 9\.0 · /);
    const urls = blocks(payload).flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.url) : []));
    expect(urls).toEqual([finding.consoleUrl, ...finding.nextSteps.map((s) => s.url)]);
  });

  it('skips the button when there is no console link', () => {
    const finding = normalisedFixture('ec2-ssh-bruteforce');
    const payload = slackChannel.render({ ...finding, consoleUrl: null }, channel);
    SlackPayloadSchema.parse(payload);
    // Only the next steps (fixed AWS documentation pages) remain as buttons.
    const urls = blocks(payload).flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.url) : []));
    expect(urls).toEqual(finding.nextSteps.map((s) => s.url));
    expect(JSON.stringify(payload)).toContain('No GuardDuty console link');
  });

  it('renders the minimal finding without empty sections', () => {
    const payload = slackChannel.render(normalisedFixture('minimal'), channel);
    SlackPayloadSchema.parse(payload);
    const headings = blocks(payload).flatMap((b) =>
      b.type === 'section' && b.text ? [b.text.text.split('\n')[0]] : [],
    );
    expect(headings).toEqual(['*Description*']);
  });

  it('stays within every limit for a huge finding, truncating with an ellipsis and saying what was left out', () => {
    const payload = slackChannel.render(hugeFinding(), channel);
    SlackPayloadSchema.parse(payload);
    expect(headerText(payload).length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect(headerText(payload).endsWith('…')).toBe(true);
    expect(blocks(payload).length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const block of blocks(payload)) {
      if (block.type !== 'section') continue;
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    const all = JSON.stringify(payload);
    expect(all).toContain('(20 of 200, more in the console)');
    expect(all).toContain('(10 of 200, more in the console)');
    expect(all).not.toContain('<!channel>');
    expect(all.length).toBeLessThan(40_000);
  });
});

describe('slack digest', () => {
  const all = fixtureNames().map(normalisedFixture);

  it('matches its golden file over every fixture, within limits', () => {
    const payload = slackChannel.renderDigest(buildDigest(all), channel);
    SlackPayloadSchema.parse(payload);
    expectGolden('slack/digest.json', payload);
    for (const text of shownText(payload)) expect(text).not.toMatch(/[<>]/);
    expect(payload.text.startsWith(`${MENTION} `)).toBe(true);
    expect(payload.attachments[0].color).toBe('#C0392B');
  });

  it('links each top finding and the findings list when all share a region', () => {
    const sameRegion = all.filter((f) => f.region === 'us-east-1' && f.partition === 'aws');
    const digest = buildDigest(sameRegion);
    const payload = slackChannel.renderDigest(digest, noMention);
    SlackPayloadSchema.parse(payload);
    const urls = blocks(payload).flatMap((b) =>
      b.type === 'actions'
        ? b.elements.map((e) => e.url)
        : b.type === 'section' && b.accessory
          ? [b.accessory.url]
          : [],
    );
    expect(urls).toEqual([...digest.top.map((f) => f.consoleUrl), digest.consoleUrl]);
  });

  it('renders an empty digest and a digest of huge findings within limits', () => {
    SlackPayloadSchema.parse(slackChannel.renderDigest(buildDigest([]), channel));
    const huge = slackChannel.renderDigest(buildDigest(Array.from({ length: 8 }, hugeFinding)), channel);
    SlackPayloadSchema.parse(huge);
    expect(JSON.stringify(huge)).not.toContain('<!here>');
  });
});

describe('slack send', () => {
  const receiver = useReceiver(slackWebhook());
  const payload = slackChannel.render(normalisedFixture('ec2-dns-bitcoin'), channel);
  const context = sendContext();
  const hook = (path: string) =>
    SlackChannelSchema.parse({ name: 'sec-slack', type: 'slack', webhookUrl: receiver.url(path) });

  it('POSTs the payload as JSON and succeeds on 200 "ok"', async () => {
    const result = await slackChannel.send(payload, hook('/services/T1/B1/ok'), context);
    expect(result).toEqual({ attempts: 1 });
    const request = receiver.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/services/T1/B1/ok');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request.body)).toEqual(payload);
  });

  it.each([
    [400, 'invalid_payload', 'permanent'],
    [403, 'no_service', 'config'],
    [404, 'channel_not_found', 'config'],
  ] as const)('classifies HTTP %i %s as %s after one attempt, without leaking the URL', async (status, body, kind) => {
    const path = `/services/T1/B1/secret-${status}`;
    receiver.script(path, [{ status, body }]);
    const before = receiver.requests.length;
    const error = await deliveryError(slackChannel.send(payload, hook(path), context));
    expect(error).toMatchObject({ kind, details: { status, attempts: 1 } });
    expect(error.message).toContain(body);
    expect(error.message).toContain('slack "sec-slack"');
    expect(error.message).not.toContain('secret');
    expect(receiver.requests.length - before).toBe(1);
  });

  it('retries 500 and fails as retryable after the configured attempts', async () => {
    const path = '/services/T1/B1/down';
    receiver.script(path, [
      { status: 500, body: 'boom' },
      { status: 500, body: 'boom' },
      { status: 500, body: 'boom' },
    ]);
    const before = receiver.requests.length;
    const error = await deliveryError(slackChannel.send(payload, hook(path), context));
    expect(error).toMatchObject({ kind: 'retryable', details: { status: 500, attempts: 3 } });
    expect(receiver.requests.length - before).toBe(3);
  });

  it('succeeds on a retry after a 429', async () => {
    const path = '/services/T1/B1/busy';
    receiver.script(path, [{ status: 429, body: 'rate_limited', headers: { 'retry-after': '0' } }]);
    await expect(slackChannel.send(payload, hook(path), context)).resolves.toEqual({ attempts: 2 });
  });
});
