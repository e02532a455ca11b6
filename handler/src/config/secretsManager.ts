type SmModule = typeof import('@aws-sdk/client-secrets-manager');
let smModule: Promise<SmModule> | undefined;
let client: import('@aws-sdk/client-secrets-manager').SecretsManagerClient | undefined;

/** Reads the config secret's string value (loaded on first use, keeping module init lean). */
export async function readSecretString(secretId: string): Promise<string> {
  smModule ??= import('@aws-sdk/client-secrets-manager');
  const mod = await smModule;
  client ??= new mod.SecretsManagerClient({});
  const result = await client.send(new mod.GetSecretValueCommand({ SecretId: secretId }));
  if (result.SecretString === undefined)
    throw new Error('the secret has no SecretString (binary secrets are not supported); store the config as JSON text');
  return result.SecretString;
}
