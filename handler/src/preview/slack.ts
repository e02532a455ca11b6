import { esc, hexColour, link } from './escape.js';
import { mrkdwnToHtml } from './inline.js';
import { list, record, text } from './types.js';
import type { ChannelPreview } from './types.js';

/*
 * A Slack message as the Slack client lays it out: app name line, the
 * top-level text, then the attachment with its colour bar holding the Block
 * Kit blocks (header, section text and two-column fields with an optional
 * accessory button, context, actions, divider). Text objects render by type:
 * `mrkdwn` through mrkdwnToHtml, `plain_text` escaped as is.
 */

function textObject(value: unknown): string {
  const t = record(value);
  const body = text(t.text);
  return t.type === 'mrkdwn' ? mrkdwnToHtml(body) : esc(body).replace(/\n/g, '<br>');
}

function button(value: unknown): string {
  const b = record(value);
  const label = textObject(b.text);
  const style = b.style === 'primary' || b.style === 'danger' ? ` slack-button-${b.style}` : '';
  return typeof b.url === 'string'
    ? link(b.url, label, `slack-button${style}`)
    : `<span class="slack-button${style}">${label}</span>`;
}

function block(value: unknown): string {
  const b = record(value);
  switch (b.type) {
    case 'header':
      return `<div class="slack-header">${textObject(b.text)}</div>`;
    case 'section': {
      const fields = list(b.fields);
      const accessory =
        record(b.accessory).type === 'button' ? `<div class="slack-accessory">${button(b.accessory)}</div>` : '';
      return (
        `<div class="slack-section"><div class="slack-section-main">` +
        (b.text !== undefined ? `<div class="slack-section-text">${textObject(b.text)}</div>` : '') +
        (fields.length > 0
          ? `<div class="slack-fields">${fields.map((f) => `<div class="slack-field">${textObject(f)}</div>`).join('')}</div>`
          : '') +
        `</div>${accessory}</div>`
      );
    }
    case 'context':
      return `<div class="slack-context">${list(b.elements)
        .map((e) =>
          record(e).type === 'image'
            ? `<span class="slack-context-image">[${esc(text(record(e).alt_text, 'image'))}]</span>`
            : `<span>${textObject(e)}</span>`,
        )
        .join('')}</div>`;
    case 'actions':
      return `<div class="slack-actions">${list(b.elements).map(button).join('')}</div>`;
    case 'divider':
      return '<hr class="slack-divider">';
    default:
      return `<div class="unsupported">[unsupported Slack block: ${esc(text(b.type, 'unknown'))}]</div>`;
  }
}

/**
 * Renders a Slack incoming-webhook body (as received) like the Slack client.
 *
 * @example slackHtml({ text: 'hi', attachments: [{ color: '#D13212', blocks: [] }] })
 */
export function slackHtml(body: unknown): string {
  const message = record(body);
  const attachments = list(message.attachments).map((a) => {
    const attachment = record(a);
    const blocks = list(attachment.blocks);
    return (
      `<div class="slack-attachment"><div class="slack-bar" style="background:${hexColour(attachment.color)}"></div>` +
      `<div class="slack-blocks">${blocks.map(block).join('')}</div></div>`
    );
  });
  const topBlocks = list(message.blocks).map(block).join('');
  return (
    `<div class="slack-message"><div class="slack-avatar" aria-hidden="true">GD</div><div class="slack-body">` +
    `<div class="slack-meta"><span class="slack-app-name">GuardDuty Notify</span><span class="slack-app-badge">APP</span><span class="slack-time">just now</span></div>` +
    `<div class="slack-text">${mrkdwnToHtml(text(message.text))}</div>${topBlocks}${attachments.join('')}</div></div>`
  );
}

/**
 * A Slack app thread: the parent as it reads now (after its edits), then its
 * replies in a thread pane, each marked when it was also sent to the channel.
 */
export function slackThreadHtml(parent: unknown, replies: readonly unknown[]): string {
  const items = replies.map((reply) => {
    const broadcast = record(reply).reply_broadcast === true;
    return `<div class="slack-reply">${broadcast ? '<div class="slack-broadcast">Also sent to the channel</div>' : ''}${slackHtml(reply)}</div>`;
  });
  return (
    `${slackHtml(parent)}<div class="slack-thread"><div class="slack-thread-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>` +
    `${items.join('')}</div>`
  );
}

/** A Slack message as the webhook (or the Web API) received it; a Slack app parent with its thread replies. */
export interface SlackDelivered {
  type: 'slack';
  body: unknown;
  /** Replies in the message's thread (Slack app channels). */
  thread?: unknown[];
}

export const slackPreview: ChannelPreview<'slack', SlackDelivered> = {
  html: (delivered) =>
    delivered.thread ? slackThreadHtml(delivered.body, delivered.thread) : slackHtml(delivered.body),
  fromPayload: (_channel, payload) => ({ type: 'slack', body: payload }),
  showsRawPayload: true,
  needsScripts: false,
};
