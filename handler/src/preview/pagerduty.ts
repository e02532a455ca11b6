import { esc, link } from './escape.js';
import { jsonHtml } from './json.js';
import { list, record, text } from './types.js';
import type { ChannelPreview } from './types.js';

/*
 * A PagerDuty Events API v2 event: the alert as the incident list would show
 * it (summary, severity, source, dedup key, links), then the event JSON.
 */

/**
 * Renders an Events API v2 body (as received).
 *
 * @example pagerDutyHtml({ event_action: 'trigger', dedup_key: 'k', payload: { summary: 's', severity: 'error', source: 'x' } })
 */
export function pagerDutyHtml(body: unknown): string {
  const event = record(body);
  const payload = record(event.payload);
  const action = text(event.event_action, '?');
  const severity = text(payload.severity);
  const rows: Array<[string, string]> = [
    ['Action', action],
    ['Dedup key', text(event.dedup_key)],
    ...(['Source', 'Component', 'Group', 'Class', 'Timestamp'] as const).flatMap((label): Array<[string, string]> => {
      const value = payload[label.toLowerCase()];
      return value !== undefined ? [[label, text(value)]] : [];
    }),
  ];
  const links = list(event.links).map(record);
  return (
    `<div class="pd">` +
    `<div class="pd-head"><span class="pd-action pd-${esc(action.replace(/[^a-z]/g, ''))}">${esc(action)}</span>` +
    (severity ? `<span class="pd-sev pd-sev-${esc(severity.replace(/[^a-z]/g, ''))}">${esc(severity)}</span>` : '') +
    `<span class="pd-summary">${esc(text(payload.summary, action === 'resolve' ? 'Resolve the alert with this dedup key' : ''))}</span></div>` +
    `<table class="kv">${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`).join('')}</table>` +
    (links.length > 0
      ? `<ul class="pd-links">${links.map((l) => `<li>${link(text(l.href), esc(text(l.text, text(l.href))))}</li>`).join('')}</ul>`
      : '') +
    `<details class="payload" open><summary>Event as received</summary>${jsonHtml(body)}</details>` +
    `</div>`
  );
}

/** A PagerDuty Events API v2 event (without the routing key, which is a secret). */
export interface PagerDutyDelivered {
  type: 'pagerduty';
  body: unknown;
}

export const pagerDutyPreview: ChannelPreview<'pagerduty', PagerDutyDelivered> = {
  html: (delivered) => pagerDutyHtml(delivered.body),
  fromPayload: (_channel, payload) => ({ type: 'pagerduty', body: payload }),
  // The view already shows the event's JSON.
  showsRawPayload: false,
  needsScripts: false,
};
