import type { Claim, InteractionState } from './actions.js';

type DdbModule = typeof import('@aws-sdk/client-dynamodb');
let ddbModule: Promise<DdbModule> | undefined;

/**
 * Interaction claims in the state table: one conditional write per (finding,
 * action), so a double click, or two analysts at once, act once. The item
 * also records the finding's lifecycle (who acknowledged or archived, when).
 * Any DynamoDB failure answers `unknown`: the action then goes ahead, since
 * GuardDuty's archive and feedback calls are idempotent themselves.
 */
export function createDynamoClaims(options: {
  tableName: string;
  ttlDays: number;
  onUnavailable?: (error: unknown) => void;
}): InteractionState & {
  alertOf(findingId: string): Promise<{ firstSeenAt: string; highestSeverity: number } | null>;
} {
  let client: import('@aws-sdk/client-dynamodb').DynamoDBClient | undefined;
  const connect = async () => {
    ddbModule ??= import('@aws-sdk/client-dynamodb');
    const mod = await ddbModule;
    client ??= new mod.DynamoDBClient({ maxAttempts: 2 });
    return { mod, client };
  };
  return {
    /** When the notifier first saw the finding and its highest severity (the state table's finding record), or null. */
    async alertOf(findingId) {
      try {
        const { mod, client } = await connect();
        const item = await client.send(
          new mod.GetItemCommand({
            TableName: options.tableName,
            Key: { pk: { S: `FINDING#${findingId}` }, sk: { S: 'META' } },
            ProjectionExpression: 'firstSeenAt, highestSeverity',
          }),
        );
        const firstSeenAt = item.Item?.firstSeenAt?.S;
        const severity = Number(item.Item?.highestSeverity?.N);
        return firstSeenAt && Number.isFinite(severity) ? { firstSeenAt, highestSeverity: severity } : null;
      } catch (error) {
        options.onUnavailable?.(error);
        return null;
      }
    },
    async claim(findingId, action, by, atIso) {
      const key = { pk: { S: `FINDING#${findingId}` }, sk: { S: `CLAIM#${action}` } };
      try {
        const { mod, client } = await connect();
        try {
          await client.send(
            new mod.PutItemCommand({
              TableName: options.tableName,
              Item: {
                ...key,
                by: { S: by },
                at: { S: atIso },
                expiresAt: { N: String(Math.floor(Date.parse(atIso) / 1000) + options.ttlDays * 86_400) },
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          return { claimed: true } satisfies Claim;
        } catch (error) {
          if (!(error instanceof mod.ConditionalCheckFailedException)) throw error;
          const existing = await client.send(
            new mod.GetItemCommand({ TableName: options.tableName, Key: key, ConsistentRead: true }),
          );
          return {
            claimed: false,
            by: existing.Item?.by?.S ?? 'someone',
            at: existing.Item?.at?.S ?? 'an earlier time',
          };
        }
      } catch (error) {
        options.onUnavailable?.(error);
        return { claimed: 'unknown' };
      }
    },
  };
}
