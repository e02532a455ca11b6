import * as z from 'zod/mini';

// zod/mini ships without messages; every parse whose issues we report goes
// through this module, so English is configured here once.
z.config(z.locales.en());

/**
 * The config secret is missing, unreadable, not JSON or fails the schema. The
 * message names each JSON path and what was expected, never the values (they
 * are secrets).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length > 0 ? `${message}:\n${issues.map((i) => `  - ${i}`).join('\n')}` : message);
  }
}

/** `channels[1].smtp.port` from zod's path array. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** One line per issue: the path, then zod's message (which never echoes the value). */
export function formatIssues(error: z.core.$ZodError, max = 20): string[] {
  const lines = error.issues.slice(0, max).map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys')
      message = `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling`;
    if (issue.code === 'invalid_union' && issue.path.at(-1) !== 'type' && 'discriminator' in issue) {
      message = `${message} (channel "type" must be one of slack, teams, googleChat, email, sns, pagerduty, webhook)`;
    }
    return `${formatPath(issue.path)}: ${message}`;
  });
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more`);
  return lines;
}
