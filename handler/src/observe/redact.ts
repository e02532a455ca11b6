/*
 * Redaction for everything the handler writes. Known secrets (registered from
 * the loaded config) are replaced wherever they appear; as a second line of
 * defence, well-known webhook URL shapes and URL query strings are masked even
 * if they were never registered.
 */

const PATTERNS: Array<[RegExp, string]> = [
  [/https:\/\/hooks\.slack\.com\/[^\s"'<>]+/g, 'https://hooks.slack.com/[REDACTED]'],
  [/(https?:\/\/[^\s"'<>?]+)\?[^\s"'<>]+/g, '$1?[REDACTED]'],
  [/\b(routing_key|routingKey|password|pass|token|secret)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2[REDACTED]'],
];

export interface Redactor {
  add(secrets: readonly string[]): void;
  redact(text: string): string;
}

export function createRedactor(): Redactor {
  let secrets: string[] = [];
  return {
    add(values) {
      // Longest first, so a URL is masked whole before a shorter secret inside it.
      secrets = [...new Set([...secrets, ...values.filter((v) => v.length >= 6)])].sort((a, b) => b.length - a.length);
    },
    redact(text) {
      let out = text;
      for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
      for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
      return out;
    },
  };
}
