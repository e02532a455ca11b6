import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { DeliveredMail } from '../../handler/src/preview/types.js';

/*
 * A real SMTP server on 127.0.0.1: STARTTLS with smtp-server's built-in test
 * certificate, AUTH required (and only over TLS), every message parsed back
 * with mailparser as a mail client would.
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
  mails: CapturedMail[];
  close(): Promise<void>;
}

function addresses(value: unknown): string[] {
  const list = (Array.isArray(value) ? value : value ? [value] : []) as Array<{ text?: string }>;
  return list.map((a) => a.text ?? '').filter(Boolean);
}

export async function startSmtp(): Promise<DemoSmtp> {
  const user = 'guardduty-notify';
  const pass = 'demo-smtp-password';
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    banner: 'guardduty-notify demo mail server',
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) callback(null, { user });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of parsed.headers)
            if (name.startsWith('x-guardduty-')) headers[name] = String(value);
          mails.push({
            mail: {
              subject: parsed.subject ?? '',
              from: parsed.from?.text ?? '',
              to: addresses(parsed.to),
              cc: addresses(parsed.cc),
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers,
            },
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            secure: session.secure,
            raw: {
              subject: parsed.subject,
              messageId: parsed.messageId,
              headers,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              tls: session.secure,
              textBytes: (parsed.text ?? '').length,
              htmlBytes: typeof parsed.html === 'string' ? parsed.html.length : 0,
            },
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    user,
    pass,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
