import { describe, expect, it } from 'vitest';
import { escapeMarkdown, markdownLine, markdownParagraphs } from '../../src/text/markdown.js';

/** What a CommonMark renderer displays for escaped text: a backslash before ASCII punctuation disappears. */
function displayed(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Characters that open or close markup wherever they stand. */
const MARKUP = new Set([...'[]*<>`~|@{}\\']);

/** `_` between two ASCII letters/digits cannot open or close emphasis. */
function intraword(text: string, i: number): boolean {
  return /[A-Za-z0-9]/.test(text[i - 1] ?? '') && /[A-Za-z0-9]/.test(text[i + 1] ?? '');
}

/**
 * Markup a renderer could still act on: a markup character, a `](` link
 * opener or a character reference not neutralised by a preceding (unescaped)
 * backslash, or a block marker at the start of a line.
 */
function unescapedMarkup(markdown: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < markdown.length; i++) {
    const ch = markdown[i] as string;
    if (ch === '\\') {
      i++; // the next character is escaped
      continue;
    }
    if (MARKUP.has(ch) || (ch === '_' && !intraword(markdown, i))) found.push(ch);
    if (ch === '&' && /^&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(markdown.slice(i))) found.push('&entity;');
  }
  if (markdown.includes('](')) found.push('](');
  for (const line of markdown.split('\n')) {
    if (/^\s*([-+=#](\s|$|[-+=#])|\d+[.)](\s|$))/.test(line)) found.push(`line start: ${line.slice(0, 10)}`);
  }
  return found;
}

const HOSTILE = [
  '[click](https://evil.example)',
  '[**urgent**](javascript:alert(1))',
  '![img](https://evil.example/pixel.png)',
  '<https://evil.example>',
  '<at>Security Team</at> please approve',
  '<script>alert(1)</script><img src=x onerror=alert(1)>',
  '**bold** __bold__ *italic* _italic_ ~~strike~~',
  '`code` ```fence```',
  '# heading\n## heading',
  '> quote\n- bullet\n+ bullet\n1. ordered\n===\n---',
  'a\\[b](https://evil.example) escaped-looking',
  '\\',
  '&lt;b&gt; &#91;x&#93;(https://evil.example)',
  '{{DATE(2026-01-01T00:00:00Z, SHORT)}} ${secret}',
  'table | col | col',
  'victim@example.com www.evil.example https://evil.example/path',
];

describe('escapeMarkdown', () => {
  it.each(HOSTILE)('displays %j literally under CommonMark', (input) => {
    expect(displayed(escapeMarkdown(input))).toBe(input);
  });

  it.each(HOSTILE)('leaves no markup character of %j unescaped', (input) => {
    expect(unescapedMarkup(escapeMarkdown(input))).toEqual([]);
  });

  it('never lets a link form, even for parsers that ignore backslash escapes', () => {
    for (const input of HOSTILE) {
      const out = escapeMarkdown(input);
      // A link needs "](" adjacent; the escaped "(" always sits behind a backslash.
      expect(out).not.toContain('](');
      expect(out).not.toMatch(/(^|[^\\])\[/);
    }
  });

  it('escapes underscores only where they can emphasise', () => {
    expect(escapeMarkdown('_x_ snake_case __init__ trailing_')).toBe('\\_x\\_ snake_case \\_\\_init\\_\\_ trailing\\_');
  });

  it('neutralises character references, which CommonMark would decode', () => {
    expect(escapeMarkdown('&lt;b&gt; &#91;x&#93; &#x5B;')).toBe('\\&lt;b\\&gt; \\&#91;x\\&#93; \\&#x5B;');
  });

  it('neutralises Teams mentions and HTML', () => {
    expect(escapeMarkdown('<at>Security Team</at>')).toBe('\\<at\\>Security Team\\</at\\>');
    expect(escapeMarkdown('<b>x</b>')).not.toMatch(/(^|[^\\])</);
  });

  it('escapes block markers only at the start of a line', () => {
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('---')).toBe('\\---');
    expect(escapeMarkdown('===')).toBe('\\===');
    expect(escapeMarkdown('# head')).toBe('\\# head');
    expect(escapeMarkdown('> quote')).toBe('\\> quote');
    expect(escapeMarkdown('ok\n  - nested')).toBe('ok\n  \\- nested');
    expect(escapeMarkdown('2) second')).toBe('2\\) second');
    expect(escapeMarkdown('text - dash # hash 1. one')).toBe('text - dash # hash 1. one');
  });

  it('splits URL schemes and www. so text-level linkifiers see no URL', () => {
    const out = escapeMarkdown('see https://evil.example and WWW.evil.example');
    expect(out).toBe('see https:\\/\\/evil.example and WWW\\.evil.example');
    expect(out).not.toContain('://');
  });

  it('leaves ordinary identifiers and GuardDuty text untouched', () => {
    for (const plain of [
      'CryptoCurrency:EC2/BitcoinTool.B!DNS',
      'Backdoor:EC2/C&CActivity.B',
      '22 (SSH)',
      'prod (111122223333)',
      'C# & F#',
      'a-b',
      'x86_64',
      'app_admin',
      'NOT_PUBLIC',
      'i-0a1b2c3d4e5f60718',
      'us-east-1',
      '198.51.100.23',
      'arn:aws:iam::111122223333:role/web',
      '10.0.1.25',
      'UnauthorizedAccess:EC2/SSHBruteForce',
      'Port 22 is open',
    ]) {
      expect(escapeMarkdown(plain)).toBe(plain);
    }
  });

  it('keeps multi-byte text intact', () => {
    expect(escapeMarkdown('日本語 🔥💀 Ünïcödé')).toBe('日本語 🔥💀 Ünïcödé');
  });
});

describe('markdownLine', () => {
  it('collapses newlines so a one-line slot stays one line, then escapes', () => {
    expect(markdownLine('first\n- second\r\n\tthird')).toBe('first - second third');
    expect(markdownLine('\n- leading')).toBe('\\- leading');
  });
});

describe('markdownParagraphs', () => {
  it('turns each line into a paragraph (Teams needs a blank line for a break)', () => {
    expect(markdownParagraphs('one\ntwo\n\n\nthree')).toBe('one\n\ntwo\n\nthree');
  });

  it('drops indentation so nothing renders as a code block', () => {
    expect(markdownParagraphs('    indented code\n\t- tabbed bullet')).toBe('indented code\n\n\\- tabbed bullet');
  });

  it('escapes every paragraph', () => {
    const out = markdownParagraphs('[a](https://evil.example)\n**b**');
    expect(unescapedMarkup(out)).toEqual([]);
    expect(displayed(out)).toBe('[a](https://evil.example)\n\n**b**');
  });
});
