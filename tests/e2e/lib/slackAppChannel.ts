import { jsonObject, type Reply, type Received } from '../../../harness/http.mjs';
import type { SlackWebApi } from '../../../harness/slackWebApi.mjs';
import type { HttpReply } from './receivers.js';

/*
 * The Slack app channel in the run (issue 18): the deployed notifier talks to
 * the Slack Web API stand-in (harness/slackWebApi.mjs) at slack.com. A
 * delivery there is not one request: a first sighting is a parent
 * (chat.postMessage), an archive made in the console edits that parent
 * (chat.update) and replies in its thread. So the run checks this channel by
 * Web API calls, not by the one-request-per-delivery count of the webhooks.
 */

/** Where the notifier and the endpoint reach the Slack Web API (the default apiBaseUrl, https://slack.com/api/). */
export const SLACK_WEB_API_HOST = 'slack.com';

/** One Web API call as the stand-in got and answered it. */
export interface WebApiExchange {
  /** The run's wave of events when the call arrived. */
  wave: number;
  /** `chat.postMessage`, `chat.update`, … */
  method: string;
  /** The request's parameters (JSON or form body). */
  body: Record<string, unknown>;
  status: number;
  /** The answer's JSON (`ok`, `ts`, `error`, …), or null. */
  answer: Record<string, unknown> | null;
}

/** A Web API call attributed to the event it is about (the run's attribution by the ids a call names). */
export interface WebApiCall extends WebApiExchange {
  /** The event's label, or a description of why the call could not be attributed. */
  label: string;
  findingId: string | undefined;
}

function parametersOf(request: Received): Record<string, unknown> {
  if (String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(request.body));
  return jsonObject(request.body) ?? {};
}

/**
 * Answers a request with the stand-in, as the HTTPS receiver's route wants it,
 * and logs the exchange (Slack's errors are HTTP 200 with `ok: false`: the log
 * keeps the answer so the run can tell).
 */
export function webApiReply(api: SlackWebApi, request: Received, wave: number, log: WebApiExchange[]): HttpReply {
  const reply: Reply = api.reply(request, 0);
  if (!('status' in reply)) throw new Error('the Slack Web API stand-in answered without a status');
  log.push({
    wave,
    method: webApiMethod(request.path),
    body: parametersOf(request),
    status: reply.status,
    answer: jsonObject(reply.body ?? ''),
  });
  return {
    status: reply.status,
    ...(reply.body === undefined ? {} : { body: reply.body }),
    ...(reply.headers ? { headers: reply.headers } : {}),
  };
}

/** The exchanges Slack answered as errors (HTTP 200 `ok: false`, 429, …), described. */
export function webApiErrors(log: WebApiExchange[]): string[] {
  return log
    .filter((x) => x.status !== 200 || x.answer?.ok !== true)
    .map((x) => `${x.method}: HTTP ${x.status} ${String(x.answer?.error ?? '')}`);
}

/** The Web API method of a request path (`/api/chat.update` → `chat.update`). */
export function webApiMethod(path: string): string {
  return (path.split('?')[0] ?? '').replace(/^\/api\//, '');
}

const kindOf = (call: WebApiCall) =>
  call.method === 'chat.update'
    ? 'edit'
    : call.method === 'chat.postMessage'
      ? typeof call.body.thread_ts === 'string'
        ? 'thread reply'
        : 'parent'
      : call.method;

/**
 * What the Slack app channel must have received, from the events it hears
 * (wave name → labels, as the scenario writes them for a channel with the same
 * rules): one parent per event, except for an archive sync (an archive made in
 * the console), which edits the parent of the finding it archives, to say
 * "archived by", and replies in its thread. Returns the problems found.
 */
export function slackAppChannelProblems(
  calls: WebApiCall[],
  hears: Record<string, string[]>,
  waveNames: string[],
  archiveSyncLabels: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const expected = new Map<string, number>();
  for (const [waveName, labels] of Object.entries(hears)) {
    const wave = waveNames.indexOf(waveName);
    for (const label of labels) {
      const kinds = archiveSyncLabels.has(label) ? ['edit', 'thread reply'] : ['parent'];
      for (const kind of kinds) expected.set(`${kind}|${wave}|${label}`, 1);
    }
  }
  const observed = new Map<string, number>();
  for (const call of calls) {
    const key = `${kindOf(call)}|${call.wave}|${call.label}`;
    observed.set(key, (observed.get(key) ?? 0) + 1);
  }
  const describe = (key: string) => {
    const [kind, wave, label] = key.split('|');
    return `${kind} for "${label}" (wave "${waveNames[Number(wave)]}")`;
  };
  for (const [key, n] of expected) {
    const got = observed.get(key) ?? 0;
    if (got !== n) problems.push(`slack app channel: ${got} ${describe(key)}, expected ${n}`);
  }
  for (const [key, n] of observed)
    if (!expected.has(key)) problems.push(`slack app channel: unexpected ${n} ${describe(key)}`);

  // An edit and a thread reply go to the parent of the same finding, which was posted before them.
  const parents = new Map<string, { channel: unknown; ts: unknown }>();
  for (const call of calls) {
    const kind = kindOf(call);
    if (kind === 'parent' && call.findingId)
      parents.set(call.findingId, { channel: call.answer?.channel, ts: call.answer?.ts });
    if (kind !== 'edit' && kind !== 'thread reply') continue;
    const parent = call.findingId ? parents.get(call.findingId) : undefined;
    const ts = kind === 'edit' ? call.body.ts : call.body.thread_ts;
    if (!parent || parent.ts !== ts || parent.channel !== call.body.channel)
      problems.push(`slack app channel: the ${kind} for "${call.label}" is not on its finding's parent message`);
    if (kind === 'edit' && archiveSyncLabels.has(call.label) && !/\barchived by /.test(String(call.body.text)))
      problems.push(`slack app channel: the edit for "${call.label}" does not say archived: ${String(call.body.text)}`);
  }
  return problems;
}
