import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { startSmtpServer, type SmtpOptions, type SmtpServer } from '../../../harness/smtp.mjs';
import { sendMail } from '../../src/deliver/smtp.js';
import { emailChannel } from '../../src/channels/email.js';
import { ChannelSchema, type ChannelOf } from '../../src/config/schema.js';
import { normalisedFixture } from '../helpers/fixtures.js';
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
