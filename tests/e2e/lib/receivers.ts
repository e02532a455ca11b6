import { type Received, startReceiver } from '../../../harness/http.mjs';
import { startSmtpServer } from '../../../harness/smtp.mjs';
import type { Certs } from './certs.js';

/** One message a receiver accepted (or refused, when `accepted` is false). */
export interface Delivery {
  channel: string;
  /** Which wave of findings was being processed when it arrived. */
  wave: number;
  accepted: boolean;
  status: number;
  body: string;
  /** Protocol details: host, path, headers of interest, SMTP envelope. */
  meta: Record<string, unknown>;
}

export interface HttpReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface HttpRoute {
  channel: string;
  /** `request` is the whole request as received, for a service stand-in that reads headers (a bearer token). */
  reply(request: { path: string; body: string; attempt: number; request: Received }): HttpReply;
}

export interface Recorder {
  deliveries: Delivery[];
  wave: number;
}

export interface Server {
  port: number;
  close(): Promise<void>;
}

/**
 * One HTTPS receiver (harness/http.mjs) on 127.0.0.1 standing in for every web
 * endpoint of the channels (Slack, Teams, Google Chat, PagerDuty, the SIEM):
 * the Lambda sandbox sends each mapped host name here, and `route` tells the
 * channel apart by Host header and path and decides the reply.
 */
export async function startHttpsReceiver(
  certs: Certs,
  recorder: Recorder,
  route: (host: string, path: string) => HttpRoute | undefined,
): Promise<Server> {
  const attempts = new Map<string, number>();
  const receiver = await startReceiver(
    (request) => {
      const { host, path, body } = request;
      const target = route(host, path);
      if (!target || request.method !== 'POST') {
        recorder.deliveries.push({
          channel: `unrouted:${host}`,
          wave: recorder.wave,
          accepted: false,
          status: 404,
          body,
          meta: { host, path, method: request.method },
        });
        return { status: 404, body: 'no such endpoint' };
      }
      const attempt = (attempts.get(target.channel) ?? 0) + 1;
      attempts.set(target.channel, attempt);
      const reply = target.reply({ path, body, attempt, request });
      recorder.deliveries.push({
        channel: target.channel,
        wave: recorder.wave,
        accepted: reply.status >= 200 && reply.status < 300,
        status: reply.status,
        body,
        meta: {
          host,
          path,
          contentType: request.headers['content-type'],
          authorization: request.headers.authorization,
          signature: request.headers['x-guardduty-notify-signature'],
        },
      });
      return { ...reply, headers: { 'content-type': 'application/json', ...reply.headers } };
    },
    { tls: { key: certs.key, cert: certs.cert } },
  );
  return { port: receiver.port, close: receiver.close };
}

/**
 * The harness's SMTP server (harness/smtp.mjs) on 127.0.0.1: STARTTLS with the
 * receivers' certificate, AUTH required (and only after STARTTLS, like a
 * submission server), every accepted message parsed with mailparser.
 */
export async function startSmtpReceiver(
  certs: Certs,
  recorder: Recorder,
  options: { channel: string; user: string; pass: string },
): Promise<Server> {
  const smtp = await startSmtpServer({
    tls: { key: certs.key, cert: certs.cert },
    auth: { user: options.user, pass: options.pass, required: true },
    onMail: ({ parsed, envelope, secure, user }) => {
      const mail = parsed!;
      recorder.deliveries.push({
        channel: options.channel,
        wave: recorder.wave,
        accepted: true,
        status: 250,
        body: `${mail.subject ?? ''}\n${mail.text ?? ''}`,
        meta: {
          secure,
          user,
          envelopeFrom: envelope.from,
          envelopeTo: envelope.to,
          subject: mail.subject,
          findingIdHeader: mail.headers.get('x-guardduty-finding-id'),
          hasHtml: typeof mail.html === 'string' && mail.html.length > 0,
          html: mail.html || '',
        },
      });
    },
  });
  return { port: smtp.port, close: smtp.close };
}
