// Local destinations for the bench: HTTP receivers (one of which enforces
// Slack's one message per second per webhook) and an SMTP server.
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';

/**
 * An HTTP receiver on 127.0.0.1. With `minIntervalMs`, a request sooner than
 * that after the last accepted one is refused with 429 and `Retry-After: 1`,
 * as Slack does; `toleranceMs` absorbs timer resolution only.
 */
export async function startHttpReceiver({ minIntervalMs = 0, toleranceMs = 20 } = {}) {
  const accepted = [];
  let refused = 0;
  let last = -Infinity;
  const sockets = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const now = Date.now();
      if (minIntervalMs > 0 && now - last < minIntervalMs - toleranceMs) {
        refused += 1;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' });
        res.end('rate_limited');
        return;
      }
      last = now;
      accepted.push({ at: now, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: (path = '/') => `http://127.0.0.1:${server.address().port}${path}`,
    accepted,
    get refused() {
      return refused;
    },
    reset() {
      accepted.length = 0;
      refused = 0;
      last = -Infinity;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A plain SMTP server on 127.0.0.1 that accepts every message (the bench measures the sender, not TLS). */
export async function startSmtpReceiver() {
  let messages = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        messages += 1;
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.server.address().port,
    get messages() {
      return messages;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
