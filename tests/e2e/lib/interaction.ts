import { randomBytes } from 'node:crypto';
import type { SlackStoredMessage } from '../../../harness/slackWebApi.mjs';
import { ACTION_IDS, readButton } from '../../../handler/src/interact/buttons.js';
import { slackSignature } from '../../../handler/src/interact/signature.js';
import { type Aws, REGION, xmlAll, xmlOne } from './aws.js';
import { evaluate } from './iam.js';

/*
 * The Slack interaction endpoint (issue 18), end to end: the multi-channel
 * example applied with `create_interaction_endpoint = true`, a `slackApp`
 * section in its config secret and a Slack app channel (a bot token and a
 * channel id; all added by the run only, through files it writes beside the
 * example). The deployed notifier posts findings to that channel through the
 * Slack Web API stand-in (harness/slackWebApi.mjs, at slack.com), and the
 * deployed `interaction.handler`, run from the committed zip, gets Slack's
 * function URL requests for a click on one of those messages.
 */

/** The Slack app the run configures: who signs, which workspace, who may archive, where its bot posts. */
export interface SlackApp {
  signingSecret: string;
  teamId: string;
  /** The one user allowed to archive. */
  analyst: string;
  /** The bot token of the Slack app channel; the only one the Web API stand-in accepts. */
  botToken: string;
  /** The channel the bot posts findings to. */
  channelId: string;
}

/** The Slack app channel the run adds to the example's config (findings as threads, with buttons). */
export const SLACK_APP_CHANNEL = 'sec-slack-app';

/**
 * The example's channel whose routing rules the Slack app channel copies (HIGH,
 * escalations, samples included): the scenario's expectations for it say which
 * findings the app channel must hear.
 */
export const SLACK_APP_RULES_LIKE = 'sec-email';

export function newSlackApp(): SlackApp {
  const id = (prefix: string) => `${prefix}0E2E${randomBytes(4).toString('hex').toUpperCase()}`;
  const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  return {
    signingSecret: randomBytes(16).toString('hex'),
    teamId: id('T'),
    analyst: id('U'),
    botToken: `xoxb-${digits(12)}-${digits(13)}-${randomBytes(12).toString('hex')}`,
    channelId: id('C'),
  };
}

/** TF_VAR_ value of the run's `e2e_slack_app_json` variable: the config secret's `slackApp` section. */
export function slackAppJson(app: SlackApp): string {
  return JSON.stringify({
    signingSecret: app.signingSecret,
    teamId: app.teamId,
    allow: { archive: { users: [app.analyst] } },
  });
}

/** TF_VAR_ value of the run's `e2e_slack_app_channel_json` variable: the Slack app channel's config. */
export function slackAppChannelJson(app: SlackApp): string {
  return JSON.stringify({
    name: SLACK_APP_CHANNEL,
    type: 'slack',
    botToken: app.botToken,
    channelId: app.channelId,
    minSeverity: 'HIGH',
  });
}

/**
 * HCL the run adds to the multi-channel example: ephemeral variables (the
 * signing secret and the bot token travel like the channel credentials: never
 * in state) and an override of the module block that turns the endpoint on,
 * merges the `slackApp` section into the example's `local.config` and appends
 * the Slack app channel to its channels.
 */
export const INTERACTION_FILES: Record<string, string> = {
  'e2e_interaction.tf': `variable "e2e_slack_app_json" {
  description = "The config secret's slackApp section (JSON), added by the e2e run."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "e2e_slack_app_channel_json" {
  description = "A Slack app channel (bot token, channel id) appended to the config's channels (JSON), added by the e2e run."
  type        = string
  sensitive   = true
  ephemeral   = true
}
`,
  'e2e_interaction_override.tf': `module "guardduty_notify" {
  create_interaction_endpoint = true
  config_json = jsonencode(merge(local.config, {
    channels = concat(local.config.channels, [jsondecode(var.e2e_slack_app_channel_json)])
    slackApp = jsondecode(var.e2e_slack_app_json)
  }))
}
`,
};

/** The response_url Slack would send with a click (hooks.slack.com/actions/…), mapped to the local receiver. */
export const RESPONSE_URL_PATH = '/actions/';

/** A button of a message as the stand-in keeps it (Block Kit inside the message's attachment), or undefined. */
export function buttonOf(message: SlackStoredMessage, actionId: string): Record<string, unknown> | undefined {
  const attachments = (message.current.attachments ?? []) as Array<{ blocks?: Array<Record<string, unknown>> }>;
  return attachments
    .flatMap((a) => a.blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []) as Array<Record<string, unknown>>)
    .find((e) => e.type === 'button' && e.action_id === actionId);
}

/** The messages with an Archive button for this finding: the parents the notifier posted for it. */
export function archivableParents(messages: SlackStoredMessage[], findingId: string): SlackStoredMessage[] {
  return messages.filter((m) => {
    const button = buttonOf(m, ACTION_IDS.archive);
    if (!button) return false;
    return readButton({ action_id: String(button.action_id), value: String(button.value) })?.target.f === findingId;
  });
}

/**
 * A Lambda function URL request (payload format 2.0) carrying Slack's
 * form-encoded `block_actions` payload for a click on the Archive button of
 * `message`: its channel, its `ts` and the message as Slack sends them, the
 * button's own action id and value.
 */
export function clickEvent(
  url: string,
  app: SlackApp,
  message: SlackStoredMessage,
  signing: 'signed' | 'unsigned' | 'wrong-secret',
): Record<string, unknown> {
  const button = buttonOf(message, ACTION_IDS.archive);
  if (!button) throw new Error(`message ${message.channel}/${message.ts} has no Archive button`);
  const payload = {
    type: 'block_actions',
    team: { id: app.teamId, domain: 'example' },
    user: { id: app.analyst, username: 'analyst', team_id: app.teamId },
    api_app_id: 'A0E2E0000',
    channel: { id: message.channel, name: 'security' },
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    message: { type: 'message', ts: message.ts, text: message.current.text, attachments: message.current.attachments },
    response_url: `https://hooks.slack.com${RESPONSE_URL_PATH}${app.teamId}/1234567890/${signing}`,
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'gdn_actions',
        text: button.text,
        value: button.value,
        style: button.style,
        action_ts: `${Math.floor(Date.now() / 1000)}.000200`,
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

/**
 * Every item of the state table, canonical (sorted by key, attributes in
 * order), read with moto's own credentials: two snapshots are equal exactly
 * when no item was written, changed or deleted between them.
 */
export async function stateTableSnapshot(aws: Aws, tableName: string): Promise<string[]> {
  const items: string[] = [];
  let start: unknown;
  do {
    const page = await aws.json<{ Items?: Array<Record<string, unknown>>; LastEvaluatedKey?: unknown }>(
      'dynamodb',
      'DynamoDB_20120810.Scan',
      { TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) },
      '1.0',
    );
    for (const item of page.Items ?? [])
      items.push(JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort();
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
