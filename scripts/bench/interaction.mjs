// What the bench needs around the interaction endpoint and the state table, on
// the moto emulator the bench started (harness/moto.mjs, whose launcher adds
// GuardDuty's findings APIs): the state table as the module creates it, a
// detector with seeded findings, the config secret's `slackApp` section, and a
// stand-in for Slack's response_url.
import { CreateTableCommand, DynamoDBClient, ScanCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateDetectorCommand, GetFindingsCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { startReceiver } from '../../harness/http.mjs';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's default account
const TEAM = 'T0BENCH01';
const USER = 'U0BENCH01';
const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';

/** The state table as the module creates it: pk/sk strings, on-demand, TTL on `expiresAt`. */
export async function createStateTable(tableName, endpoint = undefined) {
  const dynamo = new DynamoDBClient(endpoint ? { endpoint } : {});
  await dynamo.send(
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
  await dynamo.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
    }),
  );
  return tableName;
}

/** Every item of a table (paged), attribute values flattened to strings. */
export async function scanTable(tableName, endpoint = undefined) {
  const dynamo = new DynamoDBClient(endpoint ? { endpoint } : {});
  const items = [];
  let start;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? [])
      items.push(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? v.N ?? ''])));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * A detector, the config secret (written with `secret(config)`) allowing one
 * user to archive and acknowledge, and the response_url stand-in.
 */
export async function startInteractionWorld(moto, { secret, table }) {
  const slack = await startReceiver();
  const guardduty = new GuardDutyClient({});
  const { DetectorId: detectorId } = await guardduty.send(new CreateDetectorCommand({ Enable: true }));
  const config = {
    channels: [{ name: 'unused', type: 'webhook', url: slack.url('/unused') }],
    slackApp: {
      signingSecret: SIGNING_SECRET,
      teamId: TEAM,
      responseUrlPrefix: slack.url('/response/'),
      allow: { acknowledge: { users: [USER] }, archive: { users: [USER] } },
    },
  };
  const secretArn = await secret(config);
  return {
    slack,
    table,
    secretArn,
    team: TEAM,
    user: USER,
    region: REGION,
    account: ACCOUNT,
    signingSecret: SIGNING_SECRET,
    /** Seeds findings in the detector through the launcher's test-only route (harness/moto_guardduty.py). */
    async seed(ids) {
      const response = await fetch(`${moto.endpoint}/detector/${detectorId}/gdn-test/findings`, {
        method: 'POST',
        headers: {
          // moto routes by the credential scope's service.
          authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/guardduty/aws4_request, SignedHeaders=host, Signature=0`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          findings: ids.map((id) => ({
            id,
            accountId: ACCOUNT,
            region: REGION,
            type: 'Recon:EC2/PortProbeUnprotectedPort',
            severity: 8,
            resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0abc12345' } },
            service: { archived: false, count: 1 },
          })),
        }),
      });
      if (!response.ok) throw new Error(`seeding findings failed: HTTP ${response.status} ${await response.text()}`);
    },
    /** What the clicks changed: archived findings (GetFindings, 50 ids a call), claims, replies at response_url. */
    async outcome(ids) {
      let archived = 0;
      for (let i = 0; i < ids.length; i += 50) {
        const page = await guardduty.send(
          new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids.slice(i, i + 50) }),
        );
        archived += (page.Findings ?? []).filter((f) => f.Service?.Archived === true).length;
      }
      const claims = (await scanTable(table)).filter((item) => item.sk?.startsWith('CLAIM#')).length;
      const texts = slack.requests
        .filter((r) => r.path.startsWith('/response/'))
        .map((r) => String(JSON.parse(r.body).text ?? ''));
      const done = texts.filter((t) => /^(Archived|Acknowledged) by /.test(t)).length;
      return {
        archived,
        claims,
        replies: {
          done,
          other: texts.length - done,
          sample: texts.find((t) => !/^(Archived|Acknowledged) by /.test(t)),
        },
      };
    },
  };
}
