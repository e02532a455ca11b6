import { ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ListTopicsCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type Aws, xmlAll } from './aws.js';

/** What the emulator holds, by kind: names/ids, for a before/after comparison. */
export type Inventory = Record<string, string[]>;

/**
 * Everything of the kinds the module and the examples create. Secrets
 * scheduled for deletion and KMS keys pending deletion are listed under their
 * own kinds: that is where AWS leaves them after a destroy (recovery window,
 * key deletion waiting period).
 */
export async function inventory(aws: Aws, sqs: SQSClient, sns: SNSClient): Promise<Inventory> {
  const functions = await aws.rest<{ Functions?: Array<{ FunctionName: string }> }>(
    'lambda',
    'GET',
    '/2015-03-31/functions/',
  );
  const esms = await aws.rest<{ EventSourceMappings?: Array<{ UUID: string }> }>(
    'lambda',
    'GET',
    '/2015-03-31/event-source-mappings/',
  );
  const rules = await aws.json<{ Rules?: Array<{ Name: string }> }>('events', 'AWSEvents.ListRules', {});
  const live = await aws.json<{ SecretList?: Array<{ Name: string }> }>(
    'secretsmanager',
    'secretsmanager.ListSecrets',
    {},
  );
  const all = await aws.json<{ SecretList?: Array<{ Name: string; DeletedDate?: unknown }> }>(
    'secretsmanager',
    'secretsmanager.ListSecrets',
    { IncludePlannedDeletion: true },
  );
  const logGroups = await aws.json<{ logGroups?: Array<{ logGroupName: string }> }>(
    'logs',
    'Logs_20140328.DescribeLogGroups',
    {},
  );
  const keys = await aws.json<{ Keys?: Array<{ KeyId: string }> }>('kms', 'TrentService.ListKeys', {});
  const keyStates = await Promise.all(
    (keys.Keys ?? []).map(async (k) => {
      const d = await aws.json<{ KeyMetadata?: { KeyId: string; KeyState: string; KeyManager?: string } }>(
        'kms',
        'TrentService.DescribeKey',
        { KeyId: k.KeyId },
      );
      return d.KeyMetadata!;
    }),
  );
  const aliases = await aws.json<{ Aliases?: Array<{ AliasName: string }> }>('kms', 'TrentService.ListAliases', {});
  const roles = xmlAll(await aws.query('iam', 'ListRoles', '2010-05-08'), 'RoleName');
  const alarms = xmlAll(await aws.query('monitoring', 'DescribeAlarms', '2010-08-01'), 'AlarmName');
  const dashboards = xmlAll(await aws.query('monitoring', 'ListDashboards', '2010-08-01'), 'DashboardName');
  const tables = await aws.json<{ TableNames?: string[] }>('dynamodb', 'DynamoDB_20120810.ListTables', {}, '1.0');
  const queues = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
  const topics = (await sns.send(new ListTopicsCommand({}))).Topics ?? [];
  return {
    queues: queues.map((u) => u.split('/').pop()!).sort(),
    functions: (functions.Functions ?? []).map((f) => f.FunctionName).sort(),
    'event source mappings': (esms.EventSourceMappings ?? []).map((e) => e.UUID).sort(),
    'event rules': (rules.Rules ?? []).map((r) => r.Name).sort(),
    secrets: (live.SecretList ?? []).map((s) => s.Name).sort(),
    'secrets scheduled for deletion': (all.SecretList ?? [])
      .filter((s) => s.DeletedDate !== undefined && s.DeletedDate !== null)
      .map((s) => s.Name)
      .sort(),
    'iam roles': roles.sort(),
    'log groups': (logGroups.logGroups ?? []).map((g) => g.logGroupName).sort(),
    alarms: alarms.sort(),
    dashboards: dashboards.sort(),
    'dynamodb tables': [...(tables.TableNames ?? [])].sort(),
    'sns topics': topics.map((t) => t.TopicArn!.split(':').pop()!).sort(),
    'kms keys': keyStates
      .filter((k) => k.KeyState !== 'PendingDeletion' && k.KeyManager !== 'AWS')
      .map((k) => k.KeyId)
      .sort(),
    'kms keys pending deletion': keyStates
      .filter((k) => k.KeyState === 'PendingDeletion')
      .map((k) => k.KeyId)
      .sort(),
    'kms aliases': (aliases.Aliases ?? [])
      .map((a) => a.AliasName)
      .filter((n) => !n.startsWith('alias/aws/'))
      .sort(),
  };
}

/** Entries of `after` that were not in `before`, by kind (empty kinds left out). */
export function added(before: Inventory, after: Inventory): Inventory {
  const out: Inventory = {};
  for (const [kind, names] of Object.entries(after)) {
    const was = new Set(before[kind] ?? []);
    const extra = names.filter((n) => !was.has(n));
    if (extra.length > 0) out[kind] = extra;
  }
  return out;
}
