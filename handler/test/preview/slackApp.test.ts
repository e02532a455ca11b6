import { describe, expect, it } from 'vitest';
import { buttonsBlock, parentMessage, parentSummary, threadReply } from '../../src/channels/slackApp.js';
import { SlackChannelSchema, slackChannel } from '../../src/channels/slack.js';
import { deliveredHtml } from '../../src/preview/index.js';
import { normalisedFixture } from '../helpers/fixtures.js';

/* The gallery's view of a Slack app thread: the edited parent with its buttons, then the replies. */

const APP = SlackChannelSchema.parse({
  name: 'app',
  type: 'slack',
  botToken: 'xoxb-1234567890-abc',
  channelId: 'C0SEC',
});

describe('Slack app thread preview', () => {
  const payload = slackChannel.render(normalisedFixture('hostile'), APP);
  const facts = payload.app!;
  const parent = parentMessage(
    payload,
    parentSummary(null, { score: facts.score, count: 2 }),
    buttonsBlock(facts, { buttonsMinSeverity: 'LOW' }),
  );
  const html = deliveredHtml({ type: 'slack', body: parent, thread: [threadReply(payload, '1.000001', true)] });

  it('shows the parent with its status line and buttons, then the broadcast reply in a thread', () => {
    expect(html).toContain('2 occurrences · open');
    for (const label of ['Acknowledge', 'Archive', 'Useful', 'Not useful', 'Suppress similar…'])
      expect(html).toContain(`>${label}</span>`);
    expect(html).toContain('slack-button slack-button-danger');
    expect(html).toContain('<div class="slack-thread-count">1 reply</div>');
    expect(html).toContain('Also sent to the channel');
  });

  it('escapes the hostile finding in the parent and the reply', () => {
    expect(html).not.toMatch(/<script|<img/i);
    expect(
      html.match(/&lt;script&gt;alert\(1\)&lt;\/script&gt;|&amp;lt;script&amp;gt;alert\(1\)/g)?.length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('keeps the webhook preview as it was (no thread pane)', () => {
    const webhook = deliveredHtml({ type: 'slack', body: payload });
    expect(webhook).not.toContain('slack-thread');
  });
});
