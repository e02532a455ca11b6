import { randomBytes } from 'node:crypto';
import { ACTION_IDS, buttonValue } from '../../../handler/src/interact/buttons.js';
import { slackSignature } from '../../../handler/src/interact/signature.js';
import { type Aws, REGION, xmlAll, xmlOne } from './aws.js';
import { evaluate } from './iam.js';

/*
 * The Slack interaction endpoint (issue 18), end to end: the multi-channel
 * example applied with `create_interaction_endpoint = true` and a `slackApp`
 * section in its config secret (both added by the run only, through files it
 * writes beside the example), then the deployed `interaction.handler` run from
 * the committed zip with Slack's function URL requests.
 */

/** The Slack app the run configures: who signs, which workspace, who may archive. */
export interface SlackApp {
  signingSecret: string;
  teamId: string;
  /** The one user allowed to archive. */
  analyst: string;
}

export function newSlackApp(): SlackApp {
  const id = (prefix: string) => `${prefix}0E2E${randomBytes(4).toString('hex').toUpperCase()}`;
  return { signingSecret: randomBytes(16).toString('hex'), teamId: id('T'), analyst: id('U') };
}

/** TF_VAR_ value of the run's `e2e_slack_app_json` variable: the config secret's `slackApp` section. */
export function slackAppJson(app: SlackApp): string {
  return JSON.stringify({
    signingSecret: app.signingSecret,
    teamId: app.teamId,
    allow: { archive: { users: [app.analyst] } },
  });
}

/**
 * HCL the run adds to the multi-channel example: an ephemeral variable (the
 * signing secret travels like the channel credentials: never in state) and an
 * override of the module block that turns the endpoint on and merges the
 * `slackApp` section into the example's `local.config`.
 */
export const INTERACTION_FILES: Record<string, string> = {
  'e2e_interaction.tf': `variable "e2e_slack_app_json" {
  description = "The config secret's slackApp section (JSON), added by the e2e run."
  type        = string
  sensitive   = true
  ephemeral   = true
}
`,
  'e2e_interaction_override.tf': `module "guardduty_notify" {
  create_interaction_endpoint = true
  config_json                 = jsonencode(merge(local.config, { slackApp = jsondecode(var.e2e_slack_app_json) }))
}
`,
};

/** The response_url Slack would send with a click (hooks.slack.com/actions/…), mapped to the local receiver. */
export const RESPONSE_URL_PATH = '/actions/';

/** A Lambda function URL request (payload format 2.0) carrying Slack's form-encoded interaction payload. */
export function clickEvent(
  url: string,
  app: SlackApp,
  finding: { id: string; accountId: string },
  signing: 'signed' | 'unsigned' | 'wrong-secret',
): Record<string, unknown> {
  const payload = {
    type: 'block_actions',
    team: { id: app.teamId, domain: 'example' },
    user: { id: app.analyst, username: 'analyst', team_id: app.teamId },
    channel: { id: 'C0SECURITY' },
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SECURITY' },
    response_url: `https://hooks.slack.com${RESPONSE_URL_PATH}${app.teamId}/1234567890/${signing}`,
    actions: [
      {
        action_id: ACTION_IDS.archive,
        block_id: 'gdn_actions',
        value: buttonValue({ id: finding.id, region: REGION, accountId: finding.accountId }),
        action_ts: '1700000001.000200',
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (signing !== 'unsigned') {
    headers['x-slack-request-timestamp'] = timestamp;
    headers['x-slack-signature'] = slackSignature(
      signing === 'signed' ? app.signingSecret : randomBytes(16).toString('hex'),
      timestamp,
      body,
    );
  }
  const domainName = new URL(url).host;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { host: domainName, ...headers },
    requestContext: {
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: {
        method: 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '54.80.0.10',
        userAgent: headers['user-agent'],
      },
      requestId: randomBytes(16).toString('hex'),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

/** GuardDuty as the account has it: a detector, and one finding in it (the launcher's test-only route). */
export async function seedGuardDuty(aws: Aws, finding: Record<string, unknown>): Promise<string> {
  const { detectorId } = await aws.rest<{ detectorId: string }>('guardduty', 'POST', '/detector', { enable: true });
  await aws.rest('guardduty', 'POST', `/detector/${detectorId}/gdn-test/findings`, { findings: [finding] });
  return detectorId;
}

/** Whether moto's GuardDuty has the finding archived (GetFindings, as the console would show it). */
export async function isArchived(aws: Aws, detectorId: string, findingId: string): Promise<boolean | null> {
  const r = await aws.rest<{ findings: Array<{ service?: { archived?: boolean } }> }>(
    'guardduty',
    'POST',
    `/detector/${detectorId}/findings/get`,
    { findingIds: [findingId] },
  );
  const f = r.findings[0];
  return f ? f.service?.archived === true : null;
}

type Policy = { Statement: Array<Record<string, unknown>> };

/** The inline policies of a role, parsed. */
export async function rolePolicies(aws: Aws, roleName: string): Promise<Policy[]> {
  const names = xmlAll(await aws.query('iam', 'ListRolePolicies', '2010-05-08', { RoleName: roleName }), 'member');
  return Promise.all(
    names.map(
      async (PolicyName) =>
        JSON.parse(
          decodeURIComponent(
            xmlOne(
              await aws.query('iam', 'GetRolePolicy', '2010-05-08', { RoleName: roleName, PolicyName }),
              'PolicyDocument',
            ) ?? '%7B%7D',
          ),
        ) as Policy,
    ),
  );
}

/**
 * What the interaction role may do, as issue 18 says: the four GuardDuty
 * findings actions in this Region only, nothing else of GuardDuty (no filters,
 * no detector changes), the state table only, the config secret only.
 */
export function checkInteractionPolicy(
  policies: Policy[],
  resources: { tableArn: string; secretArn: string },
): string[] {
  const problems: string[] = [];
  const allowed = (action: string, resource: string, region = REGION) =>
    evaluate(policies as never, { action, resource, region }).allowedBy !== undefined;
  for (const action of ['ArchiveFindings', 'GetFindings', 'ListDetectors', 'UpdateFindingsFeedback']) {
    if (!allowed(`guardduty:${action}`, '*')) problems.push(`interaction role: may not guardduty:${action}`);
    if (allowed(`guardduty:${action}`, '*', 'eu-west-1'))
      problems.push(`interaction role: may guardduty:${action} in another Region`);
  }
  for (const action of ['CreateFilter', 'UpdateFilter', 'DeleteDetector', 'UpdateDetector', 'UnarchiveFindings'])
    if (allowed(`guardduty:${action}`, '*')) problems.push(`interaction role: may guardduty:${action}`);
  for (const action of ['GetItem', 'PutItem', 'UpdateItem'])
    if (!allowed(`dynamodb:${action}`, resources.tableArn))
      problems.push(`interaction role: may not dynamodb:${action} the state table`);
  const otherTable = resources.tableArn.replace(/table\/.*/, 'table/someone-elses-table');
  for (const action of ['GetItem', 'PutItem', 'UpdateItem', 'Scan', 'DeleteItem'])
    if (allowed(`dynamodb:${action}`, otherTable))
      problems.push(`interaction role: may dynamodb:${action} another table`);
  for (const action of ['Scan', 'DeleteItem', 'Query', 'DeleteTable'])
    if (allowed(`dynamodb:${action}`, resources.tableArn))
      problems.push(`interaction role: may dynamodb:${action} the state table`);
  if (!allowed('secretsmanager:GetSecretValue', resources.secretArn))
    problems.push('interaction role: may not read the config secret');
  if (allowed('secretsmanager:GetSecretValue', resources.secretArn.replace(/secret:.*/, 'secret:other-AbCdEf')))
    problems.push('interaction role: may read another secret');
  for (const action of ['sqs:SendMessage', 'sns:Publish', 'lambda:InvokeFunction', 'iam:PassRole'])
    if (allowed(action, '*')) problems.push(`interaction role: may ${action}`);
  return problems;
}
