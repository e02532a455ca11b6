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
    // The payload is the Publish request: a JSON message of per-protocol bodies, typed attributes.
    const p = record(payload);
    let bodies: Record<string, unknown> = {};
    try {
      bodies = record(JSON.parse(text(p.Message)));
    } catch {
      bodies = { default: text(p.Message) };
    }
    return {
      type: 'sns',
      sns: {
        subject: text(p.Subject),
        message: text(bodies.default),
        attributes: Object.fromEntries(
          Object.entries(record(p.MessageAttributes)).map(([k, v]) => [k, text(record(v).StringValue)]),
        ),
        topicArn: channel.topicArn,
      },
    };
  },
  showsRawPayload: true,
  needsScripts: false,
};
