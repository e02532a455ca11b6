import { describe, expect, it } from 'vitest';
import { TeamsChannelSchema } from '../../src/channels/teams.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { buildDigest } from '../../src/route/digest.js';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  TEAMS_MAX_BYTES,
  TeamsPayloadSchema,
  teamsChannel,
  teamsPayloadBytes,
  type CardElement,
  type TeamsPayload,
} from '../../src/channels/teams.js';
import { deliveryError, sendContext } from '../helpers/channel.js';
import { fixtureNames, normalisedFixture } from '../helpers/fixtures.js';
import { expectGolden } from '../helpers/golden.js';
import { teamsWorkflow } from '../../../harness/teams.mjs';
import { useReceiver, type Reply } from '../helpers/receiver.js';

const channel = TeamsChannelSchema.parse({
  name: 'sec-teams',
  type: 'teams',
  webhookUrl: 'https://example.invalid/workflows/abc',
});

/** Every string a Teams client renders as Markdown (TextBlock text, fact titles and values). */
function renderedTexts(elements: readonly CardElement[]): string[] {
  return elements.flatMap((el): string[] => {
    switch (el.type) {
      case 'TextBlock':
        return [el.text];
      case 'FactSet':
        return el.facts.flatMap((f) => [f.title, f.value]);
      case 'Container':
        return renderedTexts(el.items);
      default:
        return [];
    }
  });
}

/** Every URL a user can open from the card. */
function cardUrls(payload: TeamsPayload): string[] {
  const card = payload.attachments[0].content;
  const nested = (elements: readonly CardElement[]): string[] =>
    elements.flatMap((el) =>
      el.type === 'ActionSet' ? el.actions.map((a) => a.url) : el.type === 'Container' ? nested(el.items) : [],
    );
  return [...card.actions.map((a) => a.url), ...nested(card.body)];
}

/** `_` between two ASCII letters/digits cannot open or close emphasis. */
function intraword(text: string, i: number): boolean {
  return /[A-Za-z0-9]/.test(text[i - 1] ?? '') && /[A-Za-z0-9]/.test(text[i + 1] ?? '');
}

/**
 * Markup a Teams client could act on in finding text: markup characters, `](`
 * and character references not behind an escaping backslash, block markers at
 * a line start. `*` is left out: the card's own labels use `**bold**`.
 */
function unescapedMarkup(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') i++;
    else if ('[]<>`~|@{}'.includes(ch) || (ch === '_' && !intraword(text, i))) found.push(ch);
    else if (ch === '&' && /^&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(text.slice(i))) found.push('&entity;');
  }
  if (text.includes('](')) found.push('](');
  for (const line of text.split('\n')) {
    if (/^\s*([-+=#](\s|$|[-+=#])|\d+[.)](\s|$))/.test(line)) found.push(`line start: ${line.slice(0, 10)}`);
  }
  return found;
}

function allFixtures(): NormalisedFinding[] {
  return fixtureNames().map(normalisedFixture);
}

describe.each(fixtureNames())('Teams card for fixture %s', (name) => {
  const finding = normalisedFixture(name);
  const payload = teamsChannel.render(finding, channel);

  it('matches the golden file', () => {
    expectGolden(`teams/${name}.json`, payload);
  });

  it('is a Workflows message with one Adaptive Card 1.4 attachment, full width', () => {
    expect(payload.type).toBe('message');
    expect(payload.attachments).toHaveLength(1);
    const [attachment] = payload.attachments;
    expect(attachment.contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    expect(attachment.contentUrl).toBeNull();
    expect(attachment.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4', msteams: { width: 'Full' } });
    expect(attachment.content.$schema).toMatch(/^https?:\/\/adaptivecards\.io\/schemas\/adaptive-card\.json$/);
  });

  it('fits the Teams size budget', () => {
    expect(teamsPayloadBytes(payload)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
  });

  it('links only to the console deep link', () => {
    expect(cardUrls(payload)).toEqual([
      ...(finding.consoleUrl ? [finding.consoleUrl] : []),
      ...finding.nextSteps.map((s) => s.url),
    ]);
  });

  it('shows severity, title, account, region and resource', () => {
    const texts = renderedTexts(payload.attachments[0].content.body).join('\n');
    expect(texts).toContain(`${finding.severity.band} ${finding.severity.score.toFixed(1)}`);
    expect(texts).toContain(finding.account.id);
    expect(texts).toContain(finding.region);
    expect(texts).toContain(finding.resource.label);
  });

  it('leaves no finding text able to form links, mentions or HTML', () => {
    for (const text of renderedTexts(payload.attachments[0].content.body)) {
      expect(unescapedMarkup(text)).toEqual([]);
    }
  });

  it('is pure: rendering twice gives the same payload', () => {
    expect(teamsChannel.render(finding, channel)).toEqual(payload);
  });
});

describe('Teams card content', () => {
  it('marks samples, updates and archived findings in the header', () => {
    const header = (f: NormalisedFinding): string =>
      JSON.stringify(teamsChannel.render(f, channel).attachments[0].content.body[0]);
    expect(header(normalisedFixture('sample-finding'))).toContain('SAMPLE');
    expect(header(normalisedFixture('archived-finding'))).toContain('ARCHIVED');
    expect(header(normalisedFixture('update-finding'))).toContain('Updated finding');
    expect(header(normalisedFixture('minimal'))).toContain('New finding');
  });

  it('colours the header by band', () => {
    const base = normalisedFixture('minimal');
    const style = (band: NormalisedFinding['severity']['band']): unknown =>
      teamsChannel.render({ ...base, severity: { score: 5, raw: 5, band } }, channel).attachments[0].content.body[0];
    expect(style('CRITICAL')).toMatchObject({ type: 'Container', style: 'attention' });
    expect(style('HIGH')).toMatchObject({ style: 'warning' });
    expect(style('MEDIUM')).toMatchObject({ style: 'emphasis' });
    expect(style('LOW')).toMatchObject({ style: 'accent' });
  });

  it('renders hostile finding text inert', () => {
    const payload = teamsChannel.render(normalisedFixture('hostile'), channel);
    const json = JSON.stringify(payload);
    // Strings as the JSON carries them: each markup character sits behind a backslash (doubled in JSON).
    expect(json).not.toMatch(/[^\\]\[click\]\(https/);
    expect(json).not.toContain('<at>');
    expect(json).not.toContain('<script>');
    expect(json).toContain('\\\\[click\\\\]\\\\(https:\\\\/\\\\/evil.example)');
    expect(json).not.toContain('msteams":{"entities');
    expect(cardUrls(payload).slice(0, 1)).toEqual([normalisedFixture('hostile').consoleUrl]);
    // Fact values and the title carry only finding text, so not even `*` may stay unescaped there.
    const body = payload.attachments[0].content.body;
    const facts = body.flatMap((el) => (el.type === 'FactSet' ? el.facts.map((f) => f.value) : []));
    const header = body[0]?.type === 'Container' ? body[0].items : [];
    const title = header[1]?.type === 'TextBlock' ? header[1].text : '';
    for (const text of [...facts, title]) expect(text).not.toMatch(/(^|[^\\])(\\\\)*\*/);
  });
});

/** A finding whose every attacker-sized part is as long as the normaliser allows, in 4-byte characters. */
function hugeFinding(): NormalisedFinding {
  const base = normalisedFixture('ec2-ssh-bruteforce');
  const big = '💀[x](https://evil.example)'.repeat(80).slice(0, 2_000);
  const fields = Array.from({ length: 200 }, (_, i) => ({ label: `Field ${i}`, value: big }));
  return {
    ...base,
    title: big.slice(0, 500),
    description: `${big}\n${big}`.slice(0, 2_000),
    resource: { ...base.resource, id: big, fields },
    action: { ...base.action, fields },
    actor: { ...base.actor, userAgent: big, caller: big, domain: big },
  };
}

describe('Teams size limits', () => {
  it('shrinks a finding with huge fields to fit, keeping the header and the console button', () => {
    const finding = hugeFinding();
    const payload = teamsChannel.render(finding, channel);
    expect(teamsPayloadBytes(payload)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    const card = payload.attachments[0].content;
    expect(JSON.stringify(card.body[0])).toContain(finding.severity.band);
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in GuardDuty console', url: finding.consoleUrl },
      ...finding.nextSteps.map((step) => ({ type: 'Action.OpenUrl', title: step.label, url: step.url })),
    ]);
    expect(JSON.stringify(card)).toContain('more'); // facts beyond the budget are counted, not silently dropped
    for (const text of renderedTexts(card.body)) expect(unescapedMarkup(text)).toEqual([]);
  });

  it('shrinks a digest of huge findings across many accounts to fit', () => {
    const findings = Array.from({ length: 300 }, (_, i) => {
      const f = hugeFinding();
      return {
        ...f,
        id: `${f.id}${i}`,
        type: { ...f.type, full: `${'Recon:EC2/'.padEnd(400, 'x')}${i % 12}` },
        account: { id: String(100000000000 + i), name: `account-${'n'.repeat(100)}-${i}` },
      };
    });
    const payload = teamsChannel.renderDigest(buildDigest(findings), channel);
    expect(teamsPayloadBytes(payload)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expect(JSON.stringify(payload)).toContain('GuardDuty digest: 300 findings');
  });
});

describe('Teams digest', () => {
  const findings = allFixtures();
  const digest = buildDigest(findings);
  const payload = teamsChannel.renderDigest(digest, channel);

  it('matches the golden file', () => {
    expectGolden('teams/digest-all-fixtures.json', payload);
  });

  it('shows counts by band, top types and the most severe findings with their links', () => {
    const texts = renderedTexts(payload.attachments[0].content.body).join('\n');
    expect(texts).toContain(`GuardDuty digest: ${findings.length} findings`);
    for (const band of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const) expect(texts).toContain(band);
    expect(texts).toContain('Top finding types');
    const top = digest.top.map((f) => f.consoleUrl).filter((u): u is string => u !== null);
    expect(cardUrls(payload)).toEqual([...(digest.consoleUrl ? [digest.consoleUrl] : []), ...top]);
  });

  it('fits and escapes', () => {
    expect(teamsPayloadBytes(payload)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    for (const text of renderedTexts(payload.attachments[0].content.body)) expect(unescapedMarkup(text)).toEqual([]);
  });

  it('renders a digest of one minimal finding', () => {
    expectGolden(
      'teams/digest-minimal.json',
      teamsChannel.renderDigest(buildDigest([normalisedFixture('minimal')]), channel),
    );
  });
});

// The Workflows stand-in (202, 400, 413 over 28 KB) is harness/teams.mjs; scripted failures come first.
const WORKFLOW_PATH = '/workflows/7f3a/triggers/manual/paths/invoke';

/** A scripted failure, with the body Workflows send for a rate limit. */
function failure(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: status === 429 ? 'Rate limit is exceeded.' : 'error' };
}

const receiver = useReceiver(teamsWorkflow());

describe('Teams delivery to a local Workflows receiver', () => {
  const liveChannel = () =>
    TeamsChannelSchema.parse({
      name: 'sec-teams',
      type: 'teams',
      webhookUrl: receiver.url(`${WORKFLOW_PATH}?sig=SECRET-SIG`),
    });

  it('posts the card as UTF-8 JSON and succeeds on 202 Accepted', async () => {
    const payload = teamsChannel.render(normalisedFixture('hostile'), liveChannel());
    const result = await teamsChannel.send(payload, liveChannel(), sendContext());
    expect(result).toEqual({ attempts: 1 });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual(payload);
  });

  it('delivers a digest', async () => {
    const payload = teamsChannel.renderDigest(buildDigest(allFixtures()), liveChannel());
    await expect(teamsChannel.send(payload, liveChannel(), sendContext())).resolves.toEqual({ attempts: 1 });
  });

  it('treats a refused (malformed) card as permanent and does not retry', async () => {
    const malformed = { type: 'message', attachments: [] } as unknown as TeamsPayload;
    const error = await deliveryError(teamsChannel.send(malformed, liveChannel(), sendContext()));
    expect(error.kind).toBe('permanent');
    expect(error.details).toMatchObject({ status: 400, attempts: 1 });
    expect(receiver.requests).toHaveLength(1);
  });

  it('treats 404 (workflow deleted) as a config problem and keeps the URL out of the message', async () => {
    receiver.script(WORKFLOW_PATH, [failure(404)]);
    const error = await deliveryError(
      teamsChannel.send(teamsChannel.render(normalisedFixture('minimal'), channel), liveChannel(), sendContext()),
    );
    expect(error.kind).toBe('config');
    expect(error.message).toContain('teams "sec-teams"');
    expect(error.message).not.toContain('SECRET-SIG');
    expect(error.message).not.toContain('127.0.0.1');
  });

  it('waits the Retry-After of a 429, then delivers', async () => {
    receiver.script(WORKFLOW_PATH, [failure(429, { 'retry-after': '2' })]);
    const sleeps: number[] = [];
    const result = await teamsChannel.send(
      teamsChannel.render(normalisedFixture('minimal'), channel),
      liveChannel(),
      sendContext(sleeps),
    );
    expect(result).toEqual({ attempts: 2 });
    expect(sleeps).toEqual([2_000]);
    expect(receiver.requests).toHaveLength(2);
  });

  it('gives up at once when Retry-After exceeds the policy, so the pair is re-queued with that delay', async () => {
    receiver.script(WORKFLOW_PATH, [failure(429, { 'retry-after': '60' })]);
    const sleeps: number[] = [];
    const error = await deliveryError(
      teamsChannel.send(teamsChannel.render(normalisedFixture('minimal'), channel), liveChannel(), sendContext(sleeps)),
    );
    expect(error.kind).toBe('retryable');
    expect(error.details).toMatchObject({ status: 429, retryAfterSeconds: 60, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx up to the policy, then reports retryable', async () => {
    receiver.script(WORKFLOW_PATH, [failure(500), failure(502), failure(503)]);
    const error = await deliveryError(
      teamsChannel.send(teamsChannel.render(normalisedFixture('minimal'), channel), liveChannel(), sendContext()),
    );
    expect(error.kind).toBe('retryable');
    expect(error.details).toMatchObject({ status: 503, attempts: 3 });
    expect(receiver.requests).toHaveLength(3);
  });

  it('every fixture card is accepted by the receiver', async () => {
    for (const finding of allFixtures()) {
      await teamsChannel.send(teamsChannel.render(finding, channel), liveChannel(), sendContext());
    }
    expect(receiver.requests).toHaveLength(fixtureNames().length);
  });
});

describe('TeamsPayloadSchema', () => {
  it("accepts every fixture's card and every digest, and refuses a card over the size budget", () => {
    for (const finding of allFixtures()) TeamsPayloadSchema.parse(teamsChannel.render(finding, channel));
    TeamsPayloadSchema.parse(teamsChannel.renderDigest(buildDigest(allFixtures()), channel));
    TeamsPayloadSchema.parse(teamsChannel.renderDigest(buildDigest([]), channel));
    const card = teamsChannel.render(normalisedFixture('minimal'), channel);
    const content = card.attachments[0].content;
    const huge = { type: 'TextBlock', text: 'x'.repeat(TEAMS_MAX_BYTES), wrap: true } as const;
    const over = { ...card, attachments: [{ ...card.attachments[0], content: { ...content, body: [huge] } }] };
    expect(TeamsPayloadSchema.safeParse(over).success).toBe(false);
    expect(TeamsPayloadSchema.safeParse({ ...card, type: 'card' }).success).toBe(false);
  });
});
