import { esc } from './escape.js';
import { jsonHtml } from './json.js';
import { record, text, type ChannelPreview } from './types.js';

/*
 * The generic webhook: request headers (with the HMAC signature when the
 * channel signs) and the JSON body, headed by what it is about.
 */

/**
 * Renders a generic webhook request (as received).
 *
 * @example webhookHtml({ version: 1, kind: 'finding', finding }, { 'content-type': 'application/json' })
 */
export function webhookHtml(body: unknown, headers: Record<string, string>): string {
  const envelope = record(body);
  const finding = record(envelope.finding);
  const digest = record(envelope.digest);
  const about =
    envelope.kind === 'digest'
      ? `Digest of ${esc(text(digest.total, '?'))} findings`
      : `${esc(text(record(finding.severity).band))} ${esc(text(record(finding.type).full))}`;
  return (
    `<div class="webhook">` +
    `<div class="webhook-about"><span class="field-label">${esc(text(envelope.kind, 'body'))} v${esc(text(envelope.version, '?'))}</span> ${about}</div>` +
    `<table class="kv"><caption>Request headers</caption>${Object.entries(headers)
      .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`)
      .join('')}</table>` +
    `<details class="payload"><summary>Body as received</summary>${jsonHtml(body)}</details>` +
    `</div>`
  );
}

/** A webhook request: its JSON body and the headers worth showing. */
export interface WebhookDelivered {
  type: 'webhook';
  body: unknown;
  headers: Record<string, string>;
}

export const webhookPreview: ChannelPreview<'webhook', WebhookDelivered> = {
  html: (delivered) => webhookHtml(delivered.body, delivered.headers),
  fromPayload: (_channel, payload) => {
    const p = record(payload);
    let body: unknown = p.body;
    try {
      body = JSON.parse(text(p.body));
    } catch {
      /* shown as the string it is */
    }
    return { type: 'webhook', body, headers: record(p.headers) as Record<string, string> };
  },
  // The view already shows the body's JSON.
  showsRawPayload: false,
  needsScripts: false,
};
