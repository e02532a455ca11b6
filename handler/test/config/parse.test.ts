import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPES } from '../../src/channels/registry.js';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig, secretValues } from '../../src/config/parse.js';
import { configJsonSchema } from '../../src/config/jsonSchema.js';

const SLACK_URL = 'https://hooks.slack.com/services/T0000/B0000/supersecretvalue123';

const valid = {
  defaults: { minSeverity: 'MEDIUM', notifyOn: 'escalations' },
  accountNames: { '111122223333': 'prod-payments' },
  channels: [
    { name: 'sec-slack', type: 'slack', webhookUrl: SLACK_URL, exclude: { types: ['Recon:*'] } },
    { name: 'oncall', type: 'pagerduty', routingKey: 'R0UT1NGKEY0000000000000000000000', minSeverity: 'CRITICAL' },
    {
      name: 'mail',
      type: 'email',
      smtp: { host: 'smtp.example.com', user: 'u', pass: 'hunter2hunter2' },
      from: 'gd@example.com',
      to: ['sec@example.com'],
    },
  ],
};

function errorOf(value: unknown): ConfigError {
  try {
    parseConfig(typeof value === 'string' ? value : JSON.stringify(value));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('accepts a full config and fills defaults', () => {
    const config = parseConfig(JSON.stringify(valid));
    expect(config.channels).toHaveLength(3);
    expect(config.delivery).toEqual({ timeoutMs: 5000, attempts: 3, maxRetryAfterSeconds: 10 });
    const mail = config.channels[2];
    expect(mail?.type === 'email' && mail.smtp.port).toBe(587);
  });

  it('names the JSON path and what is expected', () => {
    const error = errorOf({
      channels: [{ name: 'a', type: 'email', smtp: { host: 'h', port: 99999 }, from: 'x@y.z', to: ['not-an-email'] }],
    });
    expect(error.message).toContain('channels[0].smtp.port');
    expect(error.message).toContain('channels[0].to[0]');
  });

  it('rejects unknown channel types and misspelt keys', () => {
    expect(errorOf({ channels: [{ name: 'a', type: 'discord', webhookUrl: 'https://x.example' }] }).message).toMatch(
      /channels\[0\]/,
    );
    expect(errorOf({ channels: [{ name: 'a', type: 'slack', webhookURL: SLACK_URL }] }).message).toMatch(
      /unknown key\(s\) "webhookURL"/,
    );
  });

  it('rejects duplicate channel names', () => {
    const error = errorOf({ channels: [valid.channels[0], valid.channels[0]] });
    expect(error.message).toContain('channels[1].name: duplicate channel name "sec-slack"');
  });

  it('reads reports: named channels and a 7-day default period; an unknown name is an error at its path', () => {
    expect(parseConfig(JSON.stringify({ ...valid, reports: { channels: ['mail', 'sec-slack'] } })).reports).toEqual({
      channels: ['mail', 'sec-slack'],
      periodDays: 7,
    });
    expect(parseConfig(JSON.stringify(valid)).reports).toBeUndefined();
    const unknown = errorOf({ ...valid, reports: { channels: ['mail', 'sec-teams'] } });
    expect(unknown.message).toContain('reports.channels[1]: "sec-teams" is not a configured channel name');
    expect(errorOf({ ...valid, reports: { channels: [] } }).message).toMatch(/reports\.channels.*at least one/);
    expect(errorOf({ ...valid, reports: { channels: ['mail'], periodDays: 91 } }).message).toContain(
      'reports.periodDays',
    );
  });

  it('accepts plain http only for loopback receivers', () => {
    expect(() =>
      parseConfig(JSON.stringify({ channels: [{ name: 'a', type: 'slack', webhookUrl: 'http://127.0.0.1:9/x' }] })),
    ).not.toThrow();
    expect(
      errorOf({ channels: [{ name: 'a', type: 'slack', webhookUrl: 'http://hooks.example.com/x' }] }).message,
    ).toMatch(/https/);
  });

  it('rejects webhook headers the channel sets itself, in any case, naming each one and not its value', () => {
    const webhook = (headers: Record<string, string>) => ({
      channels: [{ name: 'siem', type: 'webhook', url: 'https://siem.example/hook', headers }],
    });
    const reserved = [
      'Content-Type',
      'content-length',
      'Content-Encoding',
      'TRANSFER-ENCODING',
      'Host',
      'Connection',
      'X-GuardDuty-Notify-Signature',
      'x-guardduty-notify-timestamp',
    ];
    for (const name of reserved) {
      const error = errorOf(webhook({ Authorization: 'Bearer ok-token-value', [name]: 'forged-header-value' }));
      expect(error.issues).toEqual([
        `channels[0].headers.${name}: "${name}" is a reserved header name (guardduty-notify sets it itself); remove it from headers`,
      ]);
      expect(error.message).not.toContain('forged-header-value');
    }
    expect(errorOf(webhook({ Host: 'a', 'X-GuardDuty-Notify-Id': 'b' })).issues).toHaveLength(2);
    expect(() =>
      parseConfig(
        JSON.stringify(
          webhook({ Authorization: 'Bearer ok-token-value', 'X-GuardDuty-Tenant': 'sec', 'X-Hosted-By': 'x' }),
        ),
      ),
    ).not.toThrow();
  });

  it('rejects a webhook header value that could not be sent (line breaks, controls, non-ASCII), naming the header and not its value', () => {
    const webhook = (headers: Record<string, string>) => ({
      channels: [{ name: 'siem', type: 'webhook', url: 'https://siem.example/hook', headers }],
    });
    for (const value of ['Bearer secret-token\r\nX-Injected: 1', 'secret-token\u0000', 'sécret-token']) {
      const error = errorOf(webhook({ Authorization: value }));
      expect(error.issues).toEqual([
        'channels[0].headers.Authorization: header values are printable ASCII on one line (no CR/LF or control characters)',
      ]);
      expect(error.message).not.toContain('secret-token');
    }
    expect(() =>
      parseConfig(JSON.stringify(webhook({ Authorization: 'Bearer a.b-c_d~e+f/g=', 'X-Tenant': 'sec ops\t1' }))),
    ).not.toThrow();
  });

  it('reports broken JSON without echoing its content', () => {
    const error = errorOf(`{"channels": [{"webhookUrl": "${SLACK_URL}"`);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).not.toContain('supersecret');
  });

  it('never echoes secret values in validation errors', () => {
    const error = errorOf({
      channels: [
        { name: 'a', type: 'pagerduty', routingKey: 'short-secret-key-value' },
        { name: 'b', type: 'slack', webhookUrl: 42 },
      ],
    });
    expect(error.message).not.toContain('short-secret-key-value');
    expect(error.message).toContain('channels[0].routingKey');
  });

  it('lists secret values for redaction', () => {
    expect(secretValues(parseConfig(JSON.stringify(valid)))).toEqual(
      expect.arrayContaining([SLACK_URL, 'R0UT1NGKEY0000000000000000000000', 'hunter2hunter2']),
    );
  });
});

describe('configJsonSchema', () => {
  it('describes every channel type', () => {
    const text = JSON.stringify(configJsonSchema());
    for (const type of CHANNEL_TYPES) expect(text).toContain(`"const":"${type}"`);
  });
});
