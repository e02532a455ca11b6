// The AWS side the interaction endpoint, the state table and the report need,
// on the moto emulator (harness/moto.mjs): the state table as the module
// creates it, reading it back, and GuardDuty findings seeded into a detector
// through the launcher's test-only route (harness/moto_guardduty.py).
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * The state table as the module creates it: pk/sk strings, on demand, TTL on `expiresAt`.
 * @param {string} tableName @param {string} [endpoint] moto's, else the SDK's environment
 */
export async function createStateTable(tableName, endpoint) {
  const client = new DynamoDBClient(endpoint ? { endpoint } : {});
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
    }),
  );
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.AttributeName !== 'expiresAt') throw new Error('TTL not set on the state table');
  return client;
}

/**
 * Every item of a table (paged), as DynamoDB returns them.
 * @param {DynamoDBClient} client @param {string} tableName
 */
export async function scanAll(client, tableName) {
  const items = [];
  /** @type {Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined} */
  let start;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Every item with its attribute values flattened to strings (S or N).
 * @param {DynamoDBClient} client @param {string} tableName
 */
export async function scanFlat(client, tableName) {
  return (await scanAll(client, tableName)).map((item) =>
    Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? v.N ?? ''])),
  );
}

/**
 * Seeds GuardDuty findings into a detector (a finding of the administrator's
 * detector, as GuardDuty would have created it). moto routes the request by
 * the credential scope's service, so any signature will do.
 * @param {string} endpoint @param {string} detectorId
 * @param {{ region: string, account: string }} where
 * @param {Array<{ id: string, type?: string, severity?: number, resource?: unknown }>} findings
 */
export async function seedFindings(endpoint, detectorId, where, findings) {
  const response = await fetch(`${endpoint}/detector/${detectorId}/gdn-test/findings`, {
    method: 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${where.region}/guardduty/aws4_request, SignedHeaders=host, Signature=0`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      findings: findings.map((f) => ({
        id: f.id,
        accountId: where.account,
        region: where.region,
        type: f.type ?? 'Recon:EC2/PortProbeUnprotectedPort',
        severity: f.severity ?? 8,
        resource: f.resource ?? { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0abc12345' } },
        service: { archived: false, count: 1 },
      })),
    }),
  });
  if (!response.ok) throw new Error(`seeding findings failed: HTTP ${response.status} ${await response.text()}`);
}
