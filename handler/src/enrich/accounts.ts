/**
 * Resolves account ids to display names: the static map from config first,
 * then (optionally) AWS Organizations `DescribeAccount`, cached per container.
 * Lookups are bounded in time and never throw: a finding is delivered with the
 * bare account id rather than delayed or lost.
 */
export interface AccountNamer {
  names(
    accountIds: readonly string[],
    staticNames: Readonly<Record<string, string>>,
    lookup: boolean,
  ): Promise<Map<string, string | null>>;
}

export interface AccountNamerOptions {
  /** Returns the account's name, or null when it has none / is not in the organization. */
  describeAccount: (accountId: string) => Promise<string | null>;
  /** Upper bound for one lookup. */
  timeoutMs?: number;
  /** How long a failed lookup is remembered before trying again. */
  failureTtlMs?: number;
  now?: () => number;
  onError?: (accountId: string, error: unknown) => void;
}

export function createAccountNamer(options: AccountNamerOptions): AccountNamer {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 1_500;
  const failureTtlMs = options.failureTtlMs ?? 5 * 60_000;
  const found = new Map<string, string | null>();
  const failedAt = new Map<string, number>();

  const lookup = async (id: string): Promise<string | null> => {
    if (found.has(id)) return found.get(id) ?? null;
    const failed = failedAt.get(id);
    if (failed !== undefined && now() - failed < failureTtlMs) return null;
    let timer: NodeJS.Timeout | undefined;
    try {
      const name = await Promise.race([
        options.describeAccount(id),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`DescribeAccount timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      found.set(id, name);
      return name;
    } catch (error) {
      failedAt.set(id, now());
      options.onError?.(id, error);
      return null;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async names(accountIds, staticNames, useLookup) {
      const unique = [...new Set(accountIds)];
      const entries = await Promise.all(
        unique.map(
          async (id): Promise<[string, string | null]> => [
            id,
            staticNames[id] ?? (useLookup ? await lookup(id) : null),
          ],
        ),
      );
      return new Map(entries);
    },
  };
}
