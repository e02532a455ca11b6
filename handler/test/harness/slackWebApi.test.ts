import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../../harness/http.mjs';
import { slackWebApi, type SlackWebApi } from '../../../harness/slackWebApi.mjs';

/* The Slack Web API stand-in answers as Slack documents it: HTTP 200 with ok:false codes, 429 + Retry-After. */

const TOKEN = 'xoxb-standin-0000';
let api: SlackWebApi;
let server: Receiver;
beforeAll(async () => {
  api = slackWebApi({
    tokens: [TOKEN],
    rateLimit: true,
    channels: { C0NOBOT: 'not_in_channel' },
    groups: { S0RESP: ['U0BOB'] },
  });
  server = await startReceiver(api.reply);
});
afterAll(() => server.close());

async function call(method: string, body: Record<string, unknown>, token = TOKEN) {
  const res = await fetch(server.url(`/api/${method}`), {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as any };
}

describe('Slack Web API stand-in', () => {
  it('posts, threads a reply under its parent, and refuses a reply to an unknown thread', async () => {
    const parent = await call('chat.postMessage', { channel: 'C0A', text: 'parent' });
    expect(parent).toMatchObject({ status: 200, json: { ok: true, channel: 'C0A' } });
    await new Promise((r) => setTimeout(r, 1_000));
    const reply = await call('chat.postMessage', { channel: 'C0A', text: 'reply', thread_ts: parent.json.ts });
    expect(reply.json.ok).toBe(true);
    expect(api.replies('C0A', parent.json.ts).map((m) => m.body.text)).toEqual(['reply']);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await call('chat.postMessage', { channel: 'C0A', text: 'x', thread_ts: '1.2' })).json).toEqual({
      ok: false,
      error: 'thread_not_found',
    });
  });

  it('answers 429 ratelimited with Retry-After for a second message in a channel within a second', async () => {
    expect((await call('chat.postMessage', { channel: 'C0B', text: 'one' })).status).toBe(200);
    expect(await call('chat.postMessage', { channel: 'C0B', text: 'two' })).toMatchObject({
      status: 429,
      retryAfter: '1',
      json: { ok: false, error: 'ratelimited' },
    });
  });

  it('edits keep what they leave out; an edit of a deleted message is message_not_found', async () => {
    const posted = await call('chat.postMessage', { channel: 'C0C', text: 'a', attachments: [{ color: '#000000' }] });
    await call('chat.update', { channel: 'C0C', ts: posted.json.ts, text: 'b' });
    expect(api.messages.get(`C0C/${posted.json.ts}`)?.current).toMatchObject({
      text: 'b',
      attachments: [{ color: '#000000' }],
    });
    api.deleteMessage('C0C', posted.json.ts);
    expect((await call('chat.update', { channel: 'C0C', ts: posted.json.ts, text: 'c' })).json.error).toBe(
      'message_not_found',
    );
  });

  it("answers Slack's auth and channel errors as HTTP 200 with ok:false", async () => {
    expect((await call('chat.postMessage', { channel: 'C0D', text: 'x' }, 'xoxb-wrong')).json.error).toBe(
      'invalid_auth',
    );
    expect((await call('chat.postMessage', { channel: 'C0NOBOT', text: 'x' })).json.error).toBe('not_in_channel');
    expect((await call('chat.postMessage', { channel: 'C0E' })).json.error).toBe('no_text');
    const members = await fetch(server.url('/api/usergroups.users.list'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${TOKEN}` },
      body: 'usergroup=S0RESP',
    });
    expect(await members.json()).toEqual({ ok: true, users: ['U0BOB'] });
  });
});
