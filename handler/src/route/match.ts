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
