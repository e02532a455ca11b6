import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleChatWebhook } from '../../../harness/googleChat.mjs';
import { inSequence, startReceiver, type Receiver } from '../../../harness/http.mjs';
import { pagerDutyEventsApi } from '../../../harness/pagerduty.mjs';
import { slackWebhook } from '../../../harness/slack.mjs';
import { startSmtpServer } from '../../../harness/smtp.mjs';
import { teamsWorkflow } from '../../../harness/teams.mjs';
import { signedWebhook } from '../../../harness/webhook.mjs';

/* The harness's stand-ins answer as the services document (harness/*.mjs); every suite relies on it. */

const receivers: Receiver[] = [];
afterAll(() => Promise.all(receivers.map((r) => r.close())));
async function start(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}
async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}

describe('Slack incoming webhook stand-in', () => {
  let slack: Receiver;
  beforeAll(async () => {
    slack = await start(slackWebhook({ rateLimit: true, hooks: { '/services/T/B/archived': 'channel_is_archived' } }));
  });

  it('answers 200 ok, then 429 rate_limited with Retry-After within the same second, per webhook', async () => {
    expect(await post(slack.url('/services/T/B/a'), '{"text":"one"}')).toMatchObject({ status: 200, text: 'ok' });
    expect(await post(slack.url('/services/T/B/a'), '{"text":"two"}')).toMatchObject({
      status: 429,
      text: 'rate_limited',
      retryAfter: '1',
    });
    expect(await post(slack.url('/services/T/B/b'), '{"text":"other hook"}')).toMatchObject({ status: 200 });
  });

  it('refuses bad payloads and archived channels with Slack’s codes', async () => {
    expect(await post(slack.url('/services/T/B/c'), 'not json')).toMatchObject({
      status: 400,
      text: 'invalid_payload',
    });
    expect(await post(slack.url('/services/T/B/d'), '{"username":"x"}')).toMatchObject({
      status: 400,
      text: 'no_text',
    });
    const blocks = JSON.stringify({ blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) });
    expect(await post(slack.url('/services/T/B/e'), blocks)).toMatchObject({ status: 400, text: 'invalid_blocks' });
    expect(await post(slack.url('/services/T/B/archived'), '{"text":"x"}')).toMatchObject({
      status: 410,
      text: 'channel_is_archived',
    });
  });
});

describe('Teams, Google Chat, PagerDuty and webhook stand-ins', () => {
  it('Teams: 202 for an Adaptive Card message, 400 otherwise, 413 over 28 KB', async () => {
    const teams = await start(teamsWorkflow());
    const card = {
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { type: 'AdaptiveCard', version: '1.5', body: [] },
    };
    expect(await post(teams.url('/w'), JSON.stringify({ type: 'message', attachments: [card] }))).toMatchObject({
      status: 202,
    });
    expect((await post(teams.url('/w'), '{"text":"hi"}')).status).toBe(400);
    const big = JSON.stringify({ type: 'message', attachments: [card], pad: 'x'.repeat(29 * 1024) });
    expect((await post(teams.url('/w'), big)).status).toBe(413);
  });

  it('Google Chat: the created message resource, the same one again for a repeated requestId', async () => {
    const chat = await start(googleChatWebhook());
    const url = chat.url('/v1/spaces/AAAA/messages?key=k&token=t&requestId=r1');
    const first = await post(url, '{"text":"hi"}');
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text).name).toMatch(/^spaces\/AAAA\/messages\/\w+$/);
    expect((await post(url, '{"text":"hi"}')).text).toBe(first.text);
    expect(JSON.parse((await post(chat.url('/v1/spaces/AAAA/messages'), '{}')).text)).toMatchObject({
      error: { code: 400, status: 'INVALID_ARGUMENT' },
    });
  });

  it('PagerDuty: 202 with the dedup key, 400 naming what is invalid', async () => {
    const pd = await start(pagerDutyEventsApi());
    const event = {
      routing_key: 'R'.repeat(32),
      event_action: 'trigger',
      dedup_key: 'finding-1',
      payload: { summary: 's', source: 'guardduty', severity: 'critical' },
    };
    expect(JSON.parse((await post(pd.url('/v2/enqueue'), JSON.stringify(event))).text)).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'finding-1',
    });
    const bad = await post(pd.url('/v2/enqueue'), JSON.stringify({ ...event, routing_key: 'short' }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).errors).toEqual(["'routing_key' must be a 32 character string"]);
  });

  it('webhook: 401 unless the HMAC signature verifies, 204 when it does', async () => {
    const hook = await start(signedWebhook({ secret: 's3cret' }));
    const body = '{"version":1,"kind":"finding"}';
    const signature = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
    expect((await post(hook.url('/h'), body, { 'x-guardduty-notify-signature': 'sha256=00' })).status).toBe(401);
    expect((await post(hook.url('/h'), body, { 'x-guardduty-notify-signature': signature })).status).toBe(204);
  });

  it('fault injection: replies in sequence, then the service', async () => {
    const r = await start(
      inSequence([{ status: 503 }, { status: 429, headers: { 'retry-after': '2' } }], slackWebhook()),
    );
    expect((await post(r.url('/s'), '{"text":"x"}')).status).toBe(503);
    expect(await post(r.url('/s'), '{"text":"x"}')).toMatchObject({ status: 429, retryAfter: '2' });
    expect(await post(r.url('/s'), '{"text":"x"}')).toMatchObject({ status: 200, text: 'ok' });
    expect(r.requests.map((q) => q.answer)).toEqual(['503', '429', '200']);
  });
});

describe('SMTP server', () => {
  it('answers per message from the fault policy and records what it accepted', async () => {
    const smtp = await startSmtpServer({
      answer: (n) => (n === 0 ? { code: 451, message: 'Try again later' } : 'accept'),
    });
    const { createTransport } = await import('nodemailer');
    const transport = createTransport({ host: '127.0.0.1', port: smtp.port, tls: { rejectUnauthorized: false } });
    const mail = { from: 'a@example.com', to: 'b@example.com', subject: 'hi', text: 'body' };
    await expect(transport.sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
    await transport.sendMail(mail);
    expect(smtp.mails.map((m) => [m.answer, m.secure, m.parsed?.subject])).toEqual([
      ['451', true, 'hi'],
      ['250', true, 'hi'],
    ]);
    await smtp.close();
  });
});
