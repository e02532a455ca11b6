import { esc } from './escape.js';
import { record, text, type ChannelPreview, type DeliveredSns } from './types.js';

/*
 * An SNS notification as a subscriber sees it: subject, the message
 * attributes that subscription filter policies match on, and the message.
 */

/**
 * Renders an SNS notification.
 *
 * @example snsHtml({ subject: 'GuardDuty HIGH', message: '…', attributes: { severity: 'HIGH' } })
 */
export function snsHtml(sns: DeliveredSns): string {
  const attributes = Object.entries(sns.attributes);
  return (
    `<div class="sns">` +
    (sns.topicArn ? `<div class="sns-topic">Topic <code>${esc(sns.topicArn)}</code></div>` : '') +
    `<div class="sns-subject"><span class="field-label">Subject</span> ${esc(sns.subject)}</div>` +
    (attributes.length > 0
      ? `<table class="kv"><caption>Message attributes</caption>${attributes.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`).join('')}</table>`
      : '') +
    `<pre class="sns-message">${esc(sns.message)}</pre>` +
    `</div>`
  );
}

/** An SNS notification as an SQS subscriber receives it. */
export interface SnsDelivered {
  type: 'sns';
  sns: DeliveredSns;
}

export const snsPreview: ChannelPreview<'sns', SnsDelivered> = {
  html: (delivered) => snsHtml(delivered.sns),
  fromPayload: (channel, payload) => {
    const p = record(payload);
    return {
      type: 'sns',
      sns: {
        subject: text(p.subject),
        message: text(p.message),
        attributes: record(p.attributes) as Record<string, string>,
        topicArn: channel.topicArn,
      },
    };
  },
  showsRawPayload: true,
  needsScripts: false,
};
