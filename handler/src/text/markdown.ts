/*
 * Escaping for the Markdown subset Microsoft Teams renders in Adaptive Card
 * `TextBlock.text`, `Fact.title` and `Fact.value`: bold/italic (`**`, `_`),
 * lists (`- `, `1. `), links (`[text](url)`), plus what desktop clients'
 * CommonMark-style parsers may add (autolinks `<…>`, code spans, headings,
 * strikethrough, tables, character references).
 *
 * Two layers, so no one renderer's quirks decide whether attacker text turns
 * into markup:
 * 1. Backslash-escape each character that can open or close markup where it
 *    can do so: `\ ` * { } [ ] < > | ~ @` everywhere, `_` at a word edge,
 *    `(` right after `]`, `&` when it starts a character reference, and
 *    `#`, `-`, `+`, `=`, `1.` at the start of a line. In CommonMark an escaped ASCII punctuation
 *    character renders as itself, so `\[x\]\(https://evil)` shows the
 *    original text and no link.
 * 2. The escapes also break the *syntax* for parsers that ignore backslash
 *    escapes (the shared Adaptive Cards mobile parser honours them only for
 *    emphasis): a `]` is never directly followed by `(`, so no `[text](url)`
 *    can form, and `*`/`_` runs are escaped. The cost on such parsers is a
 *    visible backslash, never a link.
 * `<` and `>` are escaped, so `<at>…</at>` mentions and HTML never form
 * (Teams needs an `msteams.entities` mention object to notify anyone, which
 * we never send, and Adaptive Cards do not render HTML). Scheme separators
 * (`://`) and `www.` are split with escapes so a linkifier that runs on text
 * tokens does not auto-link a URL from a finding; CommonMark still shows them
 * unchanged. Characters that only act next to one of the above (`!` before
 * `[`, `)` closing a link) need no escape of their own, which keeps common
 * GuardDuty text (`BitcoinTool.B!DNS`, `22 (SSH)`, `C&CActivity`) clean.
 */

/** Characters that open or close inline markup wherever they appear. */
const INLINE_SPECIAL = /[\\`*{}[\]<>|~@]/g;
/** `_` emphasises only at a word edge; between two letters or digits (`x86_64`, `app_admin`) it is inert. */
const UNDERSCORE_AT_EDGE = /(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;
/** `(` right after `]` would start a link destination; elsewhere parentheses are plain text. */
const LINK_OPEN = /\](\()/g;
/** `&` that starts a character reference (`&lt;`, `&#91;`), which CommonMark would decode. */
const ENTITY = /&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)/g;
/**
 * Block markers that only matter at the start of a line: ATX headings (`#`),
 * bullets (`- `, `+ `), setext underlines and thematic breaks (`===`, `---`),
 * ordered lists (`1. `).
 */
const LINE_START_MARKER = /^(\s*)(?:([-+=#])(?=[-+=#\s]|$)|(\d{1,9})(?=[.)](?:\s|$)))/;

/**
 * Escapes attacker-influenced text for a Teams Adaptive Card TextBlock or
 * Fact so it renders literally. Newlines are kept; use {@link markdownLine} or
 * {@link markdownParagraphs} to lay them out.
 *
 * @example escapeMarkdown('[x](https://evil) **hi**') // '\\[x\\]\\(https:\\/\\/evil\\) \\*\\*hi\\*\\*'
 */
export function escapeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      escapeLineStart(
        line
          .replace(INLINE_SPECIAL, '\\$&')
          .replace(UNDERSCORE_AT_EDGE, '\\_')
          .replace(LINK_OPEN, ']\\(')
          .replace(ENTITY, '\\&'),
      ),
    )
    .join('\n')
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/\bwww\./gi, (match) => `${match.slice(0, -1)}\\.`);
}

/** Escapes a list/heading marker at the start of an already inline-escaped line. */
function escapeLineStart(line: string): string {
  const match = LINE_START_MARKER.exec(line);
  if (!match) return line;
  const [whole, indent = '', bullet, digits] = match;
  const rest = line.slice(whole.length);
  // `1. x` → `1\. x`, `1) x` → `1\) x`; `- x` → `\- x`, `# x` → `\# x`.
  return digits !== undefined ? `${indent}${digits}\\${rest}` : `${indent}\\${bullet ?? ''}${rest}`;
}

/**
 * Escapes text for a single-line slot (fact values, titles): whitespace runs
 * including newlines collapse to one space.
 *
 * @example markdownLine('first\n- second') // 'first - second'
 */
export function markdownLine(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, ' ').trim());
}

/**
 * Escapes multi-line text (descriptions) and joins its non-empty lines with
 * blank lines, which is how a Teams TextBlock shows a line break. Leading
 * indentation is dropped so nothing turns into a code block.
 *
 * @example markdownParagraphs('one\ntwo') // 'one\n\ntwo'
 */
export function markdownParagraphs(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .map(escapeMarkdown)
    .join('\n\n');
}
