import type { Channel } from '../config/schema.js';
import { previewFiles } from './assets.js';
import { esc } from './escape.js';
import { jsonHtml } from './json.js';
import { previewPage } from './page.js';
import { deliveredHtml } from './render.js';
import { CHANNEL_LABELS, CHANNEL_PREVIEWS, previewOf } from './registry.js';
import type { Delivered } from './types.js';

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
  return (CHANNEL_PREVIEWS[channel.type].fromPayload as (c: Channel, p: unknown) => Delivered)(channel, payload);
}

/**
 * A standalone HTML page previewing `payload` as `channel` would deliver it.
 *
 * @example previewDocument(channel, descriptorFor(channel).render(finding, channel))
 */
export function previewDocument(channel: Channel, payload: unknown): string {
  const delivered = deliveredFromPayload(channel, payload);
  const { files, missing } = previewFiles();
  // Only a preview that says so (the Teams card) gets scripts; every other runs none at all (script-src 'none').
  const needsScripts = previewOf(delivered).needsScripts;
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
