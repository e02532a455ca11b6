import { DeliveryError } from '../deliver/errors.js';
import { callSlack, MESSAGE_GONE, type SlackCallOptions } from '../deliver/slackWebApi.js';
import type { NormalisedFinding } from '../finding/model.js';
import { bandRank, severityBand, type SeverityBand } from '../finding/severity.js';
import { ACTION_IDS, ButtonValueSchema, buttonValue } from '../interact/buttons.js';
import type { FindingRecord, MessageRef } from '../state/types.js';
import { truncate } from '../text/clean.js';
import { mrkdwnCode, slackPlain } from '../text/slackMrkdwn.js';
import type { SlackPayload } from './slack.js';
import type { SendContext, SendResult } from './types.js';

/*
 * The Slack app mode of the Slack channel: a bot token and a channel id
 * instead of a webhook URL. Incoming webhooks return no message id; the Web
 * API does (`ts`), so the first message of a finding opens a thread, later
 * occurrences and escalations reply in it (an escalation also to the
 * channel), and the parent is edited to show the current severity, count and
 * status. The finding's parent `ts` lives in the state table (a receipt's
 * message reference): without the table, every message is a new parent.
 */

const DEFAULT_API_BASE = 'https://slack.com/api/';
/** Slack's limits (see slack.ts): 50 blocks in a message, top-level text truncated after 40,000 characters. */
const SLACK_MAX_BLOCKS = 50;
const SLACK_TEXT_MAX = 40_000;

/** What the app send needs to know about the finding behind a payload (renderers stay pure; the send does the I/O). */
export interface SlackAppFacts {
  findingId: string;
  region: string;
  accountId: string;
  band: SeverityBand;
  score: number;
  count: number;
  isUpdate: boolean;
  lifecycle: NormalisedFinding['lifecycle'];
}

/** A Slack payload as the descriptor hands it to its sender: a webhook body, plus the finding's facts in app mode. */
export type SlackOutgoing = SlackPayload & { app?: SlackAppFacts };

/** Adds the facts the app send needs to a rendered payload (app channels, findings and their archive sync only). */
export function withAppFacts(
  payload: SlackPayload,
  finding: NormalisedFinding,
  channel: { botToken?: string | undefined },
): SlackOutgoing {
  if (!channel.botToken || (finding.kind !== 'finding' && finding.lifecycle === null)) return payload;
  return {
    ...payload,
    app: {
      findingId: finding.id,
      region: finding.region,
      accountId: finding.account.id,
      band: finding.severity.band,
      score: finding.severity.score,
      count: Math.max(1, Math.floor(finding.occurrences.count)),
      isUpdate: finding.isUpdate,
      lifecycle: finding.lifecycle,
    },
  };
}

// --- Pure pieces ----------------------------------------------------------------

const plain = (text: string, max: number) => ({
  type: 'plain_text' as const,
  text: slackPlain(text, max),
  emoji: false,
});

function button(label: string, actionId: string, value: string, extra: Record<string, unknown> = {}) {
  return { type: 'button' as const, text: plain(label, 75), action_id: actionId, value, ...extra };
}

/**
 * The action buttons of a finding (ids and values the endpoint reads back), or
 * null below the configured band, without an endpoint, or for a value the
 * endpoint would refuse. Archive asks for confirmation in Slack's own dialog.
 */
export function buttonsBlock(facts: SlackAppFacts, slackApp: SendContext['slackApp']) {
  if (!slackApp || bandRank(facts.band) < bandRank(slackApp.buttonsMinSeverity)) return null;
  const value = buttonValue({ id: facts.findingId, region: facts.region, accountId: facts.accountId });
  if (!ButtonValueSchema.safeParse(JSON.parse(value)).success) return null;
  return {
    type: 'actions' as const,
    block_id: 'gdn_actions',
    elements: [
      button('Acknowledge', ACTION_IDS.acknowledge, value, { style: 'primary' }),
      button('Archive', ACTION_IDS.archive, value, {
        style: 'danger',
        confirm: {
          title: plain('Archive this finding?', 100),
          text: plain(
            'GuardDuty archives the finding for every member account. It can be unarchived in the console.',
            300,
          ),
          confirm: plain('Archive', 30),
          deny: plain('Cancel', 30),
          style: 'danger',
        },
      }),
      button('Useful', ACTION_IDS.useful, value),
      button('Not useful', ACTION_IDS.notUseful, value),
      button('Suppress similar…', ACTION_IDS.suppress, value),
    ],
  };
}

const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;

/** A Slack user id as a mention (ids from our endpoint only); anything else as a code span, never a mention. */
function who(by: string): string {
  return SLACK_USER.test(by) ? `<@${by}>` : mrkdwnCode(by, 200);
}

function minutesBetween(fromIso: string | undefined, toIso: string): string | null {
  if (!fromIso) return null;
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return null;
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

/** The status of a finding as its parent shows it: acknowledged / archived, by whom, how long after the alert. */
export function statusText(record: FindingRecord | null, lifecycle: NormalisedFinding['lifecycle'] = null): string {
  const parts: string[] = [];
  const first = record?.firstSeenAt;
  const since = (by: string, at: string) => {
    const after = minutesBetween(first, at);
    return `by ${who(by)} ${after ? `${after} after the alert` : `at ${mrkdwnCode(at, 40)}`}`;
  };
  if (record?.acknowledgedBy && record.acknowledgedAt)
    parts.push(`acknowledged ${since(record.acknowledgedBy, record.acknowledgedAt)}`);
  const archive =
    lifecycle?.action === 'archived'
      ? { by: lifecycle.by, at: lifecycle.at }
      : lifecycle?.action !== 'unarchived' &&
          record?.archivedBy &&
          record.archivedAt &&
          !(record.unarchivedAt && record.unarchivedAt > record.archivedAt)
        ? { by: record.archivedBy, at: record.archivedAt }
        : null;
  if (archive) parts.push(`archived ${since(archive.by, archive.at)}`);
  return parts.length > 0 ? parts.join(' · ') : 'open';
}

/** What the parent says now: current severity, occurrence count, status (the view's, else the state table's). */
export function parentSummary(
  record: FindingRecord | null,
  now: { score: number | null; count: number | null; lifecycle?: NormalisedFinding['lifecycle'] },
): string {
  const score = now.score ?? record?.highestSeverity ?? null;
  const count = Math.max(now.count ?? 0, record?.lastCount ?? 0);
  const severity = score === null ? null : `${severityBand(score)} ${score.toFixed(1)}`;
  const counted = count > 0 ? `${count} occurrence${count === 1 ? '' : 's'}` : null;
  return ['*Now:*', [severity, counted, statusText(record, now.lifecycle ?? null)].filter(Boolean).join(' · ')].join(
    ' ',
  );
}

/**
 * The parent message: the finding's current render, the summary as the second
 * line of its text (so a status-only edit can replace it and keep the rest),
 * and the buttons below the blocks.
 */
export function parentMessage(payload: SlackOutgoing, summary: string, buttons: ReturnType<typeof buttonsBlock>) {
  const [attachment] = payload.attachments;
  const blocks = attachment.blocks.slice(0, buttons ? SLACK_MAX_BLOCKS - 1 : SLACK_MAX_BLOCKS);
  return messageBody(
    { ...payload, text: `${payload.text}\n${summary}` },
    { ...attachment, blocks: buttons ? [...blocks, buttons] : blocks },
  );
}

/**
 * A status-only edit of a parent (archive sync, the interaction endpoint):
 * `text` only, so Slack keeps the message's attachment (chat.update retains
 * attachments and blocks a call leaves out).
 */
export function statusEdit(findingId: string, summary: string) {
  return { text: `GuardDuty finding ${mrkdwnCode(findingId, 300)}\n${summary}` };
}

/** A thread reply: the finding's current render (escalations broadcast to the channel). */
export function threadReply(payload: SlackOutgoing, parentTs: string, broadcast: boolean) {
  return {
    ...messageBody(payload, payload.attachments[0]),
    thread_ts: parentTs,
    ...(broadcast ? { reply_broadcast: true } : {}),
  };
}

function messageBody(payload: Pick<SlackOutgoing, 'text'>, attachment: { color: string; blocks: unknown[] }) {
  return {
    text: truncate(payload.text, SLACK_TEXT_MAX),
    attachments: [attachment],
    unfurl_links: false,
    unfurl_media: false,
  };
}

// --- Send path ----------------------------------------------------------------------

/** The config fields of a Slack app channel. */
export interface AppChannel {
  name: string;
  type: string;
  botToken?: string | undefined;
  channelId?: string | undefined;
  apiBaseUrl?: string | undefined;
}

/** Slack call options for an app channel. */
export function slackCallOptions(
  channel: AppChannel,
  context: Pick<SendContext, 'http'> & Partial<Pick<SendContext, 'httpDeps'>>,
): SlackCallOptions {
  return {
    token: channel.botToken ?? '',
    apiBase: channel.apiBaseUrl ?? DEFAULT_API_BASE,
    policy: context.http,
    label: { name: channel.name, type: channel.type },
    ...(context.httpDeps ? { deps: context.httpDeps } : {}),
  };
}

/** Whether a Slack call failed because the message it named is gone (deleted parent). */
export const isGone = (error: unknown) =>
  error instanceof DeliveryError && error.code !== undefined && MESSAGE_GONE.has(error.code);

/** Whether this update raised the finding's severity (as routing decided it, from the state table or the container). */
function escalated(facts: SlackAppFacts, context: SendContext): boolean {
  if (!facts.isUpdate || !context.history) return false;
  const previous = context.history.previousScore(facts.findingId);
  return previous !== undefined && facts.score > previous;
}

/**
 * Delivers a payload through the Slack app: a new parent for the first
 * message of a finding (its ts is returned as the reference to store); for
 * the others, the parent is edited (whole for a sighting, its status line for
 * an archive-sync view) and the message replies in its thread, an escalation
 * also to the channel. A parent deleted since gets a new one. Digests, other
 * signals and findings without a known parent post as new messages.
 */
export async function sendSlackApp(
  payload: SlackOutgoing,
  channel: AppChannel,
  context: SendContext,
): Promise<SendResult> {
  const options = slackCallOptions(channel, context);
  const channelId = channel.channelId ?? '';
  const facts = payload.app;
  if (!facts) {
    const posted = await callSlack(
      'chat.postMessage',
      { channel: channelId, ...messageBody(payload, payload.attachments[0]) },
      options,
    );
    return { attempts: posted.attempts };
  }
  const state = context.state;
  const [ref, record] = state?.enabled
    ? await Promise.all([state.messageRef(facts.findingId, channel.name), state.findingRecord(facts.findingId)])
    : [undefined, undefined];
  const summary = parentSummary(
    record ?? null,
    facts.lifecycle
      ? { score: null, count: null, lifecycle: facts.lifecycle }
      : { score: facts.score, count: facts.count, lifecycle: null },
  );
  const postParent = async (attemptsBefore: number): Promise<SendResult> => {
    const body = parentMessage(payload, summary, facts.lifecycle ? null : buttonsBlock(facts, context.slackApp));
    const posted = await callSlack('chat.postMessage', { channel: channelId, ...body }, options);
    const newRef: MessageRef = { service: 'slack', channel: posted.channel ?? channelId, ts: posted.ts ?? '' };
    return { attempts: attemptsBefore + posted.attempts, ...(posted.ts ? { ref: newRef } : {}) };
  };
  if (ref?.service !== 'slack') return postParent(0);
  let attempts = 0;
  try {
    const edit = facts.lifecycle
      ? statusEdit(facts.findingId, summary)
      : parentMessage(payload, summary, buttonsBlock(facts, context.slackApp));
    attempts += (await callSlack('chat.update', { channel: ref.channel, ts: ref.ts, ...edit }, options)).attempts;
  } catch (error) {
    if (isGone(error)) return postParent(attempts);
    throw error;
  }
  try {
    const reply = threadReply(payload, ref.ts, !facts.lifecycle && escalated(facts, context));
    const replied = await callSlack('chat.postMessage', { channel: ref.channel, ...reply }, options);
    return { attempts: attempts + replied.attempts, ref };
  } catch (error) {
    if (isGone(error)) return postParent(attempts);
    throw error;
  }
}
