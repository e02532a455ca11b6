import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../../harness/http.mjs';
import { startSmtpServer } from '../../../harness/smtp.mjs';

/*
 * `idle()` on the receivers and the SMTP server: once it resolves, everything a
 * client had fully sent before it vanished (a SIGKILLed function) is recorded.
 * The SIGKILL chaos (handler/test/chaos/kill.test.ts) counts on it instead of sleeping.
 */

const closers: Array<() => Promise<void>> = [];
afterAll(() => Promise.all(closers.map((close) => close())));

/** Resolves with the first chunk the server sends that matches `pattern`. */
function reply(socket: Socket, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (pattern.test(seen)) {
        socket.off('data', onData);
        resolve(seen);
      }
    };
    socket.on('data', onData);
  });
}

describe('idle()', () => {
  it('resolves at once when no client is connected', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    await receiver.idle();
    expect(receiver.requests).toEqual([]);
  });

  it('waits for a vanished HTTP client whose request was complete, and records the request', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const body = '{"text":"sent just before the kill"}';
    const socket = connect(receiver.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.destroy(); // gone without reading the answer, like a killed process
    await receiver.idle();
    expect(receiver.requests.map((r) => r.body)).toEqual([body]);
  });

  it('waits for a vanished SMTP client whose message reached the end of DATA, and records it (parsed)', async () => {
    const smtp = await startSmtpServer({ tls: false });
    closers.push(smtp.close);
    const socket = connect(smtp.port, '127.0.0.1');
    await reply(socket, /^220 /m);
    socket.write('EHLO client.example\r\n');
    await reply(socket, /^250 /m);
    socket.write('MAIL FROM:<guardduty@example.com>\r\n');
    await reply(socket, /^250 /m);
    socket.write('RCPT TO:<security@example.com>\r\n');
    await reply(socket, /^250 /m);
    socket.write('DATA\r\n');
    await reply(socket, /^354 /m);
    socket.write('Subject: sent just before the kill\r\n\r\nbody\r\n.\r\n');
    socket.destroy();
    await smtp.idle();
    expect(smtp.mails.map((m) => m.parsed?.subject)).toEqual(['sent just before the kill']);
  });
});
