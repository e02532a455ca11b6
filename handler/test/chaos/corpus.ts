/*
 * Hostile content for the fault suite and the content tests: injection strings
 * for every markup a channel speaks, and a walker that puts a string into every
 * attacker-influenced field of a GuardDuty event while keeping the identifiers
 * that must stay valid for the event to be a finding at all.
 */

export interface Injection {
  name: string;
  value: string;
}

const BASE: Injection[] = [
  { name: 'slack broadcast', value: '<!channel> <!here> <!everyone> <!subteam^S0123ABC>' },
  { name: 'slack user/channel mention', value: '<@U123> <@W0ABC|admin> <#C123|general>' },
  {
    name: 'slack link',
    value: '<https://evil.example|click here> <mailto:a@evil.example|mail> <https://evil.example>',
  },
  { name: 'slack bare mention words', value: '@channel @here @everyone' },
  { name: 'mrkdwn formatting', value: '*bold* _italic_ ~strike~ `code` ```block``` \n> quote' },
  { name: 'html script', value: '<script>alert(1)</script>' },
  { name: 'html event handlers', value: '"><img src=x onerror=alert(1)><svg onload=alert(1)><body onload=alert(1)>' },
  { name: 'html attribute break-out', value: `' onmouseover='alert(1)' x=' " onfocus="alert(1)" autofocus x="` },
  {
    name: 'html anchors and frames',
    value:
      '<a href="https://evil.example">x</a><iframe src="https://evil.example"></iframe><style>*{display:none}</style><div style="x">',
  },
  { name: 'javascript url', value: 'javascript:alert(1) data:text/html;base64,PHNjcmlwdD4=' },
  {
    name: 'markdown link and image',
    value: '[click](https://evil.example) ![img](https://evil.example/x.png) [ref][1]\n\n[1]: https://evil.example',
  },
  { name: 'markdown blocks', value: '# Heading\n- item\n+ item\n1. one\n---\n=== \n| a | b |\n    indented code' },
  { name: 'teams at-mention', value: '<at>Everyone</at> <at id="0">admin</at>' },
  { name: 'google chat mention', value: '<users/all> <users/123456789> <font color="#ff0000">red</font>' },
  { name: 'CRLF header injection', value: 'x\r\nBcc: victim@example.com\r\nSubject: pwned\r\n\r\nbody' },
  { name: 'bare CR and LF', value: 'line1\nline2\rline3\u2028line4\u2029line5' },
  { name: 'zero-width', value: 'ad\u200Bmi\u200Cn\u200D\u2060\uFEFF\u00AD' },
  { name: 'RTL override', value: '\u202Egnp.exe \u202Atxt\u202C \u2066x\u2069 \u200F\u200E' },
  { name: 'NUL and controls', value: 'nul\u0000bell\u0007esc\u001B[31mred\u001B[0m del\u007F c1\u0085\u009B' },
  { name: 'HTML entities', value: '&amp; &lt;b&gt; &#60;script&#62; &#x3C; &quot; &nbsp; &copy;' },
  { name: 'bare URLs', value: 'https://evil.example/login www.evil.example ftp://evil.example' },
  { name: 'template syntax', value: '{{7*7}} ${7*7} <%= 7*7 %> {{{html}}}' },
  { name: 'emoji and scripts', value: '🔥💀👩‍💻🏳️‍🌈 日本語 العربية עברית' },
];

/** The Arabic letter mark, a bidi mark like U+200E/U+200F (kept apart: see hostile.test.ts). */
export const ARABIC_LETTER_MARK: Injection = { name: 'Arabic letter mark (U+061C)', value: 'admin\u061C.exe' };

/** Every injection, plus all of them at once and very long strings. */
export const INJECTIONS: Injection[] = [
  ...BASE,
  { name: 'all at once', value: BASE.map((i) => i.value).join(' ') },
  { name: 'very long ASCII', value: `<!channel> ${'A'.repeat(60_000)} <script>` },
  { name: 'very long multi-byte', value: `${'💀'.repeat(20_000)}<@U123>` },
];

/**
 * Keys whose string values stay as they are: the identifiers, enums and
 * timestamps that make an event a GuardDuty finding (`id`, `accountId`,
 * `region`, `partition`, `type`, …). Every other string is attacker-influenced
 * for this suite, including ids GuardDuty itself reports about the resource.
 */
export const KEEP_KEYS = new Set([
  'version',
  'detail-type',
  'source',
  'account',
  'time',
  'schemaVersion',
  'id',
  'arn',
  'accountId',
  'region',
  'partition',
  'type',
  'createdAt',
  'updatedAt',
  'resourceType',
  'actionType',
]);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * A copy of `value` with `replace(original, path)` in place of every string
 * leaf that is not kept (see {@link KEEP_KEYS}; timestamps are kept too).
 *
 * @example hostileCopy(event, () => '<!channel>')
 */
export function hostileCopy<T>(
  value: T,
  replace: (original: string, path: readonly (string | number)[]) => string,
  keep = KEEP_KEYS,
): T {
  const walk = (v: unknown, path: Array<string | number>): unknown => {
    if (typeof v === 'string') {
      const key = path[path.length - 1];
      if ((typeof key === 'string' && keep.has(key)) || TIMESTAMP.test(v)) return v;
      return replace(v, path);
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  return walk(value, []) as T;
}

/** Counts the string leaves {@link hostileCopy} replaces. */
export function replaceableLeaves(value: unknown): number {
  let n = 0;
  hostileCopy(value, (s) => {
    n += 1;
    return s;
  });
  return n;
}

/** Invisible, direction-changing and control characters no payload may carry (tab and LF aside). */
const FORBIDDEN_CHARS =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** A zero-width joiner inside an emoji sequence (👩‍💻, 🏳️‍🌈), the one place it may stay. */
const EMOJI_JOINER = /(\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/gu;

/**
 * The first control, invisible or direction-changing character in `value`, or
 * null: what no payload may carry (a joiner between two pictographs excepted).
 */
export function forbiddenChar(value: string): string | null {
  return FORBIDDEN_CHARS.exec(value.replace(EMOJI_JOINER, '$1'))?.[0] ?? null;
}

/** Every string inside a JSON-like value, with its path. */
export function strings(value: unknown, path = ''): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}
