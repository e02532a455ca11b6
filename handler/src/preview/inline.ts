import { esc, link } from './escape.js';

/*
 * Slack mrkdwn and Google Chat message text to HTML, safely: escape first,
 * then apply the few formatting rules on the escaped text, so only our own
 * tags can ever appear. Code spans and `<…>` control sequences are cut out
 * first (as placeholders made of private-use characters, which are removed from
 * the input beforehand so text cannot forge one) and rendered on their own.
 */

const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

export interface InlineOptions {
  /**
   * Slack sends `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` and shows them as the
   * characters; raw `<` opens a control sequence and a raw `>` at a line start
   * a quote. Google Chat text has no entities.
   */
  slackEntities: boolean;
}

const SLACK_OPTIONS: InlineOptions = { slackEntities: true };
const CHAT_OPTIONS: InlineOptions = { slackEntities: false };

function decode(value: string, options: InlineOptions): string {
  return options.slackEntities
    ? value.replace(/&(amp|lt|gt);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>' })[name] ?? '')
    : value;
}

/** A `<…>` control sequence: link, mention, channel, date; anything else shows as typed. */
function controlSequence(inner: string, options: InlineOptions): string {
  const [target = '', ...rest] = inner.split('|');
  const label = rest.join('|');
  const labelHtml = esc(decode(label, options));
  if (/^!(here|channel|everyone)$/.test(target)) return `<span class="mention">@${esc(target.slice(1))}</span>`;
  if (target.startsWith('!subteam^'))
    return `<span class="mention">@${labelHtml || esc(target.slice('!subteam^'.length))}</span>`;
  if (target.startsWith('!date^')) return esc(decode(label, options)) || esc(decode(target, options));
  if (/^@[A-Z0-9]+$/.test(target) || target.startsWith('users/'))
    return `<span class="mention">@${labelHtml || esc(target.replace(/^@|^users\//, ''))}</span>`;
  if (/^#[A-Z0-9]+$/.test(target)) return `<span class="mention">#${labelHtml || esc(target.slice(1))}</span>`;
  if (/^(https?|mailto):/i.test(target)) {
    const url = decode(target, options);
    return link(url, labelHtml || esc(url));
  }
  return esc(`<${decode(inner, options)}>`);
}

/** Bold, italic and strike on already escaped text (Slack's and Chat's single-character markers). */
function emphasis(escaped: string): string {
  let out = escaped;
  for (const [marker, tag] of [
    ['*', 'b'],
    ['_', 'i'],
    ['~', 's'],
  ] as const) {
    const m = `\\${marker}`;
    // Opens after a line start, space or punctuation and closes before one, with no space just inside.
    const rule = new RegExp(
      `(^|[\\s(\\[{;:.,!?\uE001-])${m}(?=\\S)([^${m}\\n]*?\\S)${m}(?=$|[\\s)\\]};:.,!?&\uE000-])`,
      'gm',
    );
    out = out.replace(rule, `$1<${tag}>$2</${tag}>`);
  }
  return out;
}

/**
 * Renders one message text (Slack mrkdwn or Google Chat text) as HTML.
 * Unknown syntax shows as typed; nothing in the input can produce a tag,
 * attribute or URL scheme other than the ones this function writes.
 */
function inlineToHtml(source: string, options: InlineOptions): string {
  const pieces: string[] = [];
  const hold = (html: string) => `${OPEN}${pieces.push(html) - 1}${CLOSE}`;
  let s = source.replace(/[\uE000\uE001]/g, '\uFFFD');
  // Code blocks, then code spans: shown literally, entities decoded.
  s = s.replace(/```([\s\S]*?)```/g, (_, code: string) =>
    hold(`<pre class="code-block">${esc(decode(code.replace(/^\n/, ''), options))}</pre>`),
  );
  s = s.replace(/`([^`\n]+)`/g, (_, code: string) => hold(`<code>${esc(decode(code, options))}</code>`));
  // Control sequences: Slack's `<url|label>` and mentions; in Chat the same syntax makes links and mentions.
  s = s.replace(/<([^<>\n]+)>/g, (_, inner: string) => hold(controlSequence(inner, options)));
  const lines = s.split('\n').map((line) => {
    const quote = options.slackEntities && line.startsWith('>');
    const body = emphasis(esc(decode(quote ? line.slice(1).replace(/^ /, '') : line, options)));
    return quote ? `<span class="quote">${body}</span>` : body;
  });
  return lines.join('<br>').replace(PLACEHOLDER, (_, i: string) => pieces[Number(i)] ?? '');
}

/**
 * Slack mrkdwn as HTML: entities, `<…>` links and mentions, code, bold,
 * italic, strike, quotes and line breaks.
 *
 * @example mrkdwnToHtml('*HIGH* `a&lt;b`') // '<b>HIGH</b> <code>a&lt;b</code>'
 */
export function mrkdwnToHtml(source: string): string {
  return inlineToHtml(source, SLACK_OPTIONS);
}

/**
 * Google Chat message `text` as HTML: `*bold*`, `_italic_`, `~strike~`,
 * code and `<url|text>` links.
 *
 * @example chatTextToHtml('*HIGH* finding') // '<b>HIGH</b> finding'
 */
export function chatTextToHtml(source: string): string {
  return inlineToHtml(source, CHAT_OPTIONS);
}
