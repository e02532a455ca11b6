type OrgModule = typeof import('@aws-sdk/client-organizations');
let orgModule: Promise<OrgModule> | undefined;
let client: import('@aws-sdk/client-organizations').OrganizationsClient | undefined;

/** `organizations:DescribeAccount`, loaded on first use. Null when the account has no name. */
export async function describeAccountName(accountId: string): Promise<string | null> {
  orgModule ??= import('@aws-sdk/client-organizations');
  const mod = await orgModule;
  client ??= new mod.OrganizationsClient({ maxAttempts: 2 });
  const result = await client.send(new mod.DescribeAccountCommand({ AccountId: accountId }));
  return result.Account?.Name ?? null;
}
