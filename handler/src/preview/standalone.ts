import type { Channel } from '../config/schema.js';
import { previewFiles } from './assets.js';
import { esc } from './escape.js';
import { jsonHtml } from './json.js';
import { previewPage } from './page.js';
import { deliveredHtml } from './render.js';
import { CHANNEL_LABELS, record, text, type Delivered } from './types.js';

/*
 * `guardduty-notify render --html`: one channel's rendering of one finding as
 * a self-contained HTML page (styles and scripts inlined, strict CSP), made
 * with the same renderers as the demo gallery.
 */

/**
 * What the channel would deliver, from its renderer's payload: the JSON body
 * for HTTP channels (PagerDuty without the routing key, which is a secret),
 * the mail with the channel's envelope, the SNS publish.
 */
export function deliveredFromPayload(channel: Channel, payload: unknown): Delivered {
  const p = record(payload);
  switch (channel.type) {
    case 'email':
      return {
        type: 'email',
        mail: {
          subject: text(p.subject),
          from: channel.from,
          to: channel.to,
          cc: channel.cc,
          text: text(p.text),
          html: text(p.html),
          headers: record(p.headers) as Record<string, string>,
        },
      };
    case 'sns':
      return {
        type: 'sns',
        sns: {
          subject: text(p.subject),
          message: text(p.message),
          attributes: record(p.attributes) as Record<string, string>,
          topicArn: channel.topicArn,
        },
      };
    case 'webhook': {
      let body: unknown = p.body;
      try {
        body = JSON.parse(text(p.body));
      } catch {
        /* shown as the string it is */
      }
      return { type: 'webhook', body, headers: record(p.headers) as Record<string, string> };
    }
    default:
      return { type: channel.type, body: payload };
  }
}

/**
 * A standalone HTML page previewing `payload` as `channel` would deliver it.
 *
 * @example previewDocument(channel, slackChannel.render(finding, channel))
 */
export function previewDocument(channel: Channel, payload: unknown): string {
  const delivered = deliveredFromPayload(channel, payload);
  const { files, missing } = previewFiles();
  // Only Teams needs scripts; every other preview runs none at all (script-src 'none').
  const needsScripts = delivered.type === 'teams';
  const label = CHANNEL_LABELS[delivered.type];
  const body =
    `<header class="page-header"><h1>${esc(label)} preview</h1>` +
    `<p>What channel <code>${esc(channel.name)}</code> (${esc(channel.type)}) would receive, rendered by guardduty-notify's preview renderers. Nothing was sent.</p>` +
    (needsScripts && missing.length > 0
      ? `<p>Not found, so the card cannot be rendered: ${esc(missing.join(', '))} (run npm ci).</p>`
      : '') +
    `</header><main class="finding"><div class="deliveries"><section class="delivery" data-channel="${esc(delivered.type)}">` +
    `<h3><span>${esc(label)}</span><span class="where">${esc(channel.name)}</span></h3><div class="view">${deliveredHtml(delivered)}` +
    `<details class="payload"><summary>Payload</summary>${jsonHtml(payload)}</details></div></section></div></main>`;
  return previewPage(`${label} preview · ${channel.name}`, body, {
    kind: 'inline',
    styles: files.filter((f) => f.kind === 'style' && (needsScripts || f.name === 'preview.css')).map((f) => f.text),
    scripts: needsScripts ? files.filter((f) => f.kind === 'script').map((f) => f.text) : [],
  });
}
