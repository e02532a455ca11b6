import * as z from 'zod/mini';
import type { Field, NormalisedFinding } from '../finding/model.js';
import { BAND_COLOUR, SEVERITY_BANDS, type SeverityBand } from '../finding/severity.js';
import type { Digest } from '../route/digest.js';
import { asDeliveryError } from '../deliver/errors.js';
import { cleanLine, truncate } from '../text/clean.js';
import { escapeHtml, htmlLines, htmlWithin } from '../text/html.js';
import {
  accountLabel,
  actorFields,
  digestCountsText,
  digestTopBand,
  findingCount,
  findingMarkers,
  overviewFields,
  READ_NOTES_MAX,
  facetBudget,
  nextStepLinks,
  noConsoleLinkText,
  readNotesText,
  severityLabel,
} from './facts.js';
import { TEXT_DETAIL_LEVELS, renderDigestText, renderFindingText } from './plainText.js';
import { fitWithin, utf8Bytes } from './fit.js';
import { emailSettings, EmailChannelSchema, type EmailChannel } from './settings/email.js';
import { defineChannel, type DetailBudget } from './types.js';

/** The settings (config schema and defaults) live in `settings/email.ts`, loaded at cold start. */
export { EmailChannelSchema, type EmailChannel };

/*
 * Email: a multipart message with a plain-text part (the plain-text view shared
 * with SNS) and an HTML part (table layout, inline CSS only, every value
 * escaped).
 */

/** Longest subject line (the brief's cap; clients show the first ~60–100 characters anyway). */
export const EMAIL_SUBJECT_MAX = 200;
/**
 * Largest HTML part we produce. Gmail clips messages whose HTML exceeds about
 * 102 KB behind a "View entire message" link (observed and widely reported,
 * not documented by Google), so we stay below it.
 */
export const EMAIL_HTML_MAX_BYTES = 100_000;

const NO_LINE_BREAKS = /^[^\r\n]*$/;

/*
 * Attachments (`attachFinding`): the event exactly as it reached the function
 * (its JSON text, byte for byte), as `guardduty-<finding id>.json`,
 * `application/json`. A digest attaches one file, `guardduty-digest.json`:
 * a JSON array of the events it covers, so a tool reads one file however many
 * findings came together. Size: one EventBridge event is at most 256 KB, so a
 * single finding always fits; a digest's array stops before it would pass
 * 5 MB (base64 makes that about 6.8 MB on the wire, well under the 10–25 MB
 * that common SMTP servers accept), and the header
 * `X-GuardDuty-Attached-Events: <attached> of <total>` says how many it holds.
 */

/** Largest attachment we produce, before base64 (see above). */
export const EMAIL_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

const AttachmentSchema = z.lazy(() =>
  z.strictObject({
    filename: z.string().check(z.regex(/^guardduty-[A-Za-z0-9._-]{1,128}\.json$/)),
    contentType: z.literal('application/json'),
    content: z.string().check(z.maxLength(EMAIL_ATTACHMENT_MAX_BYTES)),
  }),
);
export type EmailAttachment = z.infer<typeof AttachmentSchema>;

/** The rendered email, without the envelope (from/to/cc/bcc come from the channel at send time). */
export const EmailPayloadSchema = z.lazy(() =>
  z.strictObject({
    attachments: z.optional(z.array(AttachmentSchema)),
    subject: z.string().check(z.minLength(1)).check(z.maxLength(EMAIL_SUBJECT_MAX)).check(z.regex(NO_LINE_BREAKS)),
    text: z.string().check(z.minLength(1)),
    html: z.string().check(z.minLength(1)),
    headers: z.record(
      z.string().check(z.regex(/^X-GuardDuty-[A-Za-z-]+$/)),
      z
        .string()
        .check(z.maxLength(256))
        .check(z.regex(/^[\x20-\x7E]*$/)),
    ),
  }),
);
export type EmailPayload = z.infer<typeof EmailPayloadSchema>;

/** A header value: printable ASCII only (no CR/LF injection), at most 256 characters. */
function headerValue(value: string): string {
  const ascii = value.replace(/[^\x20-\x7E]+/g, ' ').trim();
  return ascii.length > 256 ? `${ascii.slice(0, 253)}...` : ascii;
}

/** One subject line: CR/LF and controls removed, at most {@link EMAIL_SUBJECT_MAX} characters. */
function subjectLine(prefix: string, lead: string, title: string, tail: string): string {
  const head = `[${cleanLine(prefix, 40)}] ${lead} `;
  const end = tail ? ` (${cleanLine(tail, 100)})` : '';
  const room = Math.max(20, EMAIL_SUBJECT_MAX - head.length - end.length);
  return truncate(cleanLine(`${head}${truncate(cleanLine(title), room)}${end}`), EMAIL_SUBJECT_MAX);
}

/** Text colour that reads on each band colour (dark on the light yellow and orange). */
const BADGE_TEXT: Record<SeverityBand, string> = {
  LOW: '#FFFFFF',
  MEDIUM: '#1B1B1B',
  HIGH: '#1B1B1B',
  CRITICAL: '#FFFFFF',
};

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const MUTED = '#5F6B7A';

function badge(band: SeverityBand, text: string): string {
  return `<span style="display:inline-block;padding:3px 8px;border-radius:3px;background-color:${BAND_COLOUR[band]};color:${BADGE_TEXT[band]};font-weight:bold;font-size:13px;">${escapeHtml(text)}</span>`;
}

function markerBadge(marker: string): string {
  return ` <span style="display:inline-block;padding:3px 8px;border-radius:3px;border:1px solid ${MUTED};color:${MUTED};font-weight:bold;font-size:12px;">${escapeHtml(marker)}</span>`;
}

function row(content: string, padding = '8px 24px'): string {
  return `<tr><td style="padding:${padding};${FONT}font-size:14px;line-height:1.5;color:#1B1B1B;">${content}</td></tr>`;
}

function heading(text: string): string {
  return `<div style="margin:8px 0 6px;${FONT}font-size:12px;font-weight:bold;letter-spacing:0.5px;text-transform:uppercase;color:${MUTED};">${htmlWithin(text, 200)}</div>`;
}

function factTable(fields: readonly Field[], budget: DetailBudget): string {
  const shown = fields.slice(0, budget.fields);
  const rows = shown.map(
    (f) =>
      `<tr><td width="150" style="width:150px;padding:3px 16px 3px 0;vertical-align:top;color:${MUTED};${FONT}font-size:14px;">${htmlWithin(f.label, 100)}</td>` +
      `<td style="padding:3px 0;vertical-align:top;word-break:break-word;${FONT}font-size:14px;">${htmlWithin(f.value, budget.value)}</td></tr>`,
  );
  const hidden = fields.length - shown.length;
  if (hidden > 0)
    rows.push(
      `<tr><td colspan="2" style="padding:3px 0;color:${MUTED};${FONT}font-size:13px;">… ${hidden} more in the console</td></tr>`,
    );
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%">${rows.join('')}</table>`;
}

function section(title: string, fields: readonly Field[], budget: DetailBudget): string {
  return fields.length > 0 ? row(`${heading(title)}${factTable(fields, budget)}`) : '';
}

function button(url: string, label: string): string {
  // Only console URLs built from validated ids reach here; escaped anyway for the attribute.
  return `<a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 18px;border-radius:4px;background-color:#232F3E;color:#FFFFFF;text-decoration:none;font-weight:bold;${FONT}font-size:14px;">${escapeHtml(label)}</a>`;
}

function htmlDocument(title: string, colour: string, rows: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background-color:#F4F5F7;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#F4F5F7;">',
    '<tr><td align="center" style="padding:24px 12px;">',
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:100%;background-color:#FFFFFF;border:1px solid #DDE1E6;">',
    // The severity colour bar.
    `<tr><td style="height:6px;line-height:6px;font-size:6px;background-color:${colour};">&nbsp;</td></tr>`,
    ...rows.filter((r) => r !== ''),
    '</table>',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function footer(lines: readonly string[]): string {
  return row(`<div style="color:${MUTED};font-size:12px;">${lines.join('<br>')}</div>`, '16px 24px 20px');
}

/** More than the headline's fields (overviewFields): it is never cut. */
const HEADLINE_FIELDS_MAX = 10;

function textLink(url: string, label: string): string {
  // Only the fixed next-step URLs reach here (nextStepLinks); escaped anyway for the attribute.
  return `<a href="${escapeHtml(url)}" style="color:#0B61A4;">${escapeHtml(label)}</a>`;
}

function findingHtml(finding: NormalisedFinding, subject: string, budget: DetailBudget): string {
  const band = finding.severity.band;
  const facets = facetBudget(budget);
  const notes = readNotesText(finding);
  const steps = nextStepLinks(finding);
  const rows = [
    row(`${badge(band, severityLabel(finding))}${findingMarkers(finding).map(markerBadge).join('')}`, '20px 24px 4px'),
    row(
      `<div style="${FONT}font-size:20px;font-weight:bold;line-height:1.3;">${htmlWithin(finding.title, budget.value)}</div>`,
      '4px 24px 8px',
    ),
    // The headline facts are never cut to fit.
    row(factTable(overviewFields(finding), { ...budget, fields: HEADLINE_FIELDS_MAX })),
    section(`Resource · ${finding.resource.label}`, finding.resource.fields, budget),
    section(`Action · ${finding.action.label}`, finding.action.fields, budget),
    section('Actor', actorFields(finding), budget),
    ...finding.facets
      .slice(0, facets.facets)
      .map((facet) => section(facet.title, facet.fields, { ...budget, fields: facets.fieldsPerFacet })),
    budget.description > 0 && finding.description.trim() !== ''
      ? row(`${heading('Description')}<div>${htmlLines(finding.description, budget.description)}</div>`)
      : '',
    notes ? row(`<span style="color:${MUTED};">${htmlWithin(notes, READ_NOTES_MAX)}</span>`) : '',
    row(
      finding.consoleUrl
        ? button(finding.consoleUrl, 'Open in GuardDuty console')
        : `<span style="color:${MUTED};">${htmlWithin(noConsoleLinkText(finding), 300)}</span>`,
      '16px 24px',
    ),
    steps.length > 0
      ? row(`${heading('Next steps')}${steps.map((step) => textLink(step.url, step.label)).join('<br>')}`)
      : '',
    footer([
      `Finding ID: ${htmlWithin(finding.id, 300)}`,
      `Created ${htmlWithin(finding.createdAt, 64)} · updated ${htmlWithin(finding.updatedAt, 64)}`,
      'Sent by guardduty-notify.',
    ]),
  ];
  return htmlDocument(subject, BAND_COLOUR[band], rows);
}

function digestHtml(digest: Digest, subject: string, budget: DetailBudget): string {
  const counts = [...SEVERITY_BANDS]
    .reverse()
    .map((band) => `${badge(band, `${band} ${digest.bySeverity[band] ?? 0}`)}`)
    .join(' ');
  const types = digest.byType.map((t) => ({ label: String(t.count), value: t.type }));
  const top = digest.top.map(
    (f) =>
      `<tr><td style="padding:8px 0;border-top:1px solid #EEF0F2;${FONT}font-size:14px;">` +
      `${badge(f.severity.band, severityLabel(f))}${findingMarkers(f).map(markerBadge).join('')} ` +
      `<strong>${htmlWithin(f.title, budget.value)}</strong><br>` +
      `<span style="color:${MUTED};">${htmlWithin(`${f.type.full} · ${accountLabel(f.account)} · ${f.region}`, budget.value)}</span>` +
      (f.consoleUrl
        ? `<br><a href="${escapeHtml(f.consoleUrl)}" style="color:#0B61A4;">Open in GuardDuty console</a>`
        : '') +
      '</td></tr>',
  );
  const rows = [
    row(
      `<div style="${FONT}font-size:20px;font-weight:bold;">GuardDuty digest: ${findingCount(digest.total)}</div>`,
      '20px 24px 8px',
    ),
    row(counts),
    section('Top finding types', types, budget),
    row(
      factTable(
        [
          { label: 'Accounts', value: digest.accounts.join(', ') || 'none' },
          { label: 'Regions', value: digest.regions.join(', ') || 'none' },
        ],
        budget,
      ),
    ),
    top.length > 0
      ? row(
          `${heading(`Most severe (${digest.top.length} of ${digest.total})`)}<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%">${top.join('')}</table>`,
        )
      : '',
    row(
      digest.consoleUrl
        ? button(digest.consoleUrl, 'Open the findings list')
        : `<span style="color:${MUTED};">Findings span several regions or partitions: open each region's GuardDuty console.</span>`,
      '16px 24px',
    ),
    footer(['Sent by guardduty-notify.']),
  ];
  return htmlDocument(subject, BAND_COLOUR[digestTopBand(digest)], rows);
}

/** Renders at the most detailed level whose HTML fits {@link EMAIL_HTML_MAX_BYTES}. */
function fitHtml(render: (budget: DetailBudget) => { text: string; html: string }): { text: string; html: string } {
  return fitWithin(TEXT_DETAIL_LEVELS, render, { size: (body) => utf8Bytes(body.html), limit: EMAIL_HTML_MAX_BYTES });
}

/**
 * Renders one finding as an email: subject `[prefix] BAND [markers] title (account)`,
 * a text part and an HTML part that show the same facts.
 *
 * @example renderEmail(finding, channel)
 */
export function renderEmail(finding: NormalisedFinding, channel: { subjectPrefix: string }): EmailPayload {
  const lead = [finding.severity.band, ...findingMarkers(finding).map((m) => `[${m}]`)].join(' ');
  const subject = subjectLine(channel.subjectPrefix, lead, finding.title, finding.account.name ?? finding.account.id);
  const body = fitHtml((budget) => ({
    text: renderFindingText(finding, budget),
    html: findingHtml(finding, subject, budget),
  }));
  return {
    subject,
    ...body,
    headers: {
      'X-GuardDuty-Finding-Id': headerValue(finding.id),
      'X-GuardDuty-Severity': finding.severity.band,
    },
  };
}

/**
 * Renders a digest as one email: subject `[prefix] Digest: N findings (counts)`.
 *
 * @example renderEmailDigest(buildDigest(findings), channel)
 */
export function renderEmailDigest(digest: Digest, channel: { subjectPrefix: string }): EmailPayload {
  const subject = subjectLine(
    channel.subjectPrefix,
    'Digest:',
    `${findingCount(digest.total)} (${digestCountsText(digest)})`,
    '',
  );
  const body = fitHtml((budget) => ({
    text: renderDigestText(digest, budget),
    html: digestHtml(digest, subject, budget),
  }));
  return {
    subject,
    ...body,
    headers: {
      'X-GuardDuty-Severity': digestTopBand(digest),
      'X-GuardDuty-Finding-Count': String(digest.total),
    },
  };
}

/** Email through SMTP: the envelope comes from the channel, the content from the renderer. */
/** A finding id as a file-name part: letters, digits, `.`, `_`, `-` (anything else becomes `_`), at most 128 characters. */
export function fileNamePart(id: string): string {
  return (
    id
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 128) || 'finding'
  );
}

/**
 * The attachment of one finding: its event's JSON text as received.
 *
 * @example findingAttachment(finding.id, eventText) // { filename: 'guardduty-<id>.json', contentType: 'application/json', content: eventText }
 */
export function findingAttachment(findingId: string, eventText: string): EmailAttachment {
  return { filename: `guardduty-${fileNamePart(findingId)}.json`, contentType: 'application/json', content: eventText };
}

/** The attachment of a digest: a JSON array of its events as received, stopping before 5 MB; and how many it holds. */
export function digestAttachment(eventTexts: readonly string[]): { attachment: EmailAttachment; attached: number } {
  let content = '[';
  let attached = 0;
  for (const text of eventTexts) {
    const next = `${attached === 0 ? '' : ','}${text}`;
    if (Buffer.byteLength(content, 'utf8') + Buffer.byteLength(next, 'utf8') + 1 > EMAIL_ATTACHMENT_MAX_BYTES) break;
    content += next;
    attached++;
  }
  return {
    attachment: { filename: 'guardduty-digest.json', contentType: 'application/json', content: `${content}]` },
    attached,
  };
}

export const emailChannel = defineChannel(emailSettings, {
  render: (finding, channel, eventText) => {
    const payload = renderEmail(finding, channel);
    if (!channel.attachFinding || eventText === undefined) return payload;
    return { ...payload, attachments: [findingAttachment(finding.id, eventText)] };
  },
  renderDigest: (digest, channel, eventTexts) => {
    const payload = renderEmailDigest(digest, channel);
    if (!channel.attachFinding || eventTexts === undefined) return payload;
    const { attachment, attached } = digestAttachment(eventTexts);
    return {
      ...payload,
      headers: { ...payload.headers, 'X-GuardDuty-Attached-Events': `${attached} of ${eventTexts.length}` },
      attachments: [attachment],
    };
  },
  // Loaded for the weekly report only, so no SQS invocation pays for it at cold start.
  loadReportRenderer: async () => {
    const { renderReportEmail: render } = await import('../report/render/email.js');
    return (report, channel) => render(report, { subjectPrefix: channel.subjectPrefix });
  },
  async send(payload, channel, context) {
    try {
      await context.sendMail(channel.smtp, {
        from: channel.from,
        to: channel.to,
        cc: channel.cc,
        bcc: channel.bcc,
        ...payload,
      });
    } catch (error) {
      throw asDeliveryError(error, channel);
    }
    return { attempts: 1 };
  },
});
