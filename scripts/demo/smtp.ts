import { startSmtpServer } from '../../harness/smtp.mjs';
import type { DeliveredMail } from '../../handler/src/preview/types.js';

/*
 * The harness's SMTP server (harness/smtp.mjs) set up as a submission server:
 * STARTTLS with smtp-server's built-in test certificate, AUTH required (and
 * only over TLS), every message parsed back with mailparser as a mail client
 * would; here each one is shaped for the gallery.
 */

export interface CapturedMail {
  mail: DeliveredMail;
  envelope: { from: string; to: string[] };
  secure: boolean;
  /** What a test or the gallery may want beyond the rendering: headers and sizes. */
  raw: Record<string, unknown>;
}

export interface DemoSmtp {
  port: number;
  user: string;
  pass: string;
  readonly mails: CapturedMail[];
  close(): Promise<void>;
}

function addresses(value: unknown): string[] {
  const list = (Array.isArray(value) ? value : value ? [value] : []) as Array<{ text?: string }>;
  return list.map((a) => a.text ?? '').filter(Boolean);
}

export async function startSmtp(): Promise<DemoSmtp> {
  const user = 'guardduty-notify';
  const pass = 'demo-smtp-password';
  const server = await startSmtpServer({
    auth: { user, pass, required: true },
    banner: 'guardduty-notify demo mail server',
  });
  return {
    port: server.port,
    user,
    pass,
    get mails() {
      return server.mails
        .filter((m) => m.accepted && m.parsed)
        .map(({ parsed, envelope, secure }) => {
          const p = parsed!;
          const headers: Record<string, string> = {};
          for (const [name, value] of p.headers) if (name.startsWith('x-guardduty-')) headers[name] = String(value);
          return {
            mail: {
              subject: p.subject ?? '',
              from: p.from?.text ?? '',
              to: addresses(p.to),
              cc: addresses(p.cc),
              text: p.text ?? '',
              html: typeof p.html === 'string' ? p.html : '',
              headers,
            },
            envelope,
            secure,
            raw: {
              subject: p.subject,
              messageId: p.messageId,
              headers,
              envelopeTo: envelope.to,
              tls: secure,
              textBytes: (p.text ?? '').length,
              htmlBytes: typeof p.html === 'string' ? p.html.length : 0,
            },
          };
        });
    },
    close: server.close,
  };
}
