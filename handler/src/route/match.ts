/**
 * Compiles finding-type patterns where `*` matches any run of characters
 * ("Recon:*", "*:EC2/*", "UnauthorizedAccess:IAMUser/*"). Everything else is
 * literal, so patterns from config cannot smuggle regular expressions.
 */
export function compileTypePatterns(patterns: readonly string[]): (type: string) => boolean {
  const regexes = patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
  return (type) => regexes.some((regex) => regex.test(type));
}

/** Any value of a tag key ("team": "*"). */
export const ANY_TAG_VALUE = '*';

/**
 * Compiles an owner filter such as `{"team": "payments", "env": ["prod", "stage"]}`:
 * every listed key must be among the finding's resource tags with one of the
 * listed values (exact, case-sensitive, as AWS compares tags); `"*"` accepts any
 * value of the key. A finding without that tag does not match.
 */
export function compileTagFilter(
  wanted: Readonly<Record<string, string | readonly string[]>>,
): (tags: ReadonlyArray<{ key: string; value: string }>) => boolean {
  const rules = Object.entries(wanted).map(([key, values]) => {
    const allowed = new Set(typeof values === 'string' ? [values] : values);
    return { key, any: allowed.has(ANY_TAG_VALUE), allowed };
  });
  return (tags) =>
    rules.every(({ key, any, allowed }) => tags.some((t) => t.key === key && (any || allowed.has(t.value))));
}
