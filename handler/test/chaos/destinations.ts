import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/*
 * Destinations for the fault suite: real servers on 127.0.0.1 that answer each
 * attempt from a policy and record whether the sender actually *saw* a success.
 * A reply written after the client gave up (timeout) does not count as an
 * accepted delivery: the sender cannot know about it, so a re-send is the
 * at-least-once contract, not a duplicate. Those late replies are counted
 * separately so the report shows them.
 */

/** How one attempt is answered. */
export type Answer =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { reset: true }
  | { hang: true };

/** One attempt at a destination. */
export interface Attempt {
  at: number;
  body: string;
  /** "200", "429", "reset", "hang", "451", "drop", … */
  answer: string;
  /** The sender received a success for this attempt. */
  accepted: boolean;
  /** A success was written after the sender had gone (timed out). */
  late: boolean;
}

export interface Destination {
  /** Config `type` of the channel this destination stands for. */
  readonly type: string;
  readonly attempts: Attempt[];
  close(): Promise<void>;
}

export interface HttpDestination extends Destination {
  url: string;
  /** Decides the answer for the n-th attempt (0-based) at this destination. */
  policy: (n: number, body: string) => Answer;
}

/** Always 200 (Slack answers "ok"; the others' bodies do not matter to the sender). */
export const ok = (): Answer => ({ status: 200, body: 'ok' });

/** The first `count` attempts get `failure`, the rest 200. */
export function firstFail(count: number, failure: Answer): (n: number) => Answer {
  return (n) => (n < count ? failure : ok());
}

/**
 * Slack's documented webhook limit, one message per second per webhook: an
 * attempt less than `intervalMs - toleranceMs` after the last accepted one gets
 * 429 with `Retry-After: 1`. The tolerance absorbs timer resolution only.
 */
export function rateLimited(intervalMs = 1_000, toleranceMs = 20): (n: number) => Answer {
  let last = -Infinity;
  return () => {
    const now = Date.now();
    if (now - last < intervalMs - toleranceMs)
      return { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' };
    last = now;
    return ok();
  };
}

/** A real HTTP server on 127.0.0.1 standing for one channel's endpoint. */
export async function startHttpDestination(
  type: string,
  policy: (n: number, body: string) => Answer = ok,
): Promise<HttpDestination> {
  const sockets = new Set<Socket>();
  const attempts: Attempt[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const attempt: Attempt = { at: Date.now(), body, answer: '', accepted: false, late: false };
      attempts.push(attempt);
      const answer = destination.policy(attempts.length - 1, body);
      reply(res, answer, attempt);
    });
  });
  const reply = (res: ServerResponse, answer: Answer, attempt: Attempt) => {
    if ('reset' in answer) {
      attempt.answer = 'reset';
      res.socket?.destroy();
      return;
    }
    if ('hang' in answer) {
      attempt.answer = 'hang';
      return;
    }
    attempt.answer = String(answer.status);
    const write = () => {
      const gone = !res.socket || res.socket.destroyed || res.destroyed;
      if (gone) {
        attempt.late = answer.status >= 200 && answer.status < 300;
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
      attempt.accepted = answer.status >= 200 && answer.status < 300;
    };
    if (answer.delayMs) setTimeout(write, answer.delayMs);
    else write();
  };
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const destination: HttpDestination = {
    type,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${type}`,
    attempts,
    policy,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return destination;
}

/** How one SMTP message is answered: accepted, refused with a reply code, or the connection dropped. */
export type MailAnswer = 'accept' | { code: number; message: string } | 'drop';

export interface SmtpDestination extends Destination {
  port: number;
  policy: (n: number) => MailAnswer;
}

/**
 * A real SMTP server (npm smtp-server, STARTTLS with its built-in test
 * certificate) that answers each message after reading all of its DATA.
 * `attempt.body` is the raw message (headers and body).
 */
export async function startSmtpDestination(
  policy: (n: number) => MailAnswer = () => 'accept',
): Promise<SmtpDestination> {
  const attempts: Attempt[] = [];
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const attempt: Attempt = {
          at: Date.now(),
          body: Buffer.concat(chunks).toString('utf8'),
          answer: '',
          accepted: false,
          late: false,
        };
        attempts.push(attempt);
        const answer = destination.policy(attempts.length - 1);
        if (answer === 'accept') {
          attempt.answer = '250';
          attempt.accepted = true;
          callback();
        } else if (answer === 'drop') {
          attempt.answer = 'drop';
          // Drop every open connection before the reply (one message per connection here).
          for (const connection of (server as unknown as { connections: Set<{ _socket: Socket }> }).connections)
            connection._socket.destroy();
        } else {
          attempt.answer = String(answer.code);
          callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
        }
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const destination: SmtpDestination = {
    type: 'email',
    port: (server.server.address() as AddressInfo).port,
    attempts,
    policy,
    close: () =>
      new Promise((resolve) => {
        for (const connection of (server as unknown as { connections: Set<{ _socket: Socket }> }).connections)
          connection._socket.destroy();
        server.close(() => resolve());
      }),
  };
  return destination;
}
