import { esc } from './escape.js';
import { record, text, type ChannelPreview, type DeliveredMail } from './types.js';

/*
 * An email as a mail client shows it: envelope lines, our X-GuardDuty-*
 * headers, the HTML part exactly as sent inside a sandboxed iframe, and the
 * text part.
 *
 * The sandbox allows no scripts, forms, popups or navigation of the page (the
 * page's CSP also applies to srcdoc). It keeps the page's origin: a frame with
 * an opaque origin counts as cross-origin, and Chromium does not paint a
 * cross-origin frame outside the viewport, so a full-page screenshot of the
 * gallery showed every email blank (measured with Chromium 156 headless; the
 * frame's CSS made no difference). Without scripts, the origin gives the frame's
 * content nothing to use.
 */
const EMAIL_FRAME_SANDBOX = 'allow-same-origin';

function headerRow(name: string, value: string): string {
  return `<tr><th scope="row">${esc(name)}</th><td>${esc(value)}</td></tr>`;
}

/**
 * Renders a received email.
 *
 * @example emailHtml({ subject: 'x', from: 'a@b', to: ['c@d'], cc: [], text: 't', html: '<p>h</p>', headers: {} })
 */
export function emailHtml(mail: DeliveredMail): string {
  const extra = Object.entries(mail.headers).filter(([name]) => /^x-guardduty-/i.test(name));
  return (
    `<div class="email">` +
    `<div class="email-subject">${esc(mail.subject)}</div>` +
    `<table class="email-headers">` +
    headerRow('From', mail.from) +
    headerRow('To', mail.to.join(', ')) +
    (mail.cc.length > 0 ? headerRow('Cc', mail.cc.join(', ')) : '') +
    extra.map(([name, value]) => headerRow(name, value)).join('') +
    `</table>` +
    `<iframe class="email-html" sandbox="${EMAIL_FRAME_SANDBOX}" referrerpolicy="no-referrer" title="HTML part of the email" srcdoc="${esc(mail.html)}"></iframe>` +
    `<details class="email-text"><summary>Text part</summary><pre>${esc(mail.text)}</pre></details>` +
    `</div>`
  );
}

/** A received email, after MIME parsing. */
export interface EmailDelivered {
  type: 'email';
  mail: DeliveredMail;
}

export const emailPreview: ChannelPreview<'email', EmailDelivered> = {
  html: (delivered) => emailHtml(delivered.mail),
  // The renderer makes the content; the envelope comes from the channel.
  fromPayload: (channel, payload) => {
    const p = record(payload);
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
  },
  showsRawPayload: true,
  needsScripts: false,
};
