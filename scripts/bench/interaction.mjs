// What the bench needs around the interaction endpoint and the state table, on
// the moto emulator the bench started (harness/moto.mjs, whose launcher adds
// GuardDuty's findings APIs): the state table as the module creates it, a
// detector with seeded findings, the config secret's `slackApp` section, and a
// stand-in for Slack's response_url.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateDetectorCommand, GetFindingsCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { createStateTable, scanFlat, seedFindings } from '../../harness/awsState.mjs';
import { startReceiver } from '../../harness/http.mjs';

export { createStateTable };

const REGION = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's default account
const TEAM = 'T0BENCH01';
const USER = 'U0BENCH01';
const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';

/** Every item of a table, attribute values flattened to strings (the harness's reader on the SDK's environment). */
export function scanTable(tableName, endpoint = undefined) {
  return scanFlat(new DynamoDBClient(endpoint ? { endpoint } : {}), tableName);
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
      await seedFindings(
        moto.endpoint,
        detectorId,
        { region: REGION, account: ACCOUNT },
        ids.map((id) => ({ id })),
      );
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
