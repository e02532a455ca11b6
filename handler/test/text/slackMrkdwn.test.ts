import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, mrkdwnCode, mrkdwnProse, slackPlain } from '../../src/text/slackMrkdwn.js';

const HOSTILE = '<!channel> <!here> <@U024BE7LH> <https://evil.example|click> *bold* _x_ ~s~ `code` & @channel';

describe('escapeMrkdwn', () => {
  it('turns Slack control characters into entities so no mention or link can form', () => {
    expect(escapeMrkdwn('<!channel> <@U1> <https://evil.example|click> &')).toBe(
      '&lt;!channel&gt; &lt;@U1&gt; &lt;https://evil.example|click&gt; &amp;',
    );
  });
});

describe('mrkdwnCode', () => {
  it('wraps an identifier in a code span with Slack control characters escaped', () => {
    expect(mrkdwnCode(HOSTILE, 500)).toBe(
      '`&lt;!channel&gt; &lt;!here&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|click&gt; *bold* _x_ ~s~ ˋcodeˋ &amp; @channel`',
    );
  });

  it('replaces backticks inside the value, so the span cannot be closed early', () => {
    const out = mrkdwnCode('a`b``c', 100);
    expect(out).toBe('`aˋbˋˋc`');
    expect(out.slice(1, -1)).not.toContain('`');
  });

  it('keeps the span on one line', () => {
    expect(mrkdwnCode('a\r\nb\nc', 100)).toBe('`a b c`');
  });

  it('truncates inside the span, backticks included in the budget', () => {
    const out = mrkdwnCode('x'.repeat(5000), 100);
    expect(out.length).toBe(100);
    expect(out).toMatch(/^`x+…`$/);
  });

  it('shows an em dash instead of an empty span', () => {
    expect(mrkdwnCode('  ', 10)).toBe('—');
  });
});

describe('mrkdwnProse', () => {
  it('neutralises formatting with look-alikes and escapes control characters', () => {
    expect(mrkdwnProse(HOSTILE, 500)).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|click&gt; ∗bold∗ ˍxˍ ∼s∼ ˋcodeˋ &amp; ＠channel',
    );
  });

  it('defuses @here/@everyone words and leading quote markers', () => {
    expect(mrkdwnProse('> quoted\n  > again\n@here @Everyone mail@example.com', 500)).toBe(
      '› quoted\n  › again\n＠here ＠Everyone mail@example.com',
    );
  });

  it('stays within the budget after escaping', () => {
    const out = mrkdwnProse('<'.repeat(10_000), 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out.endsWith('&lt;…')).toBe(true);
  });
});

describe('slackPlain', () => {
  it('replaces angle brackets with look-alikes (no entities, no control sequences)', () => {
    expect(slackPlain('<!channel> & <b>', 150)).toBe('‹!channel› & ‹b›');
  });

  it('truncates and is never empty', () => {
    expect(slackPlain('x'.repeat(500), 150)).toHaveLength(150);
    expect(slackPlain('', 150)).toBe('-');
  });
});
