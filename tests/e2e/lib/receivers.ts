import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
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
  reply(request: { path: string; body: string; attempt: number }): HttpReply;
}

export interface Recorder {
  deliveries: Delivery[];
  wave: number;
}

export interface Server {
  port: number;
  close(): Promise<void>;
}

function trackSockets(server: { on(event: 'connection', cb: (s: Socket) => void): unknown }): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/**
 * One HTTPS server on 127.0.0.1 standing in for every web endpoint of the
 * channels (Slack, Teams, Google Chat, PagerDuty, the SIEM): the Lambda
 * sandbox sends each mapped host name here, and `route` tells the channel
 * apart by Host header and path and decides the reply.
 */
export async function startHttpsReceiver(
  certs: Certs,
  recorder: Recorder,
  route: (host: string, path: string) => HttpRoute | undefined,
): Promise<Server> {
  const attempts = new Map<string, number>();
  const server = createHttpsServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const host = String(req.headers.host ?? '')
        .replace(/:\d+$/, '')
        .toLowerCase();
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const target = route(host, path);
      if (!target || req.method !== 'POST') {
        recorder.deliveries.push({
          channel: `unrouted:${host}`,
          wave: recorder.wave,
          accepted: false,
          status: 404,
          body,
          meta: { host, path, method: req.method },
        });
        res.writeHead(404).end('no such endpoint');
        return;
      }
      const attempt = (attempts.get(target.channel) ?? 0) + 1;
      attempts.set(target.channel, attempt);
      const reply = target.reply({ path, body, attempt });
      recorder.deliveries.push({
        channel: target.channel,
        wave: recorder.wave,
        accepted: reply.status >= 200 && reply.status < 300,
        status: reply.status,
        body,
        meta: {
          host,
          path,
          contentType: req.headers['content-type'],
          authorization: req.headers.authorization,
          signature: req.headers['x-guardduty-notify-signature'],
        },
      });
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body ?? '');
    });
  });
  const sockets = trackSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A real SMTP server on 127.0.0.1 (STARTTLS with the receivers' certificate,
 * AUTH required), parsing every accepted message with mailparser.
 */
export async function startSmtpReceiver(
  certs: Certs,
  recorder: Recorder,
  options: { channel: string; user: string; pass: string },
): Promise<Server> {
  const server = new SMTPServer({
    key: certs.key,
    cert: certs.cert,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    // Like a submission server: no AUTH before STARTTLS.
    allowInsecureAuth: false,
    onAuth(auth, _session, cb) {
      if (auth.username === options.user && auth.password === options.pass) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          recorder.deliveries.push({
            channel: options.channel,
            wave: recorder.wave,
            accepted: true,
            status: 250,
            body: `${mail.subject ?? ''}\n${mail.text ?? ''}`,
            meta: {
              secure: session.secure,
              user: session.user,
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject,
              findingIdHeader: mail.headers.get('x-guardduty-finding-id'),
              hasHtml: typeof mail.html === 'string' && mail.html.length > 0,
              html: mail.html || '',
            },
          });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
