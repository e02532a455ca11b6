import { describe, expect, it } from 'vitest';
import {
  GOOGLE_CHAT_LIMITS,
  GoogleChatPayloadSchema,
  REPLY_OPTION,
  chatRequestId,
  digestRequestId,
  googleChatChannel,
  payloadBytes,
  postedBody,
  withReplyOption,
  type GoogleChatPayload,
} from '../../src/channels/googleChat.js';
import { GoogleChatChannelSchema } from '../../src/channels/googleChat.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { buildDigest } from '../../src/route/digest.js';
import { deliveryError, sendContext } from '../helpers/channel.js';
import { fixtureNames, normalisedFixture } from '../helpers/fixtures.js';
import { expectGolden } from '../helpers/golden.js';
import { useReceiver } from '../helpers/receiver.js';
import { googleChatWebhook } from '../../../harness/googleChat.mjs';

const WEBHOOK = 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=KEY&token=TOKEN%3D';
const channel = GoogleChatChannelSchema.parse({ name: 'sec-chat', type: 'googleChat', webhookUrl: WEBHOOK });
const unthreaded = GoogleChatChannelSchema.parse({
  name: 'flat',
  type: 'googleChat',
  webhookUrl: WEBHOOK,
  threadByFinding: false,
});

/** Strings of the fields Chat reads as HTML. */
function htmlTexts(payload: GoogleChatPayload): string[] {
  return payload.cardsV2[0].card.sections.flatMap((s) => [
    ...(s.header ? [s.header] : []),
    ...s.widgets.flatMap((w) =>
      'decoratedText' in w ? [w.decoratedText.text] : 'textParagraph' in w ? [w.textParagraph.text] : [],
    ),
  ]);
}

/** Strings Chat shows as plain text. */
function plainTexts(payload: GoogleChatPayload): string[] {
  const { header, sections } = payload.cardsV2[0].card;
  return [
    payload.text,
    header.title,
    ...(header.subtitle ? [header.subtitle] : []),
    ...sections.flatMap((s) =>
      s.widgets.flatMap((w) =>
        'decoratedText' in w
          ? [w.decoratedText.topLabel ?? '', w.decoratedText.bottomLabel ?? '', w.decoratedText.button?.text ?? '']
          : 'buttonList' in w
            ? w.buttonList.buttons.map((b) => b.text)
            : [],
      ),
    ),
  ];
}

/** Link targets anywhere in the card. */
function links(payload: GoogleChatPayload): string[] {
  return payload.cardsV2[0].card.sections.flatMap((s) =>
    s.widgets.flatMap((w) =>
      'buttonList' in w
        ? w.buttonList.buttons.map((b) => b.onClick.openLink.url)
        : 'decoratedText' in w && w.decoratedText.button
          ? [w.decoratedText.button.onClick.openLink.url]
          : [],
    ),
  );
}

/** Tags in card HTML are only the ones we write. */
const OUR_TAGS = /<(?:\/?(?:b|font)|font color="#[0-9A-F]{6}"|br)>/g;

function hugeFinding(): NormalisedFinding {
  const base = normalisedFixture('ec2-port-probe');
  const field = (i: number) => ({ label: `Field ${i}`, value: '🔥<&>'.repeat(500) });
  return {
    ...base,
    title: '<users/all> 🔥'.repeat(500),
    description: '<b>description</b> & 🔥\n'.repeat(5_000),
    resource: { ...base.resource, id: 'r'.repeat(2000), fields: Array.from({ length: 200 }, (_, i) => field(i)) },
    action: { ...base.action, fields: Array.from({ length: 200 }, (_, i) => field(i)) },
    actor: { ...base.actor, caller: 'c'.repeat(2000), userAgent: 'u'.repeat(2000), domain: 'd'.repeat(2000) },
  };
}

describe.each(fixtureNames())('render %s', (name) => {
  it('matches its golden file and Chat’s limits; finding text is escaped HTML or look-alikes', () => {
    const finding = normalisedFixture(name);
    const payload = googleChatChannel.render(finding, channel);
    GoogleChatPayloadSchema.parse(payload);
    expectGolden(`googleChat/${name}.json`, payload);
    for (const html of htmlTexts(payload)) expect(html.replace(OUR_TAGS, '')).not.toMatch(/[<>]/);
    for (const text of plainTexts(payload)) expect(text).not.toMatch(/[<>]/);
    expect(payload.thread).toEqual({ threadKey: finding.id });
    expect(links(payload)).toEqual([
      ...(finding.consoleUrl ? [finding.consoleUrl] : []),
      ...finding.nextSteps.map((s) => s.url),
    ]);
  });
});

describe('google chat render', () => {
  it('neutralises every hostile string', () => {
    const payload = googleChatChannel.render(normalisedFixture('hostile'), channel);
    const all = JSON.stringify(payload);
    for (const attack of ['<!channel>', '<script', '<img', '<https://evil.example|click>', '"><b> [click]'])
      expect(all).not.toContain(attack);
    expect(all).toContain('&quot;&gt;&lt;b&gt; [click]');
    expect(htmlTexts(payload).join('\n')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(payload.cardsV2[0].card.header.title).toContain('‹!channel›');
    expect(links(payload)).toEqual([
      normalisedFixture('hostile').consoleUrl,
      ...normalisedFixture('hostile').nextSteps.map((s) => s.url),
    ]);
  });

  it('keeps the notification line free of the prose title and of Chat markup', () => {
    const payload = googleChatChannel.render(normalisedFixture('hostile'), channel);
    expect(payload.text).toBe(
      'HIGH 8.0 GuardDuty finding UnauthorizedAccess:EC2/MaliciousIPCaller.Custom in 444455556666 us-east-1',
    );
    const mention = googleChatChannel.render(
      { ...normalisedFixture('minimal'), type: { ...normalisedFixture('minimal').type, full: '<users/all> *x*' } },
      channel,
    );
    expect(mention.text).toContain('‹users/all› ∗x∗');
  });

  it('colours the band and marks samples, updates and archived findings', () => {
    const payload = googleChatChannel.render(normalisedFixture('sample-finding'), channel);
    const severity = payload.cardsV2[0].card.sections[0]?.widgets[0];
    expect(severity).toEqual({
      decoratedText: {
        topLabel: 'Severity',
        text: '<font color="#E67E22"><b>HIGH 8.0</b></font>',
        bottomLabel: 'SAMPLE',
        wrapText: true,
      },
    });
    expect(payload.cardsV2[0].card.header.title).toMatch(/^\[SAMPLE\] HIGH 8\.0 · /);
    expect(
      googleChatChannel.render(normalisedFixture('update-finding'), channel).cardsV2[0].card.header.title,
    ).toContain('[UPDATE]');
    expect(
      googleChatChannel.render(normalisedFixture('archived-finding'), channel).cardsV2[0].card.header.title,
    ).toContain('[ARCHIVED]');
  });

  it('omits the thread without threadByFinding', () => {
    expect(googleChatChannel.render(normalisedFixture('minimal'), unthreaded).thread).toBeUndefined();
  });

  it('skips the button when there is no console link', () => {
    const finding = normalisedFixture('minimal');
    const payload = googleChatChannel.render({ ...finding, consoleUrl: null }, channel);
    GoogleChatPayloadSchema.parse(payload);
    // The next steps stay: fixed AWS documentation pages.
    expect(links(payload)).toEqual(finding.nextSteps.map((s) => s.url));
    expect(JSON.stringify(payload)).toContain('No GuardDuty console link');
  });

  it('fits a huge finding into 32,000 bytes and 100 widgets, truncating with an ellipsis', () => {
    const payload = googleChatChannel.render(hugeFinding(), channel);
    GoogleChatPayloadSchema.parse(payload);
    expect(payloadBytes(payload)).toBeLessThanOrEqual(GOOGLE_CHAT_LIMITS.messageBytes);
    expect(payload.cardsV2[0].card.header.title.length).toBeLessThanOrEqual(GOOGLE_CHAT_LIMITS.headerText);
    expect(payload.cardsV2[0].card.header.title.endsWith('…')).toBe(true);
    expect(JSON.stringify(payload)).toMatch(/… \d+ more in the console/);
    expect(JSON.stringify(payload)).not.toContain('<users/all>');
  });
});

describe('google chat digest', () => {
  const all = fixtureNames().map(normalisedFixture);

  it('matches its golden file over every fixture, unthreaded and within limits', () => {
    const payload = googleChatChannel.renderDigest(buildDigest(all), channel);
    GoogleChatPayloadSchema.parse(payload);
    expectGolden('googleChat/digest.json', payload);
    expect(payload.thread).toBeUndefined();
    for (const html of htmlTexts(payload)) expect(html.replace(OUR_TAGS, '')).not.toMatch(/[<>]/);
    for (const text of plainTexts(payload)) expect(text).not.toMatch(/[<>]/);
  });

  it('links each top finding and the findings list when all share a region', () => {
    const digest = buildDigest(all.filter((f) => f.region === 'eu-west-1'));
    const payload = googleChatChannel.renderDigest(digest, channel);
    expect(links(payload)).toEqual([...digest.top.map((f) => f.consoleUrl), digest.consoleUrl]);
  });

  it('renders empty and huge digests within limits', () => {
    GoogleChatPayloadSchema.parse(googleChatChannel.renderDigest(buildDigest([]), channel));
    const huge = googleChatChannel.renderDigest(buildDigest(Array.from({ length: 50 }, hugeFinding)), channel);
    GoogleChatPayloadSchema.parse(huge);
    expect(payloadBytes(huge)).toBeLessThanOrEqual(GOOGLE_CHAT_LIMITS.messageBytes);
  });
});

describe('withReplyOption', () => {
  it('appends the reply option and keeps key and token byte for byte', () => {
    expect(withReplyOption(WEBHOOK)).toBe(`${WEBHOOK}&${REPLY_OPTION}`);
  });

  it('handles URLs without a query, with a trailing separator and with a fragment', () => {
    expect(withReplyOption('https://chat.example/x')).toBe(`https://chat.example/x?${REPLY_OPTION}`);
    expect(withReplyOption('https://chat.example/x?')).toBe(`https://chat.example/x?${REPLY_OPTION}`);
    expect(withReplyOption('https://chat.example/x?a=1#f')).toBe(`https://chat.example/x?a=1&${REPLY_OPTION}#f`);
  });

  it('leaves a reply option the user already chose', () => {
    const url = 'https://chat.example/x?key=k&messageReplyOption=REPLY_MESSAGE_OR_FAIL';
    expect(withReplyOption(url)).toBe(url);
  });
});

describe('google chat send', () => {
  const receiver = useReceiver(googleChatWebhook());
  const finding = normalisedFixture('ec2-dns-bitcoin');
  const context = sendContext();
  const space = (path: string, threadByFinding = true) =>
    GoogleChatChannelSchema.parse({
      name: 'sec-chat',
      type: 'googleChat',
      webhookUrl: receiver.url(path),
      threadByFinding,
    });

  it('POSTs a threaded message with the reply option added to the key and token', async () => {
    const target = space('/v1/spaces/AAAA/messages?key=K-1&token=T%3D%3D');
    const payload = googleChatChannel.render(finding, target);
    await expect(googleChatChannel.send(payload, target, context)).resolves.toEqual({ attempts: 1 });
    const request = receiver.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(
      `/v1/spaces/AAAA/messages?key=K-1&token=T%3D%3D&${REPLY_OPTION}&requestId=${chatRequestId(finding, target)}`,
    );
    expect(request.headers['content-type']).toBe('application/json; charset=UTF-8');
    const body = JSON.parse(request.body) as GoogleChatPayload;
    expect(body).toEqual(postedBody(payload));
    expect(body).not.toHaveProperty('requestId');
    expect(body.thread).toEqual({ threadKey: finding.id });
  });

  it('adds only the request id for unthreaded messages and digests', async () => {
    const target = space('/v1/spaces/BBBB/messages?key=K&token=T', false);
    await googleChatChannel.send(googleChatChannel.render(finding, target), target, context);
    expect(receiver.requests.at(-1)!.path).toBe(
      `/v1/spaces/BBBB/messages?key=K&token=T&requestId=${chatRequestId(finding, target)}`,
    );
    const threaded = space('/v1/spaces/CCCC/messages?key=K&token=T');
    const digest = buildDigest([finding]);
    await googleChatChannel.send(googleChatChannel.renderDigest(digest, threaded), threaded, context);
    expect(receiver.requests.at(-1)!.path).toBe(
      `/v1/spaces/CCCC/messages?key=K&token=T&requestId=${digestRequestId(digest, threaded)}`,
    );
  });

  it.each([
    [400, '{"error":{"code":400,"status":"INVALID_ARGUMENT"}}', 'permanent'],
    [403, '{"error":{"code":403,"status":"PERMISSION_DENIED"}}', 'config'],
    [404, '{"error":{"code":404,"status":"NOT_FOUND"}}', 'config'],
  ] as const)(
    'classifies HTTP %i as %s after one attempt, without leaking the key or token',
    async (status, body, kind) => {
      const path = `/v1/spaces/E${status}/messages`;
      receiver.script(path, [{ status, body }]);
      const target = space(`${path}?key=SECRETKEY&token=SECRETTOKEN`);
      const before = receiver.requests.length;
      const error = await deliveryError(
        googleChatChannel.send(googleChatChannel.render(finding, target), target, context),
      );
      expect(error).toMatchObject({ kind, details: { status, attempts: 1 } });
      expect(error.message).toContain('googleChat "sec-chat"');
      expect(error.message).not.toMatch(/SECRET/);
      expect(receiver.requests.length - before).toBe(1);
    },
  );

  it('retries 500 and fails as retryable after the configured attempts', async () => {
    const path = '/v1/spaces/DOWN/messages';
    receiver.script(path, [{ status: 500 }, { status: 503 }, { status: 500 }]);
    const target = space(`${path}?key=K&token=T`);
    const before = receiver.requests.length;
    const error = await deliveryError(
      googleChatChannel.send(googleChatChannel.render(finding, target), target, context),
    );
    expect(error).toMatchObject({ kind: 'retryable', details: { status: 500, attempts: 3 } });
    expect(receiver.requests.length - before).toBe(3);
  });
});

describe('google chat request id', () => {
  const finding = normalisedFixture('ec2-dns-bitcoin');
  const named = (name: string) => GoogleChatChannelSchema.parse({ name, type: 'googleChat', webhookUrl: WEBHOOK });

  it('is a UUID-shaped id per finding version and channel, stable across renders', () => {
    const id = chatRequestId(finding, channel);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(googleChatChannel.render(finding, channel).requestId).toBe(id);
    expect(chatRequestId({ ...finding }, channel)).toBe(id);
    // An update is a new message; so is the same finding on another channel.
    expect(chatRequestId({ ...finding, updatedAt: '2099-01-01T00:00:00.000Z' }, channel)).not.toBe(id);
    expect(chatRequestId({ ...finding, id: 'f'.repeat(32) }, channel)).not.toBe(id);
    expect(chatRequestId(finding, named('other-space'))).not.toBe(id);
  });

  it('derives a digest id from the findings it covers, in any order', () => {
    const all = fixtureNames().map(normalisedFixture);
    const id = googleChatChannel.renderDigest(buildDigest(all), channel).requestId;
    expect(id).toBe(digestRequestId(buildDigest([...all].reverse()), channel));
    expect(digestRequestId(buildDigest(all.slice(1)), channel)).not.toBe(id);
    GoogleChatPayloadSchema.parse(googleChatChannel.renderDigest(buildDigest(all), channel));
  });
});

describe('google chat send, retried after a timeout, against a space that honours requestId', () => {
  const chatSpace = googleChatWebhook();
  let first = true;
  // The first POST creates the message but its response comes after the client gave up.
  const receiver = useReceiver((request, n) => {
    const reply = chatSpace(request, n);
    if (!first) return reply;
    first = false;
    return { ...reply, delayMs: 1_500 };
  });
  const context = { ...sendContext(), http: { timeoutMs: 300, attempts: 3, maxRetryAfterSeconds: 10 } };
  const finding = normalisedFixture('ec2-dns-bitcoin');

  it('posts once: the retry carries the same request id and gets the first message back', async () => {
    const target = GoogleChatChannelSchema.parse({
      name: 'sec-chat',
      type: 'googleChat',
      webhookUrl: receiver.url('/v1/spaces/AAAA/messages?key=K&token=T'),
    });
    const payload = googleChatChannel.render(finding, target);
    await expect(googleChatChannel.send(payload, target, context)).resolves.toEqual({ attempts: 2 });
    expect(receiver.requests).toHaveLength(2);
    expect(new Set(receiver.requests.map((r) => r.path)).size).toBe(1);
    expect(chatSpace.created()).toBe(1);
    // A redelivery of the same finding version (a new invocation) posts nothing new either.
    await googleChatChannel.send(googleChatChannel.render(finding, target), target, context);
    expect(chatSpace.created()).toBe(1);
    // An update of the finding is a new message.
    const update = { ...finding, updatedAt: '2099-01-01T00:00:00.000Z' };
    await googleChatChannel.send(googleChatChannel.render(update, target), target, context);
    expect(chatSpace.created()).toBe(2);
  });
});
