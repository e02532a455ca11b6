import { DeliveryError, type FailureKind } from './errors.js';
import type { SendContext } from '../channels/types.js';

type Nodemailer = typeof import('nodemailer');
let nodemailer: Promise<Nodemailer> | undefined;
const transports = new Map<string, import('nodemailer').Transporter>();

/**
 * SMTP reply classes: 4xx is transient (greylisting, mailbox busy), 5xx is a
 * refusal of this message; authentication failures are config problems.
 */
function classify(error: { code?: string; responseCode?: number }): FailureKind {
  if (error.code === 'EAUTH' || error.responseCode === 535 || error.responseCode === 530) return 'config';
  if (error.code === 'ETLS' || error.code === 'ENOTLS') return 'config';
  if (typeof error.responseCode === 'number') return error.responseCode >= 500 ? 'permanent' : 'retryable';
  return 'retryable'; // ECONNECTION, ETIMEDOUT, ESOCKET, EDNS …
}

/** Sends one email through nodemailer, one pooled-less transport per SMTP settings. */
export const sendMail: SendContext['sendMail'] = async (smtp, mail) => {
  nodemailer ??= import('nodemailer');
  const mod = await nodemailer;
  const key = JSON.stringify([smtp.host, smtp.port, smtp.secure, smtp.requireTls, smtp.user ?? '', smtp.pass ?? '']);
  let transport = transports.get(key);
  if (!transport) {
    transport = (mod.default ?? mod).createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: !smtp.secure && smtp.requireTls,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
      connectionTimeout: smtp.timeoutMs,
      greetingTimeout: smtp.timeoutMs,
      socketTimeout: smtp.timeoutMs,
      // Local test servers use self-signed certificates only on loopback.
      tls: { rejectUnauthorized: !['127.0.0.1', 'localhost', '::1'].includes(smtp.host) },
    });
    transports.set(key, transport);
  }
  try {
    const info = await transport.sendMail({
      from: mail.from,
      to: mail.to,
      cc: mail.cc,
      bcc: mail.bcc,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: mail.headers,
      ...(mail.attachments ? { attachments: mail.attachments } : {}),
    });
    return String(info.messageId ?? '');
  } catch (error) {
    const e = error as { code?: string; responseCode?: number; message?: string };
    throw new DeliveryError(
      `via ${smtp.host}:${smtp.port}: ${e.code ?? 'error'} ${e.responseCode ?? ''} ${(e.message ?? '').slice(0, 200)}`.trim(),
      classify(e),
      {
        cause: error,
        ...(e.code ? { code: e.code } : {}),
        ...(e.responseCode ? { status: e.responseCode } : {}),
      },
    );
  }
};
