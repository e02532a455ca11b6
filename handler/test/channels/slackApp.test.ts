import { describe, expect, it } from 'vitest';
import { buttonsBlock, parentSummary, statusText } from '../../src/channels/slackApp.js';
import { SlackChannelSchema, slackChannel } from '../../src/channels/slack.js';
import { slackFailureKind } from '../../src/deliver/slackWebApi.js';
import { ACTION_IDS, readButton } from '../../src/interact/buttons.js';
import { normalisedFixture } from '../helpers/fixtures.js';

/* The Slack app's pure pieces: its config, Slack's error codes, buttons, the parent's status line. */

const APP = { name: 'sec', type: 'slack', botToken: 'xoxb-1234567890-abcdef', channelId: 'C0SEC' };
const record = (fields: Record<string, unknown>) => ({ expiresAt: 0, ...fields });

describe('Slack channel config: a webhook or an app', () => {
  it('accepts a webhook URL, or a bot token with a channel id', () => {
    expect(
      SlackChannelSchema.safeParse({ name: 'a', type: 'slack', webhookUrl: 'https://hooks.slack.com/x' }).success,
    ).toBe(true);
    expect(SlackChannelSchema.safeParse(APP).success).toBe(true);
  });

  it('refuses both, neither, a token without a channel, and a token that is not a bot token', () => {
    for (const bad of [
      { ...APP, webhookUrl: 'https://hooks.slack.com/x' },
      { name: 'a', type: 'slack' },
      { name: 'a', type: 'slack', botToken: APP.botToken },
      { ...APP, botToken: 'xoxp-1234567890-abcdef' },
      { ...APP, channelId: '#security' },
      { ...APP, apiBaseUrl: 'http://evil.example/api/' },
    ])
      expect(SlackChannelSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('names the field to fix', () => {
    const paths = (value: unknown) => SlackChannelSchema.safeParse(value).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ name: 'a', type: 'slack' })).toEqual(['webhookUrl']);
    expect(paths({ name: 'a', type: 'slack', botToken: APP.botToken })).toEqual(['channelId']);
    expect(paths({ ...APP, webhookUrl: 'https://hooks.slack.com/x' })).toEqual(['botToken']);
  });

  it('treats the bot token as a secret (redacted from logs)', () => {
    expect(slackChannel.secrets(SlackChannelSchema.parse(APP))).toEqual([APP.botToken]);
  });
});

describe("Slack's error codes", () => {
  it.each([
    ['channel_not_found', 'config'],
    ['not_in_channel', 'config'],
    ['invalid_auth', 'config'],
    ['token_revoked', 'config'],
    ['missing_scope', 'config'],
    ['ratelimited', 'retryable'],
    ['internal_error', 'retryable'],
    ['invalid_blocks', 'permanent'],
    ['msg_too_long', 'permanent'],
  ])('%s is %s', (code, kind) => {
    expect(slackFailureKind(code)).toBe(kind);
  });
});

describe('buttons', () => {
  const high = slackChannel.render(normalisedFixture('ec2-ssh-bruteforce'), SlackChannelSchema.parse(APP)).app!;

  it('carry the action ids and a value the endpoint reads back as this finding', () => {
    const block = buttonsBlock(high, { buttonsMinSeverity: 'LOW' });
    expect(block?.elements.map((e) => e.action_id)).toEqual(Object.values(ACTION_IDS));
    for (const element of block!.elements)
      expect(readButton(element)?.target).toEqual({ f: high.findingId, r: high.region, a: high.accountId });
  });

  it('appear only with an endpoint and from the configured band up', () => {
    expect(buttonsBlock(high, undefined)).toBeNull();
    expect(buttonsBlock({ ...high, band: 'MEDIUM' }, { buttonsMinSeverity: 'HIGH' })).toBeNull();
    expect(buttonsBlock({ ...high, band: 'HIGH' }, { buttonsMinSeverity: 'HIGH' })).not.toBeNull();
  });

  it('are left out for a finding id the endpoint would refuse', () => {
    expect(buttonsBlock({ ...high, findingId: 'x <!here>' }, { buttonsMinSeverity: 'LOW' })).toBeNull();
  });

  it('are not added to webhook channels (no facts without a bot token)', () => {
    const webhook = { name: 'w', type: 'slack' as const, webhookUrl: 'https://hooks.slack.com/x' };
    expect(slackChannel.render(normalisedFixture('minimal'), SlackChannelSchema.parse(webhook)).app).toBeUndefined();
    expect(slackChannel.render(normalisedFixture('minimal'), SlackChannelSchema.parse(APP)).app).toBeDefined();
  });
});

describe('the parent status line', () => {
  it('says who acknowledged and how long after the alert', () => {
    const r = record({
      firstSeenAt: '2026-11-29T10:00:00Z',
      acknowledgedBy: 'U0ALICE',
      acknowledgedAt: '2026-11-29T10:04:10Z',
    });
    expect(statusText(r)).toBe('acknowledged by <@U0ALICE> 4 min after the alert');
  });

  it('shows an archive from the console as a code span, never a mention, whatever the principal says', () => {
    const text = statusText(null, { action: 'archived', by: '<!here> <@U123> *x*', at: '2026-11-29T10:00:00Z' });
    expect(text).not.toMatch(/<!here>|<@U123>/);
    expect(text).toContain('archived by `');
  });

  it('forgets an archive that was undone', () => {
    const r = record({
      archivedBy: 'a',
      archivedAt: '2026-11-29T10:00:00Z',
      unarchivedBy: 'b',
      unarchivedAt: '2026-11-29T11:00:00Z',
    });
    expect(statusText(r)).toBe('open');
  });

  it('takes severity and count from the state table when the view has none (archive sync)', () => {
    expect(parentSummary(record({ highestSeverity: 8.5, lastCount: 7 }), { score: null, count: null })).toBe(
      '*Now:* HIGH 8.5 · 7 occurrences · open',
    );
  });
});
