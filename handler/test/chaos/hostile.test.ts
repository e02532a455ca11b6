import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFindingEvent } from '../../src/batch/envelope.js';
import { EmailPayloadSchema } from '../../src/channels/email.js';
import { GoogleChatPayloadSchema } from '../../src/channels/googleChat.js';
import { PD_SUMMARY_MAX } from '../../src/channels/pagerduty.js';
import { CHANNEL_TYPES, descriptorFor } from '../../src/channels/registry.js';
import { SlackPayloadSchema } from '../../src/channels/slack.js';
import { SnsPayloadSchema } from '../../src/channels/sns.js';
import { TEAMS_MAX_BYTES } from '../../src/channels/teams.js';
import { SIGNATURE_HEADER, signWebhookBody } from '../../src/channels/webhook.js';
import { ChannelSchema, type Channel, type ChannelType } from '../../src/config/schema.js';
import type { FindingEvent } from '../../src/finding/schema.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { NEXT_STEP_URLS } from '../../src/finding/nextSteps.js';
import { normaliseFinding } from '../../src/finding/normalise.js';
import { buildDigest, type Digest } from '../../src/route/digest.js';
import { fixtureNames, rawFixture } from '../helpers/fixtures.js';
import {
  ARABIC_LETTER_MARK,
  forbiddenChar,
  INJECTIONS,
  KEEP_KEYS,
  hostileCopy,
  replaceableLeaves,
  strings,
  type Injection,
} from './corpus.js';

/*
 * Hostile content: every injection string in every attacker-influenced field
 * of every fixture (ids, account ids, regions, timestamps, partition and type
 * stay valid), parsed and normalised as the handler does, rendered for every
 * channel, one finding at a time and as a digest. Each channel's payload must
 * neutralise all of it in its own markup, stay within its limits, carry no
 * invisible or control characters, and link only to the AWS console.
 */

const HMAC_SECRET = 'chaos-hmac-secret-0123456789abcdef';
const CHANNELS: Record<ChannelType, Channel> = {
  slack: ChannelSchema.parse({
    name: 'slack',
    type: 'slack',
    webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX',
  }),
  teams: ChannelSchema.parse({
    name: 'teams',
    type: 'teams',
    webhookUrl: 'https://example.webhook.office.com/workflows/x',
  }),
  googleChat: ChannelSchema.parse({
    name: 'chat',
    type: 'googleChat',
    webhookUrl: 'https://chat.googleapis.com/v1/spaces/A/messages?key=k&token=t',
  }),
  email: ChannelSchema.parse({
    name: 'email',
    type: 'email',
    smtp: { host: 'smtp.example.com' },
    from: 'GuardDuty <gd@example.com>',
    to: ['sec@example.com'],
  }),
  sns: ChannelSchema.parse({ name: 'sns', type: 'sns', topicArn: 'arn:aws:sns:us-east-1:111122223333:guardduty' }),
  pagerduty: ChannelSchema.parse({
    name: 'pd',
    type: 'pagerduty',
    routingKey: 'R0UT1NGKEY0000000000000000000000',
    resolveOnArchive: false,
  }),
  webhook: ChannelSchema.parse({
    name: 'siem',
    type: 'webhook',
    url: 'https://siem.example.com/in',
    hmacSecret: HMAC_SECRET,
  }),
};
const SLACK_WITH_MENTION = ChannelSchema.parse({
  name: 'slack2',
  type: 'slack',
  webhookUrl: 'https://hooks.slack.com/services/T000/B000/YYYY',
  mention: '<!here>',
});
const TYPES = CHANNEL_TYPES;

/** The only links any payload may carry: GuardDuty console pages built from validated ids. */
const CONSOLE_URL =
  /^https:\/\/(?:[a-z]{2}(?:-[a-z]+)+-\d{1,2}\.console\.aws\.amazon\.com|console\.amazonaws-us-gov\.com|console\.amazonaws\.cn)\/guardduty\/home\?region=[a-z]{2}(?:-[a-z]+)+-\d{1,2}#\/findings\?macros=current(?:&fId=[A-Za-z0-9_-]{1,128})?$/;
/** A console page, or one of the fixed AWS documentation pages of the next-steps table. */
const isAllowedLink = (url: string) => CONSOLE_URL.test(url) || NEXT_STEP_URLS.has(url);
const URL_KEYS = /(?:^|\.)(url|href|client_url|consoleUrl)$/;
const TAG = /<\/?[A-Za-z!][^<>]*>/g;

function event(name: string, replace: (s: string) => string, keep = KEEP_KEYS): FindingEvent {
  const parsed = parseFindingEvent(hostileCopy(rawFixture(name), replace, keep));
  if (!parsed.ok) throw new Error(`${name}: the hostile copy is no longer a finding: ${parsed.reason}`);
  return parsed.event;
}

const render = (type: ChannelType, finding: NormalisedFinding, channel: Channel = CHANNELS[type]) =>
  descriptorFor(channel).render(finding, channel);
const renderDigest = (type: ChannelType, digest: Digest) =>
  descriptorFor(CHANNELS[type]).renderDigest(digest, CHANNELS[type]);

// --- Template tags: everything the renderers' own markup can contain -------------

const universe = { email: new Set<string>(), chat: new Set<string>() };

/** HTML slots of a Google Chat card (the rest is plain text). */
function chatSlots(payload: unknown): { html: string[]; plain: string[]; urls: string[] } {
  const html: string[] = [];
  const plain: string[] = [];
  const urls: string[] = [];
  const p = payload as {
    text: string;
    cardsV2: Array<{
      card: {
        header: { title: string; subtitle?: string };
        sections: Array<{ header?: string; widgets: Array<Record<string, any>> }>;
      };
    }>;
  };
  plain.push(p.text, p.cardsV2[0]!.card.header.title, p.cardsV2[0]!.card.header.subtitle ?? '');
  for (const section of p.cardsV2[0]!.card.sections) {
    if (section.header) html.push(section.header);
    for (const w of section.widgets) {
      if (w.textParagraph) html.push(w.textParagraph.text);
      if (w.decoratedText) {
        html.push(w.decoratedText.text);
        plain.push(w.decoratedText.topLabel ?? '', w.decoratedText.bottomLabel ?? '');
        if (w.decoratedText.button) {
          plain.push(w.decoratedText.button.text);
          urls.push(w.decoratedText.button.onClick.openLink.url);
        }
      }
      for (const b of w.buttonList?.buttons ?? []) {
        plain.push(b.text);
        urls.push(b.onClick.openLink.url);
      }
    }
  }
  return { html, plain, urls };
}

function learnTemplates(finding: NormalisedFinding | Digest, digest: boolean): void {
  const email = (digest ? renderDigest('email', finding as Digest) : render('email', finding as NormalisedFinding)) as {
    html: string;
  };
  for (const tag of email.html.match(TAG) ?? []) universe.email.add(tag);
  const chat = digest
    ? renderDigest('googleChat', finding as Digest)
    : render('googleChat', finding as NormalisedFinding);
  for (const slot of chatSlots(chat).html) for (const tag of slot.match(TAG) ?? []) universe.chat.add(tag);
}

beforeAll(() => {
  // Benign text in the same fields, short and long (so every detail level's markup is seen).
  for (const replacement of [(s: string) => s, () => 'x', () => 'benign value '.repeat(5_000)]) {
    const findings = fixtureNames().map((name) => normaliseFinding(event(name, replacement), 'prod-payments'));
    for (const f of findings) learnTemplates(f, false);
    learnTemplates(buildDigest(findings), true);
    learnTemplates(
      buildDigest(findings.filter((f) => f.partition === 'aws' && f.region === findings[0]!.region)),
      true,
    );
  }
});

// --- Per-channel checks ------------------------------------------------------------

/** Special characters not preceded by an odd number of backslashes. */
function unescaped(text: string, specials: string): string[] {
  const found: string[] = [];
  let backslashes = 0;
  for (const ch of text) {
    if (ch === '\\') {
      backslashes += 1;
      continue;
    }
    if (specials.includes(ch) && backslashes % 2 === 0) found.push(ch);
    backslashes = 0;
  }
  return found;
}

function htmlProblems(where: string, html: string, allowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const tag of html.match(TAG) ?? [])
    if (!allowed.has(tag)) problems.push(`${where}: tag not from the template: ${tag.slice(0, 80)}`);
  const text = html.replace(TAG, '');
  if (/[<>]/.test(text))
    problems.push(
      `${where}: raw < or > outside tags: …${text.slice(Math.max(0, text.search(/[<>]/) - 30), text.search(/[<>]/) + 30)}…`,
    );
  if (/&(?!(?:amp|lt|gt|quot|#39|nbsp);)/.test(text)) problems.push(`${where}: a bare & or foreign entity`);
  for (const m of html.matchAll(/\bhref="([^"]*)"/g))
    if (!isAllowedLink(m[1]!.replaceAll('&amp;', '&'))) problems.push(`${where}: link to ${m[1]}`);
  if (/\son[a-z]+=/i.test((html.match(TAG) ?? []).join(''))) problems.push(`${where}: an event-handler attribute`);
  return problems;
}

const slackTexts = (payload: unknown): Array<{ type: string; text: string }> => {
  const out: Array<{ type: string; text: string }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string')
        out.push({ type: o.type, text: o.text });
      Object.values(o).forEach(walk);
    }
  };
  walk(payload);
  return out;
};

function check(
  type: ChannelType,
  payload: unknown,
  expected: { finding?: NormalisedFinding; digest?: Digest },
  mention?: string,
): string[] {
  const problems: string[] = [];
  // Common to all: no invisible/control characters anywhere, only console links.
  const all = type === 'webhook' ? strings(JSON.parse((payload as { body: string }).body)) : strings(payload);
  for (const s of all) {
    const bad = forbiddenChar(s.value);
    if (bad) problems.push(`${s.path}: U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
    if (URL_KEYS.test(s.path) && !isAllowedLink(s.value)) problems.push(`${s.path}: link to ${s.value.slice(0, 80)}`);
  }
  switch (type) {
    case 'slack': {
      const parsed = SlackPayloadSchema.safeParse(payload);
      if (!parsed.success) problems.push(`slack: outside Block Kit limits: ${parsed.error.issues[0]?.message}`);
      const top = (payload as { text: string }).text;
      const texts = [
        ...slackTexts(payload),
        { type: 'mrkdwn', text: mention && top.startsWith(mention) ? top.slice(mention.length) : top },
      ];
      for (const { type: kind, text } of texts) {
        if (/[<>]/.test(text)) problems.push(`slack ${kind}: raw < or >: ${text.slice(0, 120)}`);
        if (kind === 'mrkdwn') {
          if (/&(?!(?:amp|lt|gt);)/.test(text)) problems.push('slack mrkdwn: a bare & or foreign entity');
          if (/@(channel|here|everyone)\b/i.test(text.replace(/`[^`]*`/g, '')))
            problems.push(`slack mrkdwn: a mention word outside code: ${text.slice(0, 120)}`);
        }
      }
      break;
    }
    case 'teams': {
      const bytes = Buffer.byteLength(JSON.stringify(payload), 'utf8');
      if (bytes > TEAMS_MAX_BYTES) problems.push(`teams: ${bytes} bytes`);
      for (const s of strings(payload)) {
        if (!/\.(text|title|value)$/.test(s.path) || /\$schema|contentType/.test(s.path)) continue;
        if (s.path.endsWith('actions[0].title')) continue;
        const raw = unescaped(s.value, '<>[]');
        if (raw.length > 0) problems.push(`teams ${s.path}: unescaped ${raw.join('')} in ${s.value.slice(0, 120)}`);
        if (s.value.includes('](')) problems.push(`teams ${s.path}: a Markdown link`);
        if (s.value.includes('://')) problems.push(`teams ${s.path}: a linkable URL`);
        if (/(^|[^\\])<at\b/i.test(s.value)) problems.push(`teams ${s.path}: an <at> mention`);
      }
      break;
    }
    case 'googleChat': {
      const parsed = GoogleChatPayloadSchema.safeParse(payload);
      if (!parsed.success) problems.push(`googleChat: outside Chat limits: ${parsed.error.issues[0]?.message}`);
      const slots = chatSlots(payload);
      slots.html.forEach((h, i) => void problems.push(...htmlProblems(`googleChat html[${i}]`, h, universe.chat)));
      for (const p of slots.plain)
        if (/[<>]/.test(p)) problems.push(`googleChat plain text: raw < or >: ${p.slice(0, 120)}`);
      for (const u of slots.urls) if (!isAllowedLink(u)) problems.push(`googleChat: link to ${u}`);
      break;
    }
    case 'email': {
      const parsed = EmailPayloadSchema.safeParse(payload);
      if (!parsed.success) problems.push(`email: ${parsed.error.issues[0]?.message}`);
      const p = payload as { subject: string; text: string; html: string; headers: Record<string, string> };
      if (/[\r\n]/.test(p.subject)) problems.push('email subject: CR/LF');
      for (const [k, v] of Object.entries(p.headers))
        if (!/^[\x20-\x7E]*$/.test(v)) problems.push(`email header ${k}: not printable ASCII`);
      if (p.text.includes('\r')) problems.push('email text: CR');
      problems.push(...htmlProblems('email html', p.html, universe.email));
      break;
    }
    case 'sns': {
      const parsed = SnsPayloadSchema.safeParse(payload);
      if (!parsed.success) problems.push(`sns: ${parsed.error.issues[0]?.message}`);
      const p = payload as {
        Subject: string;
        Message: string;
        MessageAttributes: Record<string, { StringValue: string }>;
      };
      if (!/^[\x20-\x7E]{1,99}$/.test(p.Subject))
        problems.push(`sns subject: not 1-99 printable ASCII: ${JSON.stringify(p.Subject)}`);
      for (const [k, v] of Object.entries(p.MessageAttributes))
        if (/[\r\n]/.test(v.StringValue)) problems.push(`sns attribute ${k}: CR/LF`);
      const bodies = JSON.parse(p.Message) as Record<string, string>;
      for (const [protocol, body] of Object.entries(bodies))
        if (body.includes('\r')) problems.push(`sns ${protocol} body: CR`);
      if (!/^[\x20-\x7E]{1,140}$/.test(bodies.sms ?? '')) problems.push('sns sms body: not 1-140 printable ASCII');
      break;
    }
    case 'pagerduty': {
      const p = payload as {
        event_action: string;
        dedup_key: string;
        payload?: { summary: string };
        links?: Array<{ href: string }>;
        client_url?: string;
      };
      if (p.event_action === 'trigger') {
        if (p.payload!.summary.length > PD_SUMMARY_MAX)
          problems.push(`pagerduty summary: ${p.payload!.summary.length} characters`);
        if (/[\r\n]/.test(p.payload!.summary)) problems.push('pagerduty summary: CR/LF');
      }
      if (expected.finding && p.dedup_key !== expected.finding.id)
        problems.push('pagerduty: dedup_key is not the finding id');
      break;
    }
    case 'webhook': {
      const p = payload as { body: string; headers: Record<string, string> };
      const want = expected.finding
        ? { version: 1, kind: 'finding', finding: expected.finding }
        : { version: 1, kind: 'digest', digest: expected.digest };
      if (!isDeepStrictEqual(JSON.parse(p.body), JSON.parse(JSON.stringify(want))))
        problems.push('webhook: the body does not round-trip to the normalised finding');
      if (p.headers[SIGNATURE_HEADER] !== signWebhookBody(p.body, HMAC_SECRET))
        problems.push('webhook: signature does not match the body');
      break;
    }
  }
  return problems;
}

/** Renders every fixture with `injection` in every replaceable field, for every channel and as a digest. */
function problemsFor(injection: Injection, options: { keep?: Set<string>; accountName?: string } = {}): string[] {
  const problems: string[] = [];
  const findings = fixtureNames().map((name) => {
    const e = event(name, () => injection.value, options.keep);
    return { name, finding: normaliseFinding(e, options.accountName ?? null) };
  });
  for (const { name, finding } of findings) {
    for (const type of TYPES)
      for (const p of check(type, render(type, finding), { finding })) problems.push(`${name} · ${type} · ${p}`);
    for (const p of check('slack', render('slack', finding, SLACK_WITH_MENTION), { finding }, '<!here> '))
      problems.push(`${name} · slack+mention · ${p}`);
  }
  const digest = buildDigest(findings.map((f) => f.finding));
  for (const type of TYPES)
    for (const p of check(type, renderDigest(type, digest), { digest })) problems.push(`digest · ${type} · ${p}`);
  return problems;
}

describe('hostile content in every attacker-controlled field, every channel', () => {
  it('the walker reaches the fields: every fixture has replaceable leaves and stays a valid finding', () => {
    for (const name of fixtureNames()) {
      expect(replaceableLeaves(rawFixture(name)), name).toBeGreaterThan(name === 'minimal' ? 1 : 5);
      expect(() => event(name, () => '<!channel>')).not.toThrow();
    }
  });

  for (const injection of INJECTIONS) {
    it(`neutralises ${injection.name}`, () => {
      expect(problemsFor(injection)).toEqual([]);
    });
  }

  it('neutralises injections in resourceType and actionType too (unknown types are shown by name)', () => {
    const keep = new Set([...KEEP_KEYS].filter((k) => k !== 'resourceType' && k !== 'actionType'));
    expect(problemsFor(INJECTIONS.find((i) => i.name === 'all at once')!, { keep })).toEqual([]);
  });

  it('neutralises a hostile account name (Organizations names are printable ASCII chosen by the member account)', () => {
    expect(
      problemsFor(
        { name: 'x', value: 'x' },
        { accountName: '<!channel> [x](https://evil.example) <script>alert(1)</script> &amp; *b* @here' },
      ),
    ).toEqual([]);
  });

  it(`strips ${ARABIC_LETTER_MARK.name} like the other bidi marks`, () => {
    expect(problemsFor(ARABIC_LETTER_MARK)).toEqual([]);
  });
});
