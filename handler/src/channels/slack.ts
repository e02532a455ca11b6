import * as z from 'zod/mini';
import type { Field, NormalisedFinding } from '../finding/model.js';
import { BAND_COLOUR, SEVERITY_BANDS, bandRank } from '../finding/severity.js';
import { postWithRetry } from '../deliver/http.js';
import type { Digest } from '../route/digest.js';
import { truncate } from '../text/clean.js';
import { escapeMrkdwn, mrkdwnCode, mrkdwnProse, slackPlain } from '../text/slackMrkdwn.js';
import {
  accountLabel,
  actorFields,
  digestCountsText,
  digestTopBand,
  findingCount,
  findingMarkers,
  nextStepLinks,
  noConsoleLinkText,
  READ_NOTES_MAX,
  readNotesText,
  severityLabel,
  actorText,
  targetText,
  kindLabel,
} from './facts.js';
import { slackSettings, SlackChannelSchema, type SlackChannel } from './settings/slack.js';
import { defineChannel, type DetailBudget } from './types.js';
import { sendSlackApp, withAppFacts } from './slackApp.js';

/** The settings (config schema and defaults) live in `settings/slack.ts`, loaded at cold start. */
export { SlackChannelSchema, type SlackChannel };

/*
 * Slack incoming webhook. The Block Kit blocks sit in one legacy attachment,
 * which is the documented way to get the severity colour bar beside them; the
 * top-level `text` is the one-line notification (and carries the optional
 * mention, which only notifies from there).
 *
 * Limits are Slack's documented Block Kit limits (docs.slack.dev, reference →
 * block-kit): header plain_text 150 characters; section text 3000; section
 * fields at most 10 of 2000 each; context at most 10 elements; actions at most
 * 25 elements; button text 75 and url 3000; 50 blocks per message; top-level
 * `text` is truncated by Slack after 40,000 characters.
 */

/** Slack's documented Block Kit and message limits, in characters (see the sources above). */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  blocks: 50,
  text: 40_000,
} as const;

const PlainText = (max: number) =>
  z.strictObject({
    type: z.literal('plain_text'),
    text: z.string().check(z.minLength(1)).check(z.maxLength(max)),
    emoji: z.literal(false),
  });
const Mrkdwn = (max: number) =>
  z.strictObject({
    type: z.literal('mrkdwn'),
    text: z.string().check(z.minLength(1)).check(z.maxLength(max)),
    verbatim: z.literal(true),
  });
const ButtonSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('button'),
    text: PlainText(SLACK_LIMITS.buttonText),
    url: z.url().check(z.maxLength(SLACK_LIMITS.buttonUrl)),
    action_id: z.string().check(z.maxLength(255)),
  }),
);
const BlockSchema = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('header'), text: PlainText(SLACK_LIMITS.headerText) }),
    z
      .strictObject({
        type: z.literal('section'),
        text: z.optional(Mrkdwn(SLACK_LIMITS.sectionText)),
        fields: z.optional(
          z.array(Mrkdwn(SLACK_LIMITS.fieldText)).check(z.minLength(1)).check(z.maxLength(SLACK_LIMITS.sectionFields)),
        ),
        accessory: z.optional(ButtonSchema),
      })
      .check(
        z.refine((s) => s.text !== undefined || s.fields !== undefined, { error: 'a section needs text or fields' }),
      ),
    z.strictObject({
      type: z.literal('context'),
      elements: z
        .array(Mrkdwn(SLACK_LIMITS.sectionText))
        .check(z.minLength(1))
        .check(z.maxLength(SLACK_LIMITS.contextElements)),
    }),
    z.strictObject({
      type: z.literal('actions'),
      elements: z.array(ButtonSchema).check(z.minLength(1)).check(z.maxLength(SLACK_LIMITS.actionElements)),
    }),
    z.strictObject({ type: z.literal('divider') }),
  ]),
);

/** The JSON body posted to a Slack incoming webhook; the schema encodes Slack's limits. */
export const SlackPayloadSchema = z.lazy(() =>
  z.strictObject({
    text: z.string().check(z.minLength(1)).check(z.maxLength(SLACK_LIMITS.text)),
    attachments: z.tuple([
      z.strictObject({
        color: z.string().check(z.regex(/^#[0-9A-Fa-f]{6}$/)),
        blocks: z.array(BlockSchema).check(z.minLength(1)).check(z.maxLength(SLACK_LIMITS.blocks)),
      }),
    ]),
    unfurl_links: z.literal(false),
    unfurl_media: z.literal(false),
  }),
);
export type SlackPayload = z.infer<typeof SlackPayloadSchema>;
export type SlackBlock = z.infer<typeof BlockSchema>;
type MrkdwnText = z.infer<ReturnType<typeof Mrkdwn>>;
type SlackButton = z.infer<typeof ButtonSchema>;

/**
 * How much of a finding Slack shows. Well inside the hard limits: a Slack
 * message is read on a phone, and long attachments collapse behind "Show more".
 */
const SLACK_DETAIL: DetailBudget = { fields: 20, value: 300, description: SLACK_LIMITS.sectionText - 40 };
const ACTOR_FIELDS_MAX = 6;
const ACTION_FIELDS_MAX = 10;

// --- Block builders -----------------------------------------------------------

function plain(text: string, max: number) {
  return { type: 'plain_text' as const, text: slackPlain(text, max), emoji: false as const };
}

function mrkdwn(text: string): MrkdwnText {
  return { type: 'mrkdwn', text, verbatim: true };
}

function header(text: string): SlackBlock {
  return { type: 'header', text: plain(text, SLACK_LIMITS.headerText) };
}

function linkButton(label: string, url: string, actionId: string): SlackButton | null {
  // Only console URLs (built from validated ids) are ever linked; skip rather than truncate a URL.
  if (url.length > SLACK_LIMITS.buttonUrl) return null;
  return { type: 'button', text: plain(label, SLACK_LIMITS.buttonText), url, action_id: actionId };
}

/** `*Label*` + newline + value, within one field's limit. */
function fieldText(label: string, value: (max: number) => string): MrkdwnText {
  const head = `*${mrkdwnProse(label, 200)}*\n`;
  return mrkdwn(`${head}${value(SLACK_LIMITS.fieldText - head.length)}`);
}

/** Finding fields as code spans, in sections of at most 10, under a bold heading. */
function fieldSections(title: string, fields: readonly Field[], max: number, valueMax: number): SlackBlock[] {
  if (fields.length === 0) return [];
  const shown = fields.slice(0, max);
  const hidden = fields.length - shown.length;
  const heading = `*${mrkdwnProse(title, 300)}*${hidden > 0 ? ` (${shown.length} of ${fields.length}, more in the console)` : ''}`;
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < shown.length; i += SLACK_LIMITS.sectionFields) {
    const chunk = shown.slice(i, i + SLACK_LIMITS.sectionFields);
    blocks.push({
      type: 'section',
      ...(i === 0 ? { text: mrkdwn(heading) } : {}),
      fields: chunk.map((f) => fieldText(f.label, (room) => mrkdwnCode(f.value, Math.min(room, valueMax)))),
    });
  }
  return blocks;
}

function markersText(markers: readonly string[]): string {
  return markers.map((m) => `[${m}] `).join('');
}

/** Keeps the documented block count whatever the content (never expected to bite). */
function capBlocks(blocks: SlackBlock[]): SlackBlock[] {
  return blocks.slice(0, SLACK_LIMITS.blocks);
}

function payload(text: string, colour: string, blocks: SlackBlock[]): SlackPayload {
  return {
    text: truncate(text, SLACK_LIMITS.text),
    attachments: [{ color: colour, blocks: capBlocks(blocks) }],
    // Never let Slack fetch previews of anything a finding mentions.
    unfurl_links: false,
    unfurl_media: false,
  };
}

function mentionFor(channel: Pick<SlackChannel, 'mention'>, notify: boolean): string {
  // The mention comes only from validated config, never from finding text.
  return notify && channel.mention ? `${channel.mention} ` : '';
}

// --- Renderers ----------------------------------------------------------------

/**
 * Renders one finding as a Slack webhook payload: header (markers, band,
 * score, title), overview fields, resource/action/actor fields, description,
 * context (finding id, times) and a console button when there is a link.
 *
 * @example renderSlack(finding, { mention: '<!here>' })
 */
export function renderSlack(finding: NormalisedFinding, channel: Pick<SlackChannel, 'mention'>): SlackPayload {
  const budget = SLACK_DETAIL;
  const band = finding.severity.band;
  const markers = findingMarkers(finding);
  const actor = actorText(finding);
  const code = (value: string) => (room: number) => mrkdwnCode(value, Math.min(room, budget.value));
  const overview: MrkdwnText[] = [
    fieldText('Severity', () => `*${severityLabel(finding)}*`),
    fieldText('Finding type', code(finding.type.full)),
    fieldText('Account', (room) =>
      finding.account.name
        ? `${mrkdwnCode(finding.account.name, Math.min(room, budget.value) - 20)} (${escapeMrkdwn(finding.account.id)})`
        : escapeMrkdwn(finding.account.id),
    ),
    fieldText('Region', code(finding.region)),
    fieldText('Resource', (room) =>
      // The label is GuardDuty's resource type verbatim for unknown types, so it is finding text too.
      finding.resource.id
        ? `${mrkdwnProse(finding.resource.label, 100)} ${mrkdwnCode(finding.resource.id, Math.min(room, budget.value) - 110)}`
        : mrkdwnProse(finding.resource.label, 100),
    ),
    fieldText('Target', (room) => mrkdwnCode(targetText(finding), Math.min(room, budget.value))),
    ...(actor ? [fieldText('Actor', code(actor))] : []),
    fieldText('Occurrences', () => String(finding.occurrences.count)),
    ...(finding.occurrences.firstSeen ? [fieldText('First seen', code(finding.occurrences.firstSeen))] : []),
    ...(finding.occurrences.lastSeen ? [fieldText('Last seen', code(finding.occurrences.lastSeen))] : []),
  ];
  const description = finding.description.trim();
  const notes = readNotesText(finding);
  const buttons = [
    finding.consoleUrl ? linkButton('Open in GuardDuty console', finding.consoleUrl, 'open_console') : null,
    ...nextStepLinks(finding).map((step, i) => linkButton(step.label, step.url, `next_step_${i}`)),
  ].filter((b): b is SlackButton => b !== null);
  const blocks: SlackBlock[] = [
    header(`${markersText(markers)}${severityLabel(finding)} · ${finding.title}`),
    { type: 'section', fields: overview.slice(0, SLACK_LIMITS.sectionFields) },
    ...fieldSections(`Resource · ${finding.resource.label}`, finding.resource.fields, budget.fields, budget.value),
    ...fieldSections(`Action · ${finding.action.label}`, finding.action.fields, ACTION_FIELDS_MAX, budget.value),
    ...fieldSections('Actor', actorFields(finding), ACTOR_FIELDS_MAX, budget.value),
    // One section per facet (at most 10 fields), so every facet fits the 50-block limit.
    ...finding.facets.flatMap((facet) =>
      fieldSections(facet.title, facet.fields, SLACK_LIMITS.sectionFields, budget.value),
    ),
    ...(description
      ? [{ type: 'section' as const, text: mrkdwn(`*Description*\n${mrkdwnProse(description, budget.description)}`) }]
      : []),
    {
      type: 'context',
      elements: [
        mrkdwn(`Finding ${mrkdwnCode(finding.id, 300)}`),
        mrkdwn(`Created ${mrkdwnCode(finding.createdAt, 80)} · updated ${mrkdwnCode(finding.updatedAt, 80)}`),
        ...(markers.length > 0 ? [mrkdwn(markers.map((m) => `*${m}*`).join(' · '))] : []),
        ...(finding.consoleUrl ? [] : [mrkdwn(mrkdwnProse(noConsoleLinkText(finding), 300))]),
        ...(notes ? [mrkdwn(mrkdwnProse(notes, READ_NOTES_MAX))] : []),
      ],
    },
    ...(buttons.length > 0 ? [{ type: 'actions' as const, elements: buttons }] : []),
  ];
  const notify = bandRank(band) >= bandRank('HIGH');
  // The notification line names the type, not the title: top-level text has no `verbatim`, so
  // Slack would auto-link URLs in finding prose; code spans are never linked.
  const text =
    `${mentionFor(channel, notify)}${markersText(markers)}*${severityLabel(finding)}* ${kindLabel(finding)} ` +
    `${mrkdwnCode(finding.type.full, 300)} in ${mrkdwnCode(accountLabel(finding.account), 200)} ${mrkdwnCode(finding.region, 40)}`;
  return payload(text, BAND_COLOUR[band], blocks);
}

/** One line per top finding, with its own console button. */
function digestFindingBlock(finding: NormalisedFinding, index: number): SlackBlock {
  const line =
    `*${severityLabel(finding)}* ${markersText(findingMarkers(finding))}${mrkdwnProse(finding.title, 600)}\n` +
    `${mrkdwnCode(finding.type.full, 300)} · ${mrkdwnCode(accountLabel(finding.account), 200)} · ${mrkdwnCode(finding.region, 40)}`;
  const button = finding.consoleUrl ? linkButton('Open', finding.consoleUrl, `open_finding_${index}`) : null;
  // At most ~1,200 characters by construction, far below the 3,000 of a section.
  return { type: 'section', text: mrkdwn(line), ...(button ? { accessory: button } : {}) };
}

/**
 * Renders a digest as one Slack message: counts per band, top types,
 * accounts and regions, the most severe findings each with a console button,
 * and a button to the findings list when there is one.
 *
 * @example renderSlackDigest(buildDigest(findings), { mention: '<!here>' })
 */
export function renderSlackDigest(digest: Digest, channel: Pick<SlackChannel, 'mention'>): SlackPayload {
  const bands = [...SEVERITY_BANDS].reverse();
  // At most DIGEST_TYPES (10) lines of ~210 characters: well inside one section's 3,000.
  const types = digest.byType.map((t) => `${t.count} × ${mrkdwnCode(t.type, 200)}`).join('\n');
  const listButton = digest.consoleUrl
    ? linkButton('Open the findings list', digest.consoleUrl, 'open_findings_list')
    : null;
  const blocks: SlackBlock[] = [
    header(`GuardDuty digest: ${findingCount(digest.total)}`),
    { type: 'section', fields: bands.map((band) => fieldText(band, () => String(digest.bySeverity[band] ?? 0))) },
    ...(types ? [{ type: 'section' as const, text: mrkdwn(`*Top finding types*\n${types}`) }] : []),
    {
      type: 'section',
      fields: [
        fieldText('Accounts', (room) => mrkdwnCode(digest.accounts.join(', ') || 'none', room)),
        fieldText('Regions', (room) => mrkdwnCode(digest.regions.join(', ') || 'none', room)),
      ],
    },
    ...(digest.top.length > 0
      ? [
          { type: 'divider' as const },
          { type: 'section' as const, text: mrkdwn(`*Most severe* (${digest.top.length} of ${digest.total})`) },
        ]
      : []),
    ...digest.top.map((f, i) => digestFindingBlock(f, i)),
    ...(listButton
      ? [{ type: 'actions' as const, elements: [listButton] }]
      : [
          {
            type: 'context' as const,
            elements: [mrkdwn("Findings span several regions or partitions: open each region's GuardDuty console.")],
          },
        ]),
  ];
  const top = digestTopBand(digest);
  const notify = bandRank(top) >= bandRank('HIGH') && (digest.bySeverity[top] ?? 0) > 0;
  const text = `${mentionFor(channel, notify)}*GuardDuty digest:* ${findingCount(digest.total)} (${digestCountsText(digest)})`;
  return payload(text, BAND_COLOUR[top], blocks);
}

/** Slack incoming webhook: POST JSON; Slack answers 200 "ok", or 400/403/404 with a short reason. */
export const slackChannel = defineChannel(slackSettings, {
  render: (finding, channel) => withAppFacts(renderSlack(finding, channel), finding, channel),
  renderDigest: (digest, channel) => renderSlackDigest(digest, channel),
  // Loaded for the weekly report only, so no SQS invocation pays for it at cold start.
  loadReportRenderer: async () => {
    const { renderReportSlack: render } = await import('../report/render/slack.js');
    return (report) => render(report);
  },
  async send(payload, channel, context) {
    if (channel.botToken) return sendSlackApp(payload, channel, context);
    const result = await postWithRetry(
      channel.webhookUrl ?? '',
      JSON.stringify(payload),
      { 'content-type': 'application/json; charset=utf-8' },
      context.http,
      channel,
      context.httpDeps,
    );
    return { attempts: result.attempts };
  },
});
