import { truncate } from './clean.js';
import { escapeWithin } from './html.js';

/*
 * Slack mrkdwn for attacker-influenced text.
 *
 * Slack parses `&`, `<` and `>` as control characters (`<!channel>`, `<@U…>`,
 * `<url|text>`), so they always become `&amp;`, `&lt;`, `&gt;`; Slack shows the
 * entities as the characters again. That stops pings and links. Formatting
 * (`*bold*`, `_italic_`, `~strike~`, `` `code` ``, leading `>` quotes) cannot be
 * escaped in mrkdwn, so we neutralise it in one of two ways:
 *
 * - Identifiers (IPs, ARNs, user names, paths, domains): an inline code span.
 *   Slack applies no formatting and no auto-linking inside it, and copying
 *   gives the exact value back, which analysts need for searches. A backtick
 *   cannot appear inside a span, so it becomes the look-alike `ˋ` (U+02CB).
 * - Prose (titles, descriptions): formatting characters become look-alikes
 *   (`∗` U+2217, `ˍ` U+02CD, `∼` U+223C, `ˋ` U+02CB, a leading `>` becomes
 *   `›` U+203A) and the words `@channel`/`@here`/`@everyone` get a full-width
 *   `＠`, so text reads the same but cannot format or notify. Prose is for
 *   reading, not copying, so the look-alikes cost nothing.
 *
 * Renderers also set `verbatim: true` on mrkdwn objects, so Slack does not
 * auto-link URLs or channel names inside finding text.
 *
 * `plain_text` objects (header, buttons) are not parsed for mentions or links,
 * but whether Slack decodes entities there is not documented; so instead of
 * entities, `<` and `>` become the look-alikes `‹` `›` (U+2039, U+203A). No
 * control sequence can form under either reading and nothing shows as `&lt;`.
 */

const MRKDWN_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

const PROSE_LOOK_ALIKES: Readonly<Record<string, string>> = {
  '*': '\u2217',
  _: '\u02CD',
  '~': '\u223C',
  '`': '\u02CB',
};

/**
 * Escapes Slack's control characters `& < >`. Use for text that is ours apart
 * from values already made safe; finding text should use
 * {@link mrkdwnCode} or {@link mrkdwnProse}.
 *
 * @example escapeMrkdwn('<!channel>') // '&lt;!channel&gt;'
 */
export function escapeMrkdwn(value: string): string {
  return value.replace(/[&<>]/g, (ch) => MRKDWN_ENTITIES[ch] ?? ch);
}

/**
 * Renders an attacker-influenced identifier as an inline code span of at most
 * `max` characters (backticks included), truncated with an ellipsis.
 *
 * @example mrkdwnCode('evil_*user*', 100) // '`evil_*user*`'
 */
export function mrkdwnCode(value: string, max: number): string {
  const inner = value.replace(/`/g, '\u02CB').replace(/[\r\n]+/g, ' ');
  // An empty span would show the backticks themselves.
  if (inner.trim() === '') return '\u2014';
  return `\`${escapeWithin(inner, Math.max(1, max - 2), MRKDWN_ENTITIES)}\``;
}

/**
 * Neutralises formatting, mention words and control characters in
 * attacker-influenced prose, at most `max` characters after escaping.
 *
 * @example mrkdwnProse('*urgent* <!here> @channel', 3000) // '∗urgent∗ &lt;!here&gt; ＠channel'
 */
export function mrkdwnProse(value: string, max: number): string {
  const neutral = value
    .replace(/[*_~`]/g, (ch) => PROSE_LOOK_ALIKES[ch] ?? ch)
    .replace(/^(\s*)>/gm, '$1\u203A')
    .replace(/@(channel|here|everyone)\b/gi, '\uFF20$1');
  return escapeWithin(neutral, max, MRKDWN_ENTITIES);
}

/**
 * Text for a `plain_text` object: `<`/`>` become look-alikes, at most `max`
 * characters, never empty (Slack requires at least one character).
 *
 * @example slackPlain('<!channel> alert', 150) // '‹!channel› alert'
 */
export function slackPlain(value: string, max: number): string {
  const neutral = value.replace(/</g, '\u2039').replace(/>/g, '\u203A');
  return truncate(neutral, max) || '-';
}
