import { esc } from './escape.js';
import { jsonHtml } from './json.js';
import { previewPage, type LinkedAssets } from './page.js';
import { deliveredHtml } from './render.js';
import { CHANNEL_LABELS, CHANNEL_ORDER, previewOf } from './registry.js';
import type { Delivered, DeliveredType } from './types.js';

/*
 * The demo gallery: for each replayed finding, every notification the local
 * receivers captured, rendered per channel, plus the channels routing left
 * out and why; a summary table and channel/severity filters on top.
 */

export interface GalleryDelivery {
  channelName: string;
  delivered: Delivered;
  /** The payload exactly as captured, shown under the rendering. */
  raw: unknown;
}

export interface GallerySkip {
  channelName: string;
  channelType: DeliveredType;
  reason: string;
}

export interface GalleryEntry {
  /** Anchor id and test hook (a fixture name, or "digest"). */
  id: string;
  heading: string;
  why: string;
  /** Severity band used by the filter. */
  severity: string;
  score: string;
  type: string;
  title: string;
  markers: string[];
  deliveries: GalleryDelivery[];
  skipped: GallerySkip[];
}

export interface GallerySummaryRow {
  channel: string;
  type: DeliveredType;
  received: number;
  delivered: number;
  suppressed: number;
  failed: number;
}

export interface GalleryData {
  title: string;
  /** Plain-text lines under the title. */
  intro: string[];
  summary: GallerySummaryRow[];
  /** Plain-text notes under the summary table. */
  notes: string[];
  entries: GalleryEntry[];
}

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;

function summaryTable(rows: readonly GallerySummaryRow[], notes: readonly string[]): string {
  const num = (n: number) => `<td class="num">${n}</td>`;
  return (
    `<section class="summary"><h2>Per channel</h2><table><thead><tr><th>Channel</th><th>Type</th>` +
    `<th class="num">Received</th><th class="num">Delivered (findings)</th><th class="num">Suppressed by routing</th><th class="num">Failed</th></tr></thead><tbody>` +
    rows
      .map(
        (r) =>
          `<tr data-channel="${esc(r.type)}"><td>${esc(r.channel)}</td><td>${esc(CHANNEL_LABELS[r.type])}</td>${num(r.received)}${num(r.delivered)}${num(r.suppressed)}${num(r.failed)}</tr>`,
      )
      .join('') +
    `</tbody></table>${notes.map((n) => `<p class="note">${esc(n)}</p>`).join('')}</section>`
  );
}

function filterBar(entries: readonly GalleryEntry[]): string {
  const button = (filter: string, value: string, label: string) =>
    `<button type="button" data-filter="${filter}" data-value="${esc(value)}" aria-pressed="${value === ''}">${esc(label)}</button>`;
  const present = new Set(
    entries.flatMap((e) => [...e.deliveries.map((d) => d.delivered.type), ...e.skipped.map((s) => s.channelType)]),
  );
  return (
    `<nav class="filters" aria-label="Filters">` +
    `<div class="group"><span class="group-label">Channel</span>${button('channel', '', 'All')}${CHANNEL_ORDER.filter(
      (t) => present.has(t),
    )
      .map((t) => button('channel', t, CHANNEL_LABELS[t]))
      .join('')}</div>` +
    `<div class="group"><span class="group-label">Severity</span>${button('severity', '', 'All')}${SEVERITIES.map((s) => button('severity', s, s)).join('')}</div>` +
    `<span class="filter-count"></span></nav>`
  );
}

function deliverySection(d: GalleryDelivery): string {
  const type = d.delivered.type;
  return (
    `<section class="delivery" data-channel="${esc(type)}" data-channel-name="${esc(d.channelName)}">` +
    `<h3><span>${esc(CHANNEL_LABELS[type])}</span><span class="where">${esc(d.channelName)}</span></h3>` +
    `<div class="view">${deliveredHtml(d.delivered)}` +
    (previewOf(d.delivered).showsRawPayload
      ? `<details class="payload"><summary>Payload as delivered</summary>${jsonHtml(d.raw)}</details>`
      : '') +
    `</div></section>`
  );
}

function entryArticle(entry: GalleryEntry): string {
  const ordered = [...entry.deliveries].sort(
    (a, b) => CHANNEL_ORDER.indexOf(a.delivered.type) - CHANNEL_ORDER.indexOf(b.delivered.type),
  );
  return (
    `<article class="finding" id="${esc(entry.id)}" data-entry="${esc(entry.id)}" data-severity="${esc(entry.severity)}">` +
    `<div class="finding-head"><h2>${esc(entry.heading)}</h2><span class="badge ${esc(entry.severity)}">${esc(`${entry.severity} ${entry.score}`)}</span>` +
    entry.markers.map((m) => `<span class="badge marker">${esc(m)}</span>`).join('') +
    `<span class="type">${esc(entry.type)}</span></div>` +
    `<p class="finding-why">${esc(entry.why)}</p>` +
    `<div class="deliveries">${ordered.map(deliverySection).join('')}</div>` +
    (entry.skipped.length > 0
      ? `<ul class="skips">${entry.skipped.map((s) => `<li data-channel="${esc(s.channelType)}">${esc(`${s.channelName} (${CHANNEL_LABELS[s.channelType]}): not sent, ${s.reason}`)}</li>`).join('')}</ul>`
      : '') +
    `</article>`
  );
}

/**
 * The gallery page; `assets` are the files written next to it.
 *
 * @example galleryDocument(data, { kind: 'linked', styles: ['preview.css'], scripts: ['preview.js'] })
 */
export function galleryDocument(data: GalleryData, assets: LinkedAssets): string {
  const body =
    `<header class="page-header"><h1>${esc(data.title)}</h1>${data.intro.map((line) => `<p>${esc(line)}</p>`).join('')}</header>` +
    summaryTable(data.summary, data.notes) +
    filterBar(data.entries) +
    `<p class="toc">${data.entries.map((e) => `<a href="#${esc(e.id)}" data-severity="${esc(e.severity)}">${esc(e.heading)}</a>`).join(' ')}</p>` +
    `<main>${data.entries.map(entryArticle).join('')}</main>`;
  return previewPage(data.title, body, assets);
}
