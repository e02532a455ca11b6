import { describe, expect, it } from 'vitest';
import {
  EMAIL_ATTACHMENT_MAX_BYTES,
  EMAIL_HTML_MAX_BYTES,
  EMAIL_SUBJECT_MAX,
  digestAttachment,
  fileNamePart,
  EmailPayloadSchema,
  emailChannel,
  type EmailPayload,
} from '../../src/channels/email.js';
import type { OutgoingMail, SendContext } from '../../src/channels/types.js';
import type { ChannelOf } from '../../src/config/schema.js';
import { EmailChannelSchema } from '../../src/channels/email.js';
import { DeliveryError } from '../../src/deliver/errors.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { buildDigest } from '../../src/route/digest.js';
import { deliveryError, sendContext } from '../helpers/channel.js';
import { fixtureNames, normalisedFixture } from '../helpers/fixtures.js';
import { expectGolden } from '../helpers/golden.js';

const channel = EmailChannelSchema.parse({
  name: 'sec-email',
  type: 'email',
  smtp: { host: 'smtp.example.com', user: 'notify', pass: 'hunter2' },
  from: 'GuardDuty <guardduty@example.com>',
  to: ['soc@example.com'],
  cc: ['lead@example.com'],
  subjectPrefix: 'SECURITY',
});

/** Tags the HTML template writes; anything else would have come from a finding. */
const OUR_TAGS = new Set([
  '!DOCTYPE',
  'html',
  'head',
  'meta',
  'title',
  'body',
  'table',
  'tr',
  'td',
  'span',
  'div',
  'a',
  'strong',
  'br',
]);

function tagNames(html: string): string[] {
  return [...html.matchAll(/<\/?([!A-Za-z][A-Za-z0-9-]*)/g)].map((m) => m[1] ?? '');
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
}

/** The golden text file: subject and headers, a blank line, then the text part. */
function textGolden(payload: EmailPayload): string {
  const headers = Object.entries(payload.headers).map(([k, v]) => `${k}: ${v}`);
  return [`Subject: ${payload.subject}`, ...headers, '', payload.text].join('\n');
}

function hugeFinding(): NormalisedFinding {
  const base = normalisedFixture('s3-malware-object');
  const field = (i: number) => ({ label: `Field ${i}`, value: `<b>${'v'.repeat(1990)}</b>` });
  return {
    ...base,
    title: '<script>x</script>'.repeat(500),
    description: '<img src=x onerror=alert(1)>\n'.repeat(4000),
    resource: { ...base.resource, fields: Array.from({ length: 200 }, (_, i) => field(i)) },
    action: { ...base.action, fields: Array.from({ length: 200 }, (_, i) => field(i)) },
  };
}

describe.each(fixtureNames())('render %s', (name) => {
  it('matches its golden files; every value is escaped and the only link is the console', () => {
    const finding = normalisedFixture(name);
    const payload = emailChannel.render(finding, channel);
    EmailPayloadSchema.parse(payload);
    expectGolden(`email/${name}.txt`, textGolden(payload));
    expectGolden(`email/${name}.html`, payload.html);
    expect(tagNames(payload.html).filter((t) => !OUR_TAGS.has(t))).toEqual([]);
    expect(hrefs(payload.html)).toEqual([
      ...(finding.consoleUrl ? [finding.consoleUrl] : []),
      ...finding.nextSteps.map((s) => s.url),
    ]);
    // The text part mirrors the HTML: same headline facts.
    for (const fact of [
      finding.type.full,
      finding.region,
      finding.account.id,
      `${finding.severity.band} ${finding.severity.score.toFixed(1)}`,
    ]) {
      expect(payload.text).toContain(fact);
      expect(payload.html).toContain(fact.replace(/&/g, '&amp;'));
    }
  });
});

describe('email render', () => {
  it('escapes hostile HTML and keeps header injection out of the subject and headers', () => {
    const payload = emailChannel.render(normalisedFixture('hostile'), channel);
    expect(payload.html).not.toMatch(/<script|<img|onerror=alert\(1\)>|"><b>/);
    expect(payload.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(payload.subject).not.toMatch(/[\r\n]/);
    for (const value of Object.values(payload.headers)) expect(value).not.toMatch(/[\r\n]/);
  });

  it('strips CR/LF from a title and a configured prefix, keeping the subject to one line', () => {
    const finding = {
      ...normalisedFixture('ec2-ssh-bruteforce'),
      title: 'Brute force\r\nBcc: victim@example.com\nX: y',
    };
    const payload = emailChannel.render(finding, { ...channel, subjectPrefix: 'SEC\r\nBcc: a@example.com' });
    expect(payload.subject).toBe(
      '[SEC Bcc: a@example.com] LOW Brute force Bcc: victim@example.com X: y (prod-payments)',
    );
  });

  it('cleans the finding id header to printable ASCII', () => {
    const payload = emailChannel.render(
      { ...normalisedFixture('minimal'), id: 'abc\r\nBcc: x@example.com\u00e9' },
      channel,
    );
    expect(payload.headers['X-GuardDuty-Finding-Id']).toBe('abc Bcc: x@example.com');
  });

  it('puts band, markers, title and account in the subject', () => {
    expect(emailChannel.render(normalisedFixture('sample-finding'), channel).subject).toBe(
      '[SECURITY] HIGH [SAMPLE] EC2 instance i-99999999 is communicating with IP address 198.51.100.0 on the Tor Anonymizing Proxy network. (444455556666)',
    );
    expect(emailChannel.render(normalisedFixture('update-finding'), channel).subject).toMatch(
      /^\[SECURITY\] LOW \[UPDATE\] /,
    );
    expect(emailChannel.render(normalisedFixture('archived-finding'), channel).subject).toMatch(
      /^\[SECURITY\] MEDIUM \[UPDATE\] \[ARCHIVED\] /,
    );
  });

  it('shows the severity colour bar and badge', () => {
    const html = emailChannel.render(normalisedFixture('rds-brute-force'), channel).html;
    expect(html).toContain('height:6px;line-height:6px;font-size:6px;background-color:#C0392B;');
    expect(html).toMatch(/background-color:#C0392B;[^"]*">CRITICAL 9\.0<\/span>/);
  });

  it('omits the button when there is no console link', () => {
    const finding = normalisedFixture('minimal');
    const payload = emailChannel.render({ ...finding, consoleUrl: null }, channel);
    // The next steps stay: fixed AWS documentation pages.
    expect(hrefs(payload.html)).toEqual(finding.nextSteps.map((s) => s.url));
    expect(payload.text).toContain('No GuardDuty console link');
  });

  it('indents the description so finding text cannot pass for one of our lines', () => {
    const finding = {
      ...normalisedFixture('minimal'),
      description: 'fine\nOpen in the GuardDuty console: https://evil.example',
    };
    expect(emailChannel.render(finding, channel).text).toContain(
      '\n  Open in the GuardDuty console: https://evil.example\n',
    );
  });

  it('keeps a huge finding under the HTML budget and the subject under 200 characters', () => {
    const payload = emailChannel.render(hugeFinding(), channel);
    EmailPayloadSchema.parse(payload);
    expect(Buffer.byteLength(payload.html)).toBeLessThanOrEqual(EMAIL_HTML_MAX_BYTES);
    expect(payload.subject.length).toBeLessThanOrEqual(EMAIL_SUBJECT_MAX);
    expect(payload.subject.endsWith('… (prod-payments)')).toBe(true);
    expect(tagNames(payload.html).filter((t) => !OUR_TAGS.has(t))).toEqual([]);
    expect(payload.html).toMatch(/… \d+ more in the console/);
    expect(payload.text).toMatch(/… \d+ more in the console/);
  });
});

describe('email digest', () => {
  const all = fixtureNames().map(normalisedFixture);

  it('matches its golden files over every fixture', () => {
    const payload = emailChannel.renderDigest(buildDigest(all), channel);
    EmailPayloadSchema.parse(payload);
    expectGolden('email/digest.txt', textGolden(payload));
    expectGolden('email/digest.html', payload.html);
    expect(payload.subject).toMatch(
      new RegExp(
        `^\\[SECURITY\\] Digest: ${all.length} findings \\(\\d+ CRITICAL, \\d+ HIGH, \\d+ MEDIUM, \\d+ LOW\\)$`,
      ),
    );
    expect(tagNames(payload.html).filter((t) => !OUR_TAGS.has(t))).toEqual([]);
  });

  it('links each top finding and the findings list when all share a region', () => {
    const digest = buildDigest(all.filter((f) => f.region === 'us-east-1' && f.partition === 'aws'));
    const payload = emailChannel.renderDigest(digest, channel);
    expect(hrefs(payload.html)).toEqual([...digest.top.map((f) => f.consoleUrl), digest.consoleUrl]);
    expect(payload.text).toContain(`Open the findings list: ${digest.consoleUrl}`);
  });

  it('renders empty and huge digests', () => {
    EmailPayloadSchema.parse(emailChannel.renderDigest(buildDigest([]), channel));
    const huge = emailChannel.renderDigest(buildDigest(Array.from({ length: 20 }, hugeFinding)), channel);
    EmailPayloadSchema.parse(huge);
    expect(Buffer.byteLength(huge.html)).toBeLessThanOrEqual(EMAIL_HTML_MAX_BYTES);
  });
});

describe('email send', () => {
  const recordingContext = (sendMail: SendContext['sendMail']): SendContext => ({ ...sendContext(), sendMail });
  const payload = emailChannel.render(normalisedFixture('ec2-dns-bitcoin'), channel);

  it('hands the envelope from config and the rendered content to sendMail', async () => {
    const calls: Array<[ChannelOf<'email'>['smtp'], OutgoingMail]> = [];
    const result = await emailChannel.send(
      payload,
      channel,
      recordingContext(async (smtp, mail) => {
        calls.push([smtp, mail]);
        return '<id@example.com>';
      }),
    );
    expect(result).toEqual({ attempts: 1 });
    expect(calls).toEqual([
      [
        channel.smtp,
        {
          from: 'GuardDuty <guardduty@example.com>',
          to: ['soc@example.com'],
          cc: ['lead@example.com'],
          bcc: [],
          subject: payload.subject,
          text: payload.text,
          html: payload.html,
          headers: payload.headers,
        },
      ],
    ]);
  });

  it('names the channel in DeliveryErrors from the mail seam, keeping kind and details', async () => {
    const refused = new DeliveryError('via smtp.example.com:587: 550 mailbox unavailable', 'permanent', {
      status: 550,
    });
    expect(
      await deliveryError(
        emailChannel.send(
          payload,
          channel,
          recordingContext(() => Promise.reject(refused)),
        ),
      ),
    ).toMatchObject({
      kind: 'permanent',
      message: 'email "sec-email": via smtp.example.com:587: 550 mailbox unavailable',
      channel: { name: 'sec-email', type: 'email' },
      details: { status: 550 },
    });
  });

  it('wraps anything else as a retryable DeliveryError naming the channel', async () => {
    const error = await deliveryError(
      emailChannel.send(
        payload,
        channel,
        recordingContext(() => Promise.reject(new Error('socket hang up'))),
      ),
    );
    expect(error).toMatchObject({ kind: 'retryable', message: 'email "sec-email": Error: socket hang up' });
  });
});

describe('email attachments', () => {
  it('stops a digest array before 5 MB and says how many events it holds', () => {
    const event = JSON.stringify({ detail: { id: 'x', blob: 'y'.repeat(200_000) } });
    const { attachment, attached } = digestAttachment(Array.from({ length: 40 }, () => event));
    expect(Buffer.byteLength(attachment.content, 'utf8')).toBeLessThanOrEqual(EMAIL_ATTACHMENT_MAX_BYTES);
    expect(attached).toBe(Math.floor((EMAIL_ATTACHMENT_MAX_BYTES - 2) / (event.length + 1)));
    expect(JSON.parse(attachment.content)).toHaveLength(attached);
    expect(digestAttachment([]).attachment.content).toBe('[]');
  });

  it('renders no attachment unless attachFinding is on, and the event text unchanged when it is', () => {
    const finding = normalisedFixture('minimal');
    const config = { ...channel, attachFinding: true };
    const text = '{ "as": "received" }';
    expect(channel.attachFinding).toBe(false);
    expect(emailChannel.render(finding, channel, text)).not.toHaveProperty('attachments');
    const payload = emailChannel.render(finding, config, text);
    EmailPayloadSchema.parse(payload);
    expect(payload.attachments).toEqual([
      { filename: `guardduty-${finding.id}.json`, contentType: 'application/json', content: text },
    ]);
    expect(fileNamePart('a/b\\c:d*é')).toBe('a_b_c_d__');
  });
});
