import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { startSmtpServer, type SmtpOptions, type SmtpServer } from '../../../harness/smtp.mjs';
import { sendMail } from '../../src/deliver/smtp.js';
import { emailChannel } from '../../src/channels/email.js';
import { ChannelSchema, type ChannelOf } from '../../src/config/schema.js';
import { FIXTURES_DIR, normalisedFixture } from '../helpers/fixtures.js';
import { buildDigest } from '../../src/route/digest.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort } from '../helpers/receiver.js';
import { defaultHttpDeps } from '../../src/deliver/http.js';

interface Delivered {
  envelope: { from: string; to: string[] };
  mail: ParsedMail;
  secure: boolean;
  user: string | undefined;
}

let server: SmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The harness's SMTP server (STARTTLS with smtp-server's built-in test certificate, AUTH gd / correct horse), collecting parsed messages. */
async function startSmtp(options: SmtpOptions = {}): Promise<{ port: number; delivered: Delivered[] }> {
  const smtp = await startSmtpServer({ auth: { user: 'gd', pass: 'correct horse' }, ...options });
  server = smtp;
  return {
    port: smtp.port,
    get delivered() {
      return smtp.mails
        .filter((m) => m.accepted)
        .map((m) => ({ envelope: m.envelope, mail: m.parsed!, secure: m.secure, user: m.user }));
    },
  };
}

function channel(port: number, smtp: Record<string, unknown> = {}): ChannelOf<'email'> {
  return ChannelSchema.parse({
    name: 'mail',
    type: 'email',
    smtp: { host: '127.0.0.1', port, user: 'gd', pass: 'correct horse', timeoutMs: 2000, ...smtp },
    from: 'GuardDuty <guardduty@example.com>',
    to: ['sec@example.com'],
    cc: ['lead@example.com'],
    bcc: ['audit@example.com'],
    subjectPrefix: 'SECURITY',
  }) as ChannelOf<'email'>;
}

const context = {
  http: { timeoutMs: 1000, attempts: 1, maxRetryAfterSeconds: 0 },
  httpDeps: defaultHttpDeps,
  snsPublish: async () => '',
  snsPublishBatch: async () => [],
  sendMail,
};

describe('email over a real SMTP server', () => {
  it('sends multipart text + HTML over STARTTLS with auth to to/cc/bcc', async () => {
    const smtp = await startSmtp();
    const c = channel(smtp.port);
    const finding = normalisedFixture('rds-brute-force');
    await emailChannel.send(emailChannel.render(finding, c), c, context);
    expect(smtp.delivered).toHaveLength(1);
    const [got] = smtp.delivered;
    expect(got!.secure).toBe(true);
    expect(got!.user).toBe('gd');
    expect(got!.envelope.to.sort()).toEqual(['audit@example.com', 'lead@example.com', 'sec@example.com']);
    expect(got!.mail.headers.get('bcc')).toBeUndefined();
    expect(got!.mail.subject).toMatch(/^\[SECURITY\] CRITICAL /);
    expect(got!.mail.text).toContain(finding.title);
    expect(got!.mail.html).toContain('<table');
    expect(got!.mail.headers.get('x-guardduty-finding-id')).toBe(finding.id);
  });

  it('attaches the event as received when attachFinding is on, and nothing when it is off', async () => {
    const smtp = await startSmtp();
    const eventText = readFileSync(join(FIXTURES_DIR, 'rds-brute-force.json'), 'utf8');
    const finding = normalisedFixture('rds-brute-force');
    const on = { ...channel(smtp.port), attachFinding: true };
    await emailChannel.send(emailChannel.render(finding, on, eventText), on, context);
    await emailChannel.send(emailChannel.render(finding, channel(smtp.port), eventText), channel(smtp.port), context);
    const [withFile, without] = smtp.delivered;
    expect(withFile!.mail.attachments).toHaveLength(1);
    const [file] = withFile!.mail.attachments;
    expect(file!.filename).toBe(`guardduty-${finding.id}.json`);
    expect(file!.contentType).toBe('application/json');
    // Byte for byte the event the function received, not a re-serialisation.
    expect(file!.content.toString('utf8')).toBe(eventText);
    expect(withFile!.mail.text).toContain(finding.title);
    expect(without!.mail.attachments).toEqual([]);
  });

  it('attaches a digest as one JSON array of its events, and names a hostile id safely', async () => {
    const smtp = await startSmtp();
    const c = { ...channel(smtp.port), attachFinding: true };
    const names = ['rds-brute-force', 'hostile', 'minimal'];
    const texts = names.map((n) => readFileSync(join(FIXTURES_DIR, `${n}.json`), 'utf8'));
    await emailChannel.send(emailChannel.renderDigest(buildDigest(names.map(normalisedFixture)), c, texts), c, context);
    const hostileId = '../../etc/passwd\r\nBcc: x';
    await emailChannel.send(
      emailChannel.render({ ...normalisedFixture('minimal'), id: hostileId }, c, texts[2]),
      c,
      context,
    );
    const [digest, hostile] = smtp.delivered;
    expect(digest!.mail.attachments.map((a) => a.filename)).toEqual(['guardduty-digest.json']);
    expect(JSON.parse(digest!.mail.attachments[0]!.content.toString('utf8'))).toEqual(texts.map((t) => JSON.parse(t)));
    expect(digest!.mail.headers.get('x-guardduty-attached-events')).toBe('3 of 3');
    expect(hostile!.mail.attachments[0]!.filename).toBe('guardduty-__.._etc_passwd__Bcc__x.json');
    expect([...hostile!.mail.headers.keys()]).not.toContain('bcc');
  });

  it('keeps hostile finding text out of the headers and the HTML markup', async () => {
    const smtp = await startSmtp();
    const c = channel(smtp.port);
    await emailChannel.send(emailChannel.render(normalisedFixture('hostile'), c), c, context);
    const [got] = smtp.delivered;
    expect(got!.envelope.to).not.toContain('victim@example.com');
    expect([...got!.mail.headers.keys()]).not.toContain('bcc');
    expect(got!.mail.html).not.toMatch(/<(script|img|b)[\s>]/i);
    expect(got!.mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('refuses to send in clear text when TLS is required and the server offers none', async () => {
    const smtp = await startSmtp({ tls: false });
    const c = channel(smtp.port);
    await expect(
      emailChannel.send(emailChannel.render(normalisedFixture('minimal'), c), c, context),
    ).rejects.toMatchObject({ kind: 'config' });
    expect(smtp.delivered).toHaveLength(0);
  });

  it('classifies wrong credentials as config, 4xx as retryable and 5xx as permanent', async () => {
    let reply = 451;
    const smtp = await startSmtp({
      rcpt: () => ({ code: reply, message: reply === 451 ? 'Try again later' : 'Mailbox unavailable' }),
    });
    const finding = normalisedFixture('minimal');
    const wrongPass = channel(smtp.port, { pass: 'wrong' });
    await expect(emailChannel.send(emailChannel.render(finding, wrongPass), wrongPass, context)).rejects.toMatchObject({
      kind: 'config',
    });
    const c = channel(smtp.port);
    await expect(emailChannel.send(emailChannel.render(finding, c), c, context)).rejects.toMatchObject({
      kind: 'retryable',
      details: { status: 451 },
    });
    reply = 550;
    await expect(emailChannel.send(emailChannel.render(finding, c), c, context)).rejects.toMatchObject({
      kind: 'permanent',
    });
  });

  it('treats a closed port and a dropped connection as retryable, without the password in the error', async () => {
    const port = await closedPort();
    const c = channel(port);
    const error = await emailChannel
      .send(emailChannel.render(normalisedFixture('minimal'), c), c, context)
      .catch((e: Error) => e);
    expect(error).toMatchObject({ kind: 'retryable' });
    expect(String((error as Error).message)).not.toContain('correct horse');
    const smtp = await startSmtp({ answer: () => 'drop' });
    const d = channel(smtp.port);
    await expect(
      emailChannel.send(emailChannel.render(normalisedFixture('minimal'), d), d, context),
    ).rejects.toMatchObject({ kind: 'retryable' });
  });
});
