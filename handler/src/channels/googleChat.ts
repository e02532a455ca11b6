import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { Field, NormalisedFinding } from '../finding/model.js';
import { BAND_COLOUR, SEVERITY_BANDS, type SeverityBand } from '../finding/severity.js';
import { postWithRetry } from '../deliver/http.js';
import type { Digest } from '../route/digest.js';
import { truncate } from '../text/clean.js';
import { escapeHtml, htmlLines, htmlWithin } from '../text/html.js';
import {
  accountLabel,
  actorFields,
  digestCountsText,
  findingCount,
  findingMarkers,
  overviewFields,
  READ_NOTES_MAX,
  facetBudget,
  nextStepLinks,
  noConsoleLinkText,
  readNotesText,
  severityLabel,
  kindLabel,
} from './facts.js';
import { fitWithin, jsonBytes, type DetailLevels } from './fit.js';
import { googleChatSettings, GoogleChatChannelSchema, type GoogleChatChannel } from './settings/googleChat.js';
import { defineChannel, type DetailBudget } from './types.js';

/** The settings (config schema and defaults) live in `settings/googleChat.ts`, loaded at cold start. */
export { GoogleChatChannelSchema, type GoogleChatChannel };

/*
 * Google Chat space webhook: a `cardsV2` message with one card plus a `text`
 * line (shown above the card and in notifications).
 *
 * Escaping: `textParagraph.text`, `decoratedText.text` and section headers
 * accept a small HTML subset (<b>, <i>, <u>, <s>, <font color>, <a href>, <br>),
 * so finding text in them is HTML-escaped. Everything else (card header
 * title/subtitle, decoratedText top/bottom labels, the `text` line) is not
 * documented as HTML: there `<`/`>` become the look-alikes ‹ ›, which keeps
 * tags, `<users/all>` mentions and `<url|text>` links from forming under either
 * reading, and `*_~\`` become look-alikes so Chat's text formatting stays off.
 *
 * Limits (developers.google.com/workspace/chat): a message, text and cards
 * together, is at most 32,000 bytes; a card shows at most 100 widgets (the rest
 * are dropped); a thread key is at most 4,000 characters. The header title has
 * no documented length but shows one line, so we keep it short.
 */

/** Google Chat's documented limits, plus two of our own for one-line text (marked). */
export const GOOGLE_CHAT_LIMITS = {
  messageBytes: 32_000,
  widgetsPerCard: 100,
  threadKey: 4_000,
  /** Our choice, not Google's: the header shows one line of title and one of subtitle. */
  headerText: 120,
  /** Our choice: the notification line stays a line. */
  text: 1_000,
} as const;

/** Appended to the webhook URL when a message names a thread, so replies fall back to a new thread. */
export const REPLY_OPTION = 'messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD';

const ChatButtonSchema = z.lazy(() =>
  z.strictObject({
    text: z.string().check(z.minLength(1)),
    onClick: z.strictObject({ openLink: z.strictObject({ url: z.url() }) }),
  }),
);
const WidgetSchema = z.lazy(() =>
  z.union([
    z.strictObject({
      decoratedText: z.strictObject({
        topLabel: z.optional(z.string()),
        text: z.string().check(z.minLength(1)),
        bottomLabel: z.optional(z.string()),
        wrapText: z.literal(true),
        button: z.optional(ChatButtonSchema),
      }),
    }),
    z.strictObject({ textParagraph: z.strictObject({ text: z.string().check(z.minLength(1)) }) }),
    z.strictObject({ buttonList: z.strictObject({ buttons: z.array(ChatButtonSchema).check(z.minLength(1)) }) }),
  ]),
);
const SectionSchema = z.lazy(() =>
  z.strictObject({
    header: z.optional(z.string().check(z.minLength(1))),
    collapsible: z.optional(z.boolean()),
    uncollapsibleWidgetsCount: z.optional(z.int().check(z.gte(1))),
    widgets: z.array(WidgetSchema).check(z.minLength(1)),
  }),
);

/** A request id in the form Google recommends (a UUID), lowercase hex. */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The JSON body posted to a Google Chat webhook (the request id goes in the query); the schema encodes Chat's limits. */
export const GoogleChatPayloadSchema = z.lazy(() =>
  z
    .strictObject({
      text: z.string().check(z.minLength(1)).check(z.maxLength(GOOGLE_CHAT_LIMITS.text)),
      cardsV2: z.tuple([
        z.strictObject({
          cardId: z.string().check(z.minLength(1)),
          card: z.strictObject({
            header: z.strictObject({
              title: z.string().check(z.minLength(1)).check(z.maxLength(GOOGLE_CHAT_LIMITS.headerText)),
              subtitle: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(GOOGLE_CHAT_LIMITS.headerText))),
            }),
            sections: z.array(SectionSchema).check(z.minLength(1)),
          }),
        }),
      ]),
      thread: z.optional(
        z.strictObject({
          threadKey: z.string().check(z.minLength(1)).check(z.maxLength(GOOGLE_CHAT_LIMITS.threadKey)),
        }),
      ),
      /** Sent as the `requestId` query parameter, not in the body (see {@link chatRequestId}). */
      requestId: z.optional(z.string().check(z.regex(REQUEST_ID))),
    })
    .check(
      z.refine(({ requestId: _requestId, ...body }) => payloadBytes(body) <= GOOGLE_CHAT_LIMITS.messageBytes, {
        error: `message over ${GOOGLE_CHAT_LIMITS.messageBytes} bytes`,
      }),
    )
    .check(
      z.refine(
        (p) =>
          p.cardsV2[0].card.sections.reduce((n, s) => n + s.widgets.length, 0) <= GOOGLE_CHAT_LIMITS.widgetsPerCard,
        {
          error: `more than ${GOOGLE_CHAT_LIMITS.widgetsPerCard} widgets`,
        },
      ),
    ),
);
export type GoogleChatPayload = z.infer<typeof GoogleChatPayloadSchema>;
type Section = z.infer<typeof SectionSchema>;
type Widget = z.infer<typeof WidgetSchema>;
type ChatButton = z.infer<typeof ChatButtonSchema>;

/** Detail levels, most detailed first; the renderer takes the first whose message fits. */
const CHAT_DETAIL_LEVELS: DetailLevels<DetailBudget> = [
  { fields: 30, value: 500, description: 4_000 },
  { fields: 15, value: 250, description: 1_500 },
  { fields: 8, value: 120, description: 500 },
  { fields: 3, value: 60, description: 0 },
];
const ACTOR_FIELDS_MAX = 6;
const MUTED = '#5F6B7A';

/** UTF-8 size of the serialised message, as Chat counts it. */
export function payloadBytes(payload: unknown): number {
  return jsonBytes(payload);
}

/** Text for places that are not HTML: no `<…>` constructs and no Chat formatting can form. */
function chatPlain(value: string, max: number): string {
  const neutral = value.replace(/[<>*_~`]/g, (ch) => CHAT_LOOK_ALIKES[ch] ?? ch);
  return truncate(neutral, max);
}
const CHAT_LOOK_ALIKES: Readonly<Record<string, string>> = {
  '<': '\u2039',
  '>': '\u203A',
  '*': '\u2217',
  _: '\u02CD',
  '~': '\u223C',
  '`': '\u02CB',
};

function coloured(band: SeverityBand, html: string): string {
  return `<font color="${BAND_COLOUR[band]}"><b>${html}</b></font>`;
}

function decorated(topLabel: string, text: string, extra: { bottomLabel?: string; button?: ChatButton } = {}): Widget {
  return { decoratedText: { ...(topLabel ? { topLabel } : {}), text: text || '-', ...extra, wrapText: true } };
}

function linkButton(text: string, url: string): ChatButton {
  // Only console URLs built from validated ids are ever linked.
  return { text, onClick: { openLink: { url } } };
}

function factWidgets(fields: readonly Field[], budget: DetailBudget): Widget[] {
  return fields
    .slice(0, budget.fields)
    .map((f) => decorated(chatPlain(f.label, 100), htmlWithin(f.value, budget.value)));
}

/** A titled section of fields, collapsed after a few, saying how many were left out. */
function fieldSection(title: string, fields: readonly Field[], budget: DetailBudget): Section[] {
  if (fields.length === 0 || budget.fields === 0) return [];
  const widgets = factWidgets(fields, budget);
  const hidden = fields.length - widgets.length;
  if (hidden > 0)
    widgets.push({ textParagraph: { text: `<font color="${MUTED}">… ${hidden} more in the console</font>` } });
  const collapse = widgets.length > 6;
  return [
    {
      header: htmlWithin(title, 200),
      ...(collapse ? { collapsible: true, uncollapsibleWidgetsCount: 5 } : {}),
      widgets,
    },
  ];
}

function message(
  text: string,
  cardId: string,
  title: string,
  subtitle: string,
  sections: Section[],
  threadKey?: string,
): GoogleChatPayload {
  return {
    text: chatPlain(text, GOOGLE_CHAT_LIMITS.text),
    cardsV2: [
      {
        cardId,
        card: {
          header: {
            title: chatPlain(title, GOOGLE_CHAT_LIMITS.headerText) || 'GuardDuty finding',
            ...(subtitle ? { subtitle: chatPlain(subtitle, GOOGLE_CHAT_LIMITS.headerText) } : {}),
          },
          sections,
        },
      },
    ],
    ...(threadKey ? { thread: { threadKey: truncate(threadKey, GOOGLE_CHAT_LIMITS.threadKey) } } : {}),
  };
}

/** The first level's rendering that fits the message size limit (the last level always does). */
function fit(render: (budget: DetailBudget) => GoogleChatPayload): GoogleChatPayload {
  // A card over the widget limit does not fit either, whatever its size.
  const size = (payload: GoogleChatPayload) =>
    widgetCount(payload) > GOOGLE_CHAT_LIMITS.widgetsPerCard ? Number.POSITIVE_INFINITY : payloadBytes(payload);
  return fitWithin(CHAT_DETAIL_LEVELS, render, { size, limit: GOOGLE_CHAT_LIMITS.messageBytes });
}

function widgetCount(payload: GoogleChatPayload): number {
  return payload.cardsV2[0].card.sections.reduce((n, section) => n + section.widgets.length, 0);
}

function findingCard(
  finding: NormalisedFinding,
  threadKey: string | undefined,
  budget: DetailBudget,
): GoogleChatPayload {
  const band = finding.severity.band;
  const markers = findingMarkers(finding);
  const description = finding.description.trim();
  const overview: Section = {
    widgets: [
      decorated(
        'Severity',
        coloured(band, escapeHtml(severityLabel(finding))),
        markers.length > 0 ? { bottomLabel: markers.join(' · ') } : {},
      ),
      ...factWidgets(overviewFields(finding), { ...budget, fields: 10 }),
    ],
  };
  const buttons = [
    ...(finding.consoleUrl ? [linkButton('Open in GuardDuty console', finding.consoleUrl)] : []),
    ...nextStepLinks(finding).map((step) => linkButton(step.label, step.url)),
  ];
  const links: Widget[] = [
    ...(finding.consoleUrl
      ? []
      : [{ textParagraph: { text: `<font color="${MUTED}">${htmlWithin(noConsoleLinkText(finding), 300)}</font>` } }]),
    ...(buttons.length > 0 ? [{ buttonList: { buttons } }] : []),
  ];
  const notes = readNotesText(finding);
  const facets = facetBudget(budget);
  const sections: Section[] = [
    overview,
    ...fieldSection(`Resource · ${finding.resource.label}`, finding.resource.fields, budget),
    ...fieldSection(`Action · ${finding.action.label}`, finding.action.fields, budget),
    ...fieldSection('Actor', actorFields(finding), { ...budget, fields: Math.min(budget.fields, ACTOR_FIELDS_MAX) }),
    ...finding.facets
      .slice(0, facets.facets)
      .flatMap((facet) => fieldSection(facet.title, facet.fields, { ...budget, fields: facets.fieldsPerFacet })),
    ...(description && budget.description > 0
      ? [{ header: 'Description', widgets: [{ textParagraph: { text: htmlLines(description, budget.description) } }] }]
      : []),
    {
      widgets: [
        ...links,
        ...(notes
          ? [{ textParagraph: { text: `<font color="${MUTED}">${htmlWithin(notes, READ_NOTES_MAX)}</font>` } }]
          : []),
        {
          textParagraph: {
            text:
              `<font color="${MUTED}">Finding ${htmlWithin(finding.id, 300)}<br>` +
              `Created ${htmlWithin(finding.createdAt, 64)} · updated ${htmlWithin(finding.updatedAt, 64)}</font>`,
          },
        },
      ],
    },
  ];
  const lead = [...markers.map((m) => `[${m}]`), severityLabel(finding)].join(' ');
  return message(
    // Like Slack's, the notification line leaves the prose title to the card, where it is escaped.
    `${lead} ${kindLabel(finding)} ${finding.type.full} in ${accountLabel(finding.account)} ${finding.region}`,
    'guardduty-finding',
    `${lead} · ${finding.title}`,
    `${finding.type.full} · ${accountLabel(finding.account)} · ${finding.region}`,
    sections,
    threadKey,
  );
}

/**
 * Renders one finding as a Google Chat card message; with `threadByFinding`
 * the message names the finding id as its thread key so updates reply in the
 * same thread.
 *
 * @example renderGoogleChat(finding, { threadByFinding: true })
 */
export function renderGoogleChat(
  finding: NormalisedFinding,
  channel: Pick<GoogleChatChannel, 'threadByFinding'>,
): GoogleChatPayload {
  const threadKey = channel.threadByFinding ? finding.id : undefined;
  return fit((budget) => findingCard(finding, threadKey, budget));
}

function digestCard(digest: Digest, budget: DetailBudget): GoogleChatPayload {
  const bands = [...SEVERITY_BANDS].reverse();
  const top = digest.top.map((f) =>
    decorated(
      findingMarkers(f).join(' · '),
      `${coloured(f.severity.band, escapeHtml(severityLabel(f)))} ${htmlWithin(f.title, budget.value)}`,
      {
        bottomLabel: chatPlain(`${f.type.full} · ${accountLabel(f.account)} · ${f.region}`, budget.value),
        ...(f.consoleUrl ? { button: linkButton('Open', f.consoleUrl) } : {}),
      },
    ),
  );
  const sections: Section[] = [
    { widgets: bands.map((band) => decorated(band, coloured(band, String(digest.bySeverity[band] ?? 0)))) },
    ...fieldSection(
      'Top finding types',
      digest.byType.map((t) => ({ label: `${t.count} ×`, value: t.type })),
      { ...budget, fields: Math.max(budget.fields, 10) },
    ),
    {
      widgets: [
        decorated('Accounts', htmlWithin(digest.accounts.join(', ') || 'none', budget.value * 2)),
        decorated('Regions', htmlWithin(digest.regions.join(', ') || 'none', budget.value * 2)),
      ],
    },
    ...(top.length > 0 ? [{ header: `Most severe (${digest.top.length} of ${digest.total})`, widgets: top }] : []),
    {
      widgets: [
        digest.consoleUrl
          ? { buttonList: { buttons: [linkButton('Open the findings list', digest.consoleUrl)] } }
          : {
              textParagraph: {
                text: "Findings span several regions or partitions: open each region's GuardDuty console.",
              },
            },
      ],
    },
  ];
  const counts = digestCountsText(digest);
  return message(
    `GuardDuty digest: ${findingCount(digest.total)} (${counts})`,
    'guardduty-digest',
    `GuardDuty digest: ${findingCount(digest.total)}`,
    counts,
    sections,
  );
}

/**
 * Renders a digest as one Google Chat card: counts per band, top types,
 * accounts and regions, the most severe findings each with a console button,
 * and a button to the findings list. Digests are never threaded.
 *
 * @example renderGoogleChatDigest(buildDigest(findings))
 */
export function renderGoogleChatDigest(digest: Digest): GoogleChatPayload {
  return fit((budget) => digestCard(digest, budget));
}

/**
 * The webhook URL with `messageReplyOption` added (for threaded messages),
 * keeping the `key`/`token` parameters byte for byte and leaving an option the
 * user already set alone.
 *
 * @example withReplyOption('https://chat.googleapis.com/v1/spaces/X/messages?key=k&token=t')
 */
export function withReplyOption(webhookUrl: string): string {
  const hash = webhookUrl.indexOf('#');
  const base = hash >= 0 ? webhookUrl.slice(0, hash) : webhookUrl;
  const fragment = hash >= 0 ? webhookUrl.slice(hash) : '';
  if (/[?&]messageReplyOption=/.test(base)) return webhookUrl;
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${REPLY_OPTION}${fragment}`;
}

/*
 * Idempotency (spaces.messages.create, query parameter `requestId`):
 * "Specifying an existing request ID returns the message created with that ID
 * instead of creating a new message." A POST whose response is lost (timeout,
 * reset) is retried, and an SQS redelivery sends again; with the same request
 * id Chat posts once. So the id is derived, not random: from the finding id,
 * its updatedAt (an update is a new message) and the channel name (two
 * channels on one space each post), or for a digest from the ids of the
 * findings it covers. Google recommends a random UUID and documents no other
 * format or length; we shape the SHA-256 as one (36 characters).
 */

/** A UUID-shaped request id from the SHA-256 of `parts`. */
function hashedRequestId(parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\n'), 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The request id of one finding version on one channel.
 *
 * @example chatRequestId(finding, { name: 'sec-chat' }) // '3f2a…-…' (36 characters)
 */
export function chatRequestId(finding: Pick<NormalisedFinding, 'id' | 'updatedAt'>, channel: { name: string }): string {
  return hashedRequestId(['finding', finding.id, finding.updatedAt, channel.name]);
}

/** The request id of a digest on one channel: the findings it covers, in any order. */
export function digestRequestId(digest: Pick<Digest, 'findingIds' | 'total'>, channel: { name: string }): string {
  return hashedRequestId(['digest', `total=${digest.total}`, ...[...digest.findingIds].sort(), channel.name]);
}

/** The body as posted: the message without the request id. */
export function postedBody(payload: GoogleChatPayload): Omit<GoogleChatPayload, 'requestId'> {
  const { requestId: _requestId, ...message } = payload;
  return message;
}

/** `url` with `name=value` appended to its query, keeping the rest byte for byte. */
function withQueryParameter(url: string, parameter: string): string {
  const hash = url.indexOf('#');
  const base = hash >= 0 ? url.slice(0, hash) : url;
  const fragment = hash >= 0 ? url.slice(hash) : '';
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${parameter}${fragment}`;
}

/** The URL a payload is posted to: the reply option for threaded messages, and the request id. */
export function postUrl(webhookUrl: string, payload: GoogleChatPayload): string {
  const url = payload.thread ? withReplyOption(webhookUrl) : webhookUrl;
  return payload.requestId ? withQueryParameter(url, `requestId=${payload.requestId}`) : url;
}

/** Google Chat webhook: POST JSON, threaded messages with the reply option in the query, each with its request id. */
export const googleChatChannel = defineChannel(googleChatSettings, {
  render: (finding, channel) => ({ ...renderGoogleChat(finding, channel), requestId: chatRequestId(finding, channel) }),
  renderDigest: (digest, channel) => ({
    ...renderGoogleChatDigest(digest),
    requestId: digestRequestId(digest, channel),
  }),
  // Loaded for the weekly report only, so no SQS invocation pays for it at cold start.
  loadReportRenderer: async () => {
    const { renderReportGoogleChat: render } = await import('../report/render/googleChat.js');
    return (report) => render(report);
  },
  async send(payload, channel, context) {
    const result = await postWithRetry(
      postUrl(channel.webhookUrl, payload),
      JSON.stringify(postedBody(payload)),
      { 'content-type': 'application/json; charset=UTF-8' },
      context.http,
      channel,
      context.httpDeps,
    );
    return { attempts: result.attempts };
  },
});
