import { chatHtmlToSafeHtml } from './chatHtml.js';
import { esc, link } from './escape.js';
import { chatTextToHtml } from './inline.js';
import { list, record, text } from './types.js';
import type { ChannelPreview } from './types.js';

/*
 * A Google Chat app message: the `text` line, then each `cardsV2` card with
 * its header, sections (header, collapsible after `uncollapsibleWidgetsCount`
 * widgets, as Chat's "Show more"), and the widgets we send: decoratedText
 * (top label, text, bottom label, button), textParagraph, buttonList.
 * Fields that Chat treats as HTML go through chatHtmlToSafeHtml; the others
 * (header title/subtitle, labels, button text) are plain text.
 */

function chatButton(value: unknown): string {
  const b = record(value);
  const url = text(record(record(b.onClick).openLink).url);
  return link(url, esc(text(b.text, 'Button')), 'chat-button');
}

function widget(value: unknown): string {
  const w = record(value);
  if (w.decoratedText !== undefined) {
    const d = record(w.decoratedText);
    const button = d.button !== undefined ? `<div class="chat-decorated-button">${chatButton(d.button)}</div>` : '';
    return (
      `<div class="chat-decorated"><div class="chat-decorated-main">` +
      (d.topLabel !== undefined ? `<div class="chat-label">${esc(text(d.topLabel))}</div>` : '') +
      `<div class="chat-decorated-text${d.wrapText === true ? '' : ' nowrap'}">${chatHtmlToSafeHtml(text(d.text))}</div>` +
      (d.bottomLabel !== undefined ? `<div class="chat-label">${esc(text(d.bottomLabel))}</div>` : '') +
      `</div>${button}</div>`
    );
  }
  if (w.textParagraph !== undefined)
    return `<div class="chat-paragraph">${chatHtmlToSafeHtml(text(record(w.textParagraph).text))}</div>`;
  if (w.buttonList !== undefined)
    return `<div class="chat-buttons">${list(record(w.buttonList).buttons).map(chatButton).join('')}</div>`;
  if (w.divider !== undefined) return '<hr class="chat-divider">';
  return `<div class="unsupported">[unsupported Chat widget: ${esc(Object.keys(w).join(', ') || 'empty')}]</div>`;
}

function section(value: unknown): string {
  const s = record(value);
  const widgets = list(s.widgets).map(widget);
  const shown = s.collapsible === true ? Math.max(1, Number(s.uncollapsibleWidgetsCount) || 1) : widgets.length;
  const hidden = widgets.slice(shown);
  return (
    `<div class="chat-section">` +
    (s.header !== undefined ? `<div class="chat-section-header">${chatHtmlToSafeHtml(text(s.header))}</div>` : '') +
    widgets.slice(0, shown).join('') +
    (hidden.length > 0 ? `<details class="chat-more"><summary>Show more</summary>${hidden.join('')}</details>` : '') +
    `</div>`
  );
}

function card(value: unknown): string {
  const c = record(record(value).card);
  const header = record(c.header);
  return (
    `<div class="chat-card"><div class="chat-card-header">` +
    `<div class="chat-card-title">${esc(text(header.title))}</div>` +
    (header.subtitle !== undefined ? `<div class="chat-card-subtitle">${esc(text(header.subtitle))}</div>` : '') +
    `</div>${list(c.sections).map(section).join('')}</div>`
  );
}

/**
 * Renders a Google Chat webhook body (as received) like the Chat client.
 *
 * @example googleChatHtml({ text: 'hi', cardsV2: [{ cardId: 'c', card: { header: { title: 'T' }, sections: [] } }] })
 */
export function googleChatHtml(body: unknown): string {
  const message = record(body);
  const thread = text(record(message.thread).threadKey);
  return (
    `<div class="chat-message"><div class="chat-avatar" aria-hidden="true">GD</div><div class="chat-body">` +
    `<div class="chat-meta"><span class="chat-app-name">GuardDuty Notify</span><span class="chat-app-badge">App</span><span class="chat-time">now</span></div>` +
    (message.text !== undefined ? `<div class="chat-text">${chatTextToHtml(text(message.text))}</div>` : '') +
    list(message.cardsV2).map(card).join('') +
    (thread
      ? `<div class="chat-thread">Thread key <code>${esc(thread)}</code> (updates of this finding reply in its thread)</div>`
      : '') +
    `</div></div>`
  );
}

/** A Google Chat message as the webhook received it. */
export interface GoogleChatDelivered {
  type: 'googleChat';
  body: unknown;
}

export const googleChatPreview: ChannelPreview<'googleChat', GoogleChatDelivered> = {
  html: (delivered) => googleChatHtml(delivered.body),
  fromPayload: (_channel, payload) => ({ type: 'googleChat', body: payload }),
  showsRawPayload: true,
  needsScripts: false,
};
