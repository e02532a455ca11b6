import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { descriptorFor } from '../../src/channels/registry.js';
import { ChannelSchema, type Channel } from '../../src/config/schema.js';
import { NEXT_STEP_URLS } from '../../src/finding/nextSteps.js';
import {
  chatHtmlToSafeHtml,
  chatTextToHtml,
  contentSecurityPolicy,
  deliveredFromPayload,
  deliveredHtml,
  mrkdwnToHtml,
} from '../../src/preview/index.js';
import { FIXTURES_DIR, normalisedFixture } from '../helpers/fixtures.js';

/** Tags and attributes the preview renderers write; anything else in their output came from data. */
const OUR_TAGS = new Set([
  'div',
  'span',
  'a',
  'b',
  'i',
  's',
  'u',
  'code',
  'pre',
  'br',
  'hr',
  'table',
  'tr',
  'th',
  'td',
  'caption',
  'details',
  'summary',
  'iframe',
  'ul',
  'li',
]);
const OUR_ATTRIBUTES = new Set([
  'class',
  'href',
  'target',
  'rel',
  'title',
  'style',
  'data-adaptive-card',
  'sandbox',
  'referrerpolicy',
  'srcdoc',
  'aria-hidden',
  'scope',
  'open',
]);

function markup(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const [, name = '', rest = ''] of html.matchAll(/<\/?([A-Za-z][A-Za-z0-9]*)([^>]*)>/g)) {
    tags.add(name.toLowerCase());
    for (const [, attr = ''] of rest.matchAll(/\s([^\s=/>]+)(?:="[^"]*")?/g)) attributes.add(attr.toLowerCase());
  }
  return { tags, attributes };
}

const CHANNELS: Record<string, Record<string, unknown>> = {
  slack: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/x', mention: '<!here>' },
  teams: { webhookUrl: 'https://example.com/workflows/x' },
  googleChat: { webhookUrl: 'https://chat.googleapis.com/v1/spaces/X/messages?key=k&token=t' },
  email: { smtp: { host: 'smtp.example.com' }, from: 'gd@example.com', to: ['sec@example.com'] },
  sns: { topicArn: 'arn:aws:sns:us-east-1:111122223333:findings' },
  pagerduty: { routingKey: 'R0UTINGKEY0000000000000000000000' },
  webhook: { url: 'https://example.com/hook', hmacSecret: 'a-secret-of-16-chars' },
};

function channel(type: string): Channel {
  return ChannelSchema.parse({ name: `preview-${type}`, type, ...CHANNELS[type] });
}

describe('Slack mrkdwn to HTML', () => {
  it('applies bold, italic, strike, code, quotes and line breaks on escaped text', () => {
    expect(mrkdwnToHtml('*HIGH* _new_ ~old~ `a*b*c`')).toBe('<b>HIGH</b> <i>new</i> <s>old</s> <code>a*b*c</code>');
    expect(mrkdwnToHtml('>quoted\nnext')).toBe('<span class="quote">quoted</span><br>next');
    expect(mrkdwnToHtml('x*y*z and * not bold *')).toBe('x*y*z and * not bold *');
  });

  it("decodes Slack's entities once and escapes them for HTML", () => {
    expect(mrkdwnToHtml('a &lt;b&gt; &amp;lt; `&lt;script&gt;`')).toBe(
      'a &lt;b&gt; &amp;lt; <code>&lt;script&gt;</code>',
    );
  });

  it('links only http(s) targets and shows mentions as mentions', () => {
    expect(mrkdwnToHtml('<https://console.aws.amazon.com/x|Open> <!here> <@U123|ana>')).toBe(
      '<a href="https://console.aws.amazon.com/x" target="_blank" rel="noopener noreferrer nofollow">Open</a> <span class="mention">@here</span> <span class="mention">@ana</span>',
    );
    expect(mrkdwnToHtml('<javascript:alert(1)|click>')).toBe('&lt;javascript:alert(1)|click&gt;');
    expect(mrkdwnToHtml('<https://x.example|<img src=x onerror=alert(1)>>')).not.toMatch(/<img/);
  });

  it('cannot be tricked by text that looks like its own placeholders', () => {
    expect(mrkdwnToHtml('\uE0000\uE001 `x`')).toBe('\uFFFD0\uFFFD <code>x</code>');
  });
});

describe('Google Chat text and card HTML', () => {
  it('keeps the documented subset in a canonical form and shows other tags as text', () => {
    expect(chatHtmlToSafeHtml('<font color="#D13212"><b>HIGH</b></font><br>&lt;x&gt; <script>alert(1)</script>')).toBe(
      '<span style="color:#D13212"><b>HIGH</b></span><br>&lt;x&gt; &lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(chatHtmlToSafeHtml('<font color="red;background:url(x)">x</font>')).toBe(
      '<span style="color:inherit">x</span>',
    );
    expect(
      chatHtmlToSafeHtml('<a href="javascript:alert(1)">x</a> <a href="https://console.aws.amazon.com/">y</a>'),
    ).toBe(
      '<span title="not a web link: javascript:alert(1)">x</span> <a href="https://console.aws.amazon.com/" target="_blank" rel="noopener noreferrer nofollow">y</a>',
    );
  });

  it('balances what it opens, ignores stray closing tags and escapes a bare &', () => {
    expect(chatHtmlToSafeHtml('<b><i>x</b> </div> a & b')).toBe('<b><i>x</i></b> &lt;/div&gt; a &amp; b');
    expect(chatHtmlToSafeHtml('<b>open')).toBe('<b>open</b>');
  });

  it('formats the message text line like Chat', () => {
    expect(chatTextToHtml('*HIGH* finding `x<y`')).toBe('<b>HIGH</b> finding <code>x&lt;y</code>');
  });
});

describe('channel previews of the hostile finding', () => {
  for (const type of Object.keys(CHANNELS)) {
    it(`${type}: only the renderer's own tags and attributes, finding text escaped`, () => {
      const c = channel(type);
      const html = deliveredHtml(deliveredFromPayload(c, descriptorFor(c).render(normalisedFixture('hostile'), c)));
      const { tags, attributes } = markup(html);
      expect([...tags].filter((t) => !OUR_TAGS.has(t))).toEqual([]);
      expect([...attributes].filter((a) => !OUR_ATTRIBUTES.has(a))).toEqual([]);
      // Teams carries the card as inert attribute text for the in-page renderer; the others show the text escaped.
      if (type === 'teams') expect(html).toMatch(/data-adaptive-card="\{&quot;\$schema&quot;/);
      else expect(html).toMatch(/&lt;script&gt;alert\(1\)&lt;\/script&gt;|&amp;lt;script&amp;gt;alert\(1\)/);
      // Links: the console, or one of the fixed AWS documentation pages of the next-steps table.
      for (const [, href = ''] of html.matchAll(/href="([^"]*)"/g))
        if (!NEXT_STEP_URLS.has(href.replaceAll('&amp;', '&')))
          expect(href).toMatch(/^https:\/\/[a-z0-9.-]*console\.aws\.amazon\.com\//);
    });
  }
});

describe('guardduty-notify render --html', () => {
  function run(args: string[]): { code: number; out: string; err: string } {
    let out = '';
    let err = '';
    const sink = (append: (s: string) => void) =>
      new Writable({
        write: (chunk, _enc, done) => {
          append(String(chunk));
          done();
        },
      });
    type Streams = Parameters<typeof main>;
    const code = main(
      args,
      sink((s) => (out += s)) as unknown as Streams[1],
      sink((s) => (err += s)) as unknown as Streams[2],
    );
    return { code, out, err };
  }

  it('prints a standalone page whose only scripts are allowed by their hashes', () => {
    const { code, out, err } = run(['render', '--channel', 'teams', '--html', join(FIXTURES_DIR, 'hostile.json')]);
    expect(code, err).toBe(0);
    expect(out).toMatch(/^<!DOCTYPE html>/);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(out)?.[1]?.replace(/&#39;/g, "'") ?? '';
    expect(csp).toMatch(/script-src 'sha256-[^']+' 'sha256-[^']+' 'sha256-[^']+';/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(out.match(/<script>/g)).toHaveLength(3);
    expect(out).toContain('class="teams-card" data-adaptive-card="');
  });

  it('runs no script at all for channels that need none', () => {
    const { code, out } = run(['render', '--channel', 'slack', '--html', join(FIXTURES_DIR, 'rds-brute-force.json')]);
    expect(code).toBe(0);
    expect(out).not.toContain('<script');
    expect(out).toContain('script-src &#39;none&#39;');
    expect(out).toContain('class="slack-header"');
  });

  it('keeps the JSON output when --html is not given', () => {
    const { code, out } = run(['render', '--channel', 'slack', join(FIXTURES_DIR, 'rds-brute-force.json')]);
    expect(code).toBe(0);
    expect(() => JSON.parse(out)).not.toThrow();
  });
});

describe('the preview Content-Security-Policy', () => {
  it('allows no network, and scripts only from the page itself or by hash', () => {
    expect(contentSecurityPolicy({ kind: 'linked', styles: ['a.css'], scripts: ['a.js'] })).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
    );
    expect(contentSecurityPolicy({ kind: 'inline', styles: [], scripts: [] })).toContain("script-src 'none'");
  });
});
