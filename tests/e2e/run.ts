/**
 * End to end against an emulated AWS, on Terraform and OpenTofu (issue 10).
 *
 *   npx tsx tests/e2e/run.ts [--engines terraform,tofu] [--examples multi-channel,slack-minimal] [--jobs N] [--keep]
 *
 * `make e2e` runs it with the toolchain from mk/terraform.mk. For each engine
 * and example, on its own moto server (harness/moto_launcher.py):
 *  1. copy the example, point its module source at this checkout, add an
 *     override that sends the aws provider to moto; `init` + `apply` with the
 *     channel credentials passed the way users pass them (TF_VAR_*, through
 *     the module's config_json into the secret's write-only argument);
 *  2. check the secret holds the config and the state does not; check the
 *     deployed wiring (function ↔ handler, env, queue, DLQ, rule, secret, role);
 *  3. `plan -detailed-exitcode` must report no changes;
 *  4. put GuardDuty findings (and events that must not match) on the default
 *     bus, play the Lambda service and its SQS event source mapping with the
 *     deployed code and settings, deliver to local receivers, a real SMTP
 *     server and moto's SNS; assert every (finding, channel) pair;
 *  5. `destroy`, and check moto holds nothing of the deployment.
 * Prints one summary line per engine; exits non-zero on any failure.
 */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENV } from '../../handler/src/runtime.js';
import { ACTION_IDS } from '../../handler/src/interact/buttons.js';
import { type SlackWebApi, slackWebApi } from '../../harness/slackWebApi.mjs';
import { extractZip } from '../../harness/unzip.mjs';
import { Aws, queueArnFromUrl, REGION, sdkConfig, xmlAll, xmlOne } from './lib/aws.js';
import { makeCerts, type Certs } from './lib/certs.js';
import { endpointsFor, engineBin, engineVersion, overrideHcl, writeCliConfig, type Engine } from './lib/engines.js';
import { drain, newEsmLog, queueDepth, type EventSourceMapping } from './lib/esm.js';
import { evaluate, placeholderOrgAccountArn, startRecordingProxy } from './lib/iam.js';
import { added, inventory } from './lib/inventory.js';
import { codeSha256, startContainer, type FunctionConfig } from './lib/lambda.js';
import {
  archivableParents,
  buttonOf,
  checkInteractionPolicy,
  clickEvent,
  INTERACTION_FILES,
  isArchived,
  newSlackApp,
  RESPONSE_URL_PATH,
  rolePolicies,
  SLACK_APP_CHANNEL,
  SLACK_APP_RULES_LIKE,
  seedGuardDuty,
  type SlackApp,
  slackAppChannelJson,
  slackAppJson,
  stateTableSnapshot,
} from './lib/interaction.js';
import {
  SLACK_WEB_API_HOST,
  slackAppChannelProblems,
  type WebApiExchange,
  webApiErrors,
  webApiReply,
} from './lib/slackAppChannel.js';
import { startMoto } from './lib/moto.js';
import { cleanupAll, installSignalHandlers, interrupted, onCleanup, run } from './lib/proc.js';
import {
  startHttpsReceiver,
  startSmtpReceiver,
  type Delivery,
  type HttpRoute,
  type Recorder,
} from './lib/receivers.js';
import {
  buildWaves,
  queueKey,
  randomToken,
  ruleMatches,
  SCENARIOS,
  type BusEvent,
  type ExampleScenario,
  type Wave,
} from './scenario.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ZIP = join(ROOT, 'handler', 'dist', 'lambda.zip');
const MANIFEST = join(ROOT, 'handler', 'dist', 'manifest.json');

// ---------------------------------------------------------------------------
// Per-example inputs: the variables a user would pass, and the endpoints the
// resulting config names (mapped to local receivers in the Lambda sandbox).
// ---------------------------------------------------------------------------

interface ExampleSetup {
  /** TF_VAR_* environment. */
  vars: Record<string, string>;
  /** Values that must never appear in state, plan/apply output or function logs. */
  secrets: string[];
  /** host → channel name, for the HTTPS receiver. */
  hosts: Record<string, string>;
  smtp?: { host: string; user: string; pass: string; channel: string };
  /** The topic output whose messages are the "sns" channel's deliveries. */
  snsTopicOutput?: { output: string; channel: string };
  /** The Slack app of the interaction endpoint, when the run turns it on for this example. */
  interaction?: SlackApp;
  /** The Slack Web API stand-in (at slack.com) the Slack app channel and the endpoint talk to. */
  slackWebApi?: SlackWebApi;
  /** Checks the config JSON found in the secret. */
  checkConfig(config: Record<string, unknown>): string[];
  /** Checks one accepted delivery's protocol details. */
  checkDelivery(d: Delivery): string[];
  reply(
    channel: string,
    body: string,
    attempt: number,
    failuresFor: (id: string) => number,
  ): { status: number; body?: string; headers?: Record<string, string> };
}

function channelsByName(config: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    ((config.channels as Array<Record<string, unknown>>) ?? []).map((c) => [String(c.name), c]),
  );
}

const RDS_BRUTE_FORCE_ID = (
  JSON.parse(readFileSync(join(ROOT, 'handler/test/fixtures/events/rds-brute-force.json'), 'utf8')) as {
    detail: { id: string };
  }
).detail.id;

function setupMultiChannel(): ExampleSetup {
  const slack = `https://hooks.slack.com/services/T0E2E${randomToken(6, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/B0E2E${randomToken(6, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/${randomToken(24)}`;
  const teamsHost = 'prod-42.westeurope.logic.azure.com';
  const teams = `https://${teamsHost}:443/workflows/${randomToken(32, '0123456789abcdef')}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${randomToken(43)}`;
  const chat = `https://chat.googleapis.com/v1/spaces/AAAAe2e${randomToken(4)}/messages?key=${randomToken(39)}&token=${randomToken(43)}`;
  const routingKey = randomToken(32);
  const smtpPassword = randomToken(44);
  const siemToken = randomToken(40);
  const secrets = {
    slack_webhook_url: slack,
    teams_webhook_url: teams,
    google_chat_webhook_url: chat,
    pagerduty_routing_key: routingKey,
    smtp_password: smtpPassword,
    siem_token: siemToken,
  };
  // The example's defaults stay as users get them: SES SMTP on 587, security@example.com,
  // the SIEM collector at https://siem.example.com/collector/guardduty.
  const slackApp = newSlackApp();
  const smtp = {
    host: 'email-smtp.us-east-1.amazonaws.com',
    user: 'AKIAEXAMPLESMTPUSER',
    pass: smtpPassword,
    channel: 'sec-email',
  };
  return {
    vars: {
      TF_VAR_secrets: JSON.stringify(secrets),
      TF_VAR_account_names: JSON.stringify({ '111122223333': 'prod-payments' }),
      TF_VAR_e2e_slack_app_json: slackAppJson(slackApp),
      TF_VAR_e2e_slack_app_channel_json: slackAppChannelJson(slackApp),
    },
    interaction: slackApp,
    slackWebApi: slackWebApi({ tokens: [slackApp.botToken] }),
    secrets: [
      slack,
      teams,
      chat,
      routingKey,
      smtpPassword,
      siemToken,
      new URL(slack).pathname,
      new URL(chat).searchParams.get('token')!,
      new URL(teams).searchParams.get('sig')!,
      slackApp.signingSecret,
      slackApp.botToken,
    ],
    hosts: {
      'hooks.slack.com': 'sec-slack',
      [teamsHost]: 'sec-teams',
      'chat.googleapis.com': 'sec-chat',
      'events.pagerduty.com': 'oncall',
      'siem.example.com': 'siem',
      [SLACK_WEB_API_HOST]: SLACK_APP_CHANNEL,
    },
    smtp,
    snsTopicOutput: { output: 'findings_topic_arn', channel: 'audit' },
    checkConfig(config) {
      const c = channelsByName(config);
      const problems: string[] = [];
      const want: Array<[string, unknown, unknown]> = [
        ['sec-slack webhookUrl', c['sec-slack']?.webhookUrl, slack],
        ['sec-teams webhookUrl', c['sec-teams']?.webhookUrl, teams],
        ['sec-chat webhookUrl', c['sec-chat']?.webhookUrl, chat],
        ['oncall routingKey', c.oncall?.routingKey, routingKey],
        ['sec-email smtp.pass', (c['sec-email']?.smtp as Record<string, unknown> | undefined)?.pass, smtpPassword],
        [
          'siem Authorization header',
          (c.siem?.headers as Record<string, unknown> | undefined)?.Authorization,
          `Bearer ${siemToken}`,
        ],
        ['accountNames', JSON.stringify(config.accountNames), JSON.stringify({ '111122223333': 'prod-payments' })],
      ];
      for (const [what, got, expected] of want)
        if (got !== expected) problems.push(`config secret: ${what} is not the value passed in`);
      return problems;
    },
    checkDelivery(d) {
      const problems: string[] = [];
      if (d.channel === 'oncall') {
        const body = JSON.parse(d.body) as { routing_key?: string; event_action?: string };
        if (body.routing_key !== routingKey) problems.push('pagerduty: routing_key is not the configured one');
        if (d.meta.path !== '/v2/enqueue') problems.push(`pagerduty: posted to ${String(d.meta.path)}`);
      }
      if (d.channel === 'siem' && d.meta.authorization !== `Bearer ${siemToken}`)
        problems.push('siem: Authorization header is not the configured one');
      if (d.channel === 'sec-slack' && !slack.endsWith(String(d.meta.path)))
        problems.push('slack: posted to another path than the webhook');
      if (d.channel === 'sec-email') {
        if (d.meta.secure !== true) problems.push('email: delivered without TLS');
        if (d.meta.user !== smtp.user) problems.push('email: not authenticated as the configured user');
        if (JSON.stringify(d.meta.envelopeTo) !== JSON.stringify(['security@example.com']))
          problems.push(`email: envelope recipients ${JSON.stringify(d.meta.envelopeTo)}`);
        if (d.meta.hasHtml !== true) problems.push('email: no HTML part');
      }
      return problems;
    },
    reply(channel, body, attempt, failuresFor) {
      // Slack's rate limit answer once: the handler waits Retry-After and retries in-process.
      if (channel === 'sec-slack' && attempt === 1)
        return { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } };
      // The SIEM is down for the first delivery of the RDS finding: three
      // in-process attempts fail, the handler re-queues that channel alone
      // (30 s delay), and the retry succeeds. No other channel may see it twice.
      if (channel === 'siem' && body.includes(RDS_BRUTE_FORCE_ID) && failuresFor(RDS_BRUTE_FORCE_ID) < 3)
        return { status: 503, body: 'collector unavailable' };
      if (channel === 'oncall')
        return { status: 202, body: JSON.stringify({ status: 'success', message: 'Event processed' }) };
      if (channel === 'sec-teams') return { status: 202, body: '' };
      if (channel === 'sec-chat') return { status: 200, body: JSON.stringify({ name: 'spaces/AAAA/messages/e2e' }) };
      return { status: 200, body: 'ok' };
    },
  };
}

function setupSlackMinimal(): ExampleSetup {
  const slack = `https://hooks.slack.com/services/T0E2E${randomToken(6, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/B0E2E${randomToken(6, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/${randomToken(24)}`;
  return {
    vars: { TF_VAR_slack_webhook_url: slack },
    secrets: [slack, new URL(slack).pathname],
    hosts: { 'hooks.slack.com': 'security-slack' },
    checkConfig(config) {
      return channelsByName(config)['security-slack']?.webhookUrl === slack
        ? []
        : ['config secret: the Slack webhook URL is not the value passed in'];
    },
    checkDelivery(d) {
      return slack.endsWith(String(d.meta.path)) ? [] : ['slack: posted to another path than the webhook'];
    },
    reply(_channel, _body, attempt) {
      // Slack's rate limit answer once: the handler waits Retry-After and retries in-process.
      if (attempt === 1) return { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } };
      return { status: 200, body: 'ok' };
    },
  };
}

const SETUPS: Record<string, () => ExampleSetup> = {
  'multi-channel': setupMultiChannel,
  'slack-minimal': setupSlackMinimal,
};

// ---------------------------------------------------------------------------

/** The receiver's name for requests to an interaction's response_url. */
const INTERACTION_REPLIES = 'slack response_url';

interface InteractionRun {
  app: SlackApp;
  aws: Aws;
  outputs: Record<string, { value: unknown }>;
  notifier: FunctionConfig & { Role: string };
  secrets: string[];
  recorder: Recorder;
  /** The Slack Web API stand-in the notifier posted the Slack app channel's messages to, and its log. */
  slackWebApi: SlackWebApi;
  webApiLog: WebApiExchange[];
  routes: Record<string, number>;
  shared: Shared;
  dir: string;
  fail(s: string): void;
  check(ok: boolean, s: string): void;
  note(s: string): void;
  stops: Array<() => Promise<void>>;
}

/**
 * The function URL and the interaction function as deployed (GetFunctionUrlConfig:
 * no IAM auth, response streaming; the role's policy), then the deployed
 * `interaction.handler` from the committed zip, with the function's environment
 * and its role's credentials, clicking Archive on the parent message the
 * deployed notifier posted for the finding in the Slack app channel: an
 * unsigned click and one signed with another secret change nothing (GuardDuty,
 * Slack messages, the state table); a click Slack signed archives the finding,
 * edits exactly that parent to say who archived it, and the clicker is told so
 * at the response_url.
 */
async function checkInteractionEndpoint(r: InteractionRun): Promise<void> {
  const { aws, check, fail } = r;
  const url = String(r.outputs.interaction_function_url?.value ?? '');
  check(/^https:\/\//.test(url), `the interaction_function_url output is ${JSON.stringify(url)}`);
  const name = `${r.notifier.FunctionName}-interactions`;
  const got = await aws.rest<{ Configuration: FunctionConfig & { CodeSha256: string; Role: string } }>(
    'lambda',
    'GET',
    `/2015-03-31/functions/${encodeURIComponent(name)}`,
  );
  const fn = got.Configuration;
  check(fn.Handler === 'interaction.handler', `interaction function handler ${fn.Handler}`);
  check(fn.CodeSha256 === r.shared.zipSha, 'the interaction function does not run the committed bundle');
  check(fn.Role !== r.notifier.Role, "the interaction function shares the notifier's role");
  const urlConfig = await aws.rest<{ FunctionUrl?: string; AuthType?: string; InvokeMode?: string }>(
    'lambda',
    'GET',
    `/2021-10-31/functions/${encodeURIComponent(name)}/url`,
  );
  check(urlConfig.AuthType === 'NONE', `function URL AuthType ${urlConfig.AuthType}`);
  check(urlConfig.InvokeMode === 'RESPONSE_STREAM', `function URL InvokeMode ${urlConfig.InvokeMode}`);
  check(urlConfig.FunctionUrl === url, `GetFunctionUrlConfig ${urlConfig.FunctionUrl} is not the output ${url}`);
  const env = fn.Environment?.Variables ?? {};
  const tableName = env.GDN_STATE_TABLE ?? '';
  check(tableName === r.notifier.Environment?.Variables?.GDN_STATE_TABLE, 'the endpoint uses another state table');
  check(
    env.GDN_CONFIG_SECRET_ARN === r.notifier.Environment?.Variables?.[ENV.configSecretArn],
    'the endpoint reads another config secret',
  );
  const { Table: table } = await aws.json<{ Table: { TableArn: string } }>(
    'dynamodb',
    'DynamoDB_20120810.DescribeTable',
    { TableName: tableName },
    '1.0',
  );
  const roleName = fn.Role.split('/').pop()!;
  const policies = await rolePolicies(aws, roleName);
  for (const p of checkInteractionPolicy(policies, {
    tableArn: table.TableArn,
    secretArn: env.GDN_CONFIG_SECRET_ARN ?? '',
  }))
    fail(p);

  // GuardDuty as the account has it: a detector with one unarchived finding (one whose fields have the same
  // shape in the API as in the event; an attack sequence's signal times are epoch numbers in GetFindings).
  const seeded = JSON.parse(
    readFileSync(join(ROOT, 'handler/test/fixtures/events/iam-exfiltration-credentials.json'), 'utf8'),
  ) as {
    detail: Record<string, unknown> & { id: string; accountId: string; service: Record<string, unknown> };
  };
  const finding = { ...seeded.detail, region: REGION, service: { ...seeded.detail.service, archived: false } };
  const detectorId = await seedGuardDuty(aws, finding);

  // The message the analyst clicks: the parent the deployed notifier posted for this finding in the Slack app
  // channel (first wave), with its buttons.
  const parents = archivableParents(r.slackWebApi.parents(r.app.channelId), finding.id);
  check(
    parents.length === 1,
    `the Slack app channel has ${parents.length} parent message(s) with an Archive button for ${finding.id}, expected 1`,
  );
  const parent = parents[0];
  if (!parent) return;

  const session = await aws.query('sts', 'AssumeRole', '2011-06-15', { RoleArn: fn.Role, RoleSessionName: name });
  const proxy = await startRecordingProxy(aws.endpoint, placeholderOrgAccountArn);
  r.stops.push(proxy.close);
  const taskRoot = join(r.dir, 'task-interactions');
  mkdirSync(taskRoot);
  extractZip(r.shared.zipBytes, taskRoot);
  const container = await startContainer({
    taskRoot,
    fn,
    aws: {
      endpoint: aws.endpoint,
      region: REGION,
      accessKeyId: xmlOne(session, 'AccessKeyId')!,
      secretAccessKey: xmlOne(session, 'SecretAccessKey')!,
      sessionToken: xmlOne(session, 'SessionToken')!,
    },
    caFile: r.shared.certs.caFile,
    routes: { ...r.routes, [`127.0.0.1:${new URL(aws.endpoint).port}`]: Number(new URL(proxy.endpoint).port) },
    logFile: join(r.dir, 'interaction-function.log'),
  });
  r.stops.push(container.stop);
  const repliesTo = (signing: string) =>
    r.recorder.deliveries.filter(
      (d) => d.channel === INTERACTION_REPLIES && String(d.meta.path).endsWith(`/${signing}`),
    );

  // Slack's Web API calls the endpoint makes (chat.update of the parent), and what the state table holds.
  const edits = () => r.webApiLog.filter((x) => x.method === 'chat.update');
  const snapshot = () => stateTableSnapshot(aws, tableName);

  const seen: string[] = [];
  for (const signing of ['unsigned', 'wrong-secret'] as const) {
    const [tableBefore, editsBefore, parentEditsBefore] = [await snapshot(), edits().length, parent.edits.length];
    const outcome = await container.invoke(clickEvent(url, r.app, parent, signing));
    const status = (outcome.result as { statusCode?: number } | undefined)?.statusCode;
    seen.push(`${signing} ${status} (archived: ${await isArchived(aws, detectorId, finding.id)})`);
    check(
      outcome.kind === 'result' && status === 401,
      `an ${signing} click answered ${outcome.kind} ${status}, not 401`,
    );
    check((await isArchived(aws, detectorId, finding.id)) === false, `an ${signing} click archived the finding`);
    check(repliesTo(signing).length === 0, `an ${signing} click got a reply at its response_url`);
    check(
      edits().length === editsBefore && parent.edits.length === parentEditsBefore,
      `an ${signing} click edited a Slack message (${edits().length - editsBefore} chat.update call(s))`,
    );
    check(
      JSON.stringify(await snapshot()) === JSON.stringify(tableBefore),
      `an ${signing} click changed the state table`,
    );
  }
  const [tableBefore, editsBefore, parentEditsBefore] = [await snapshot(), edits().length, parent.edits.length];
  const outcome = await container.invoke(clickEvent(url, r.app, parent, 'signed'));
  const status = (outcome.result as { statusCode?: number } | undefined)?.statusCode;
  seen.push(`signed ${status} (archived: ${await isArchived(aws, detectorId, finding.id)})`);
  check(outcome.kind === 'result' && status === 200, `a signed click answered ${outcome.kind} ${status}, not 200`);
  check((await isArchived(aws, detectorId, finding.id)) === true, 'a signed archive click did not archive the finding');
  const replies = repliesTo('signed').map((d) => (JSON.parse(d.body) as { text?: string }).text ?? '');
  check(
    replies.length === 1 && replies[0]!.includes(`Archived by <@${r.app.analyst}>`),
    `the clicker's reply at the response_url: ${JSON.stringify(replies)}`,
  );
  // The parent is edited, once, where Slack shows it (the channel and ts the click came from), to say who archived it.
  const clickEdits = edits().slice(editsBefore);
  const edit = clickEdits[0];
  check(
    clickEdits.length === 1,
    `a signed archive click made ${clickEdits.length} chat.update call(s), expected 1 (the parent)`,
  );
  check(
    edit?.body.channel === parent.channel && edit.body.ts === parent.ts && edit.answer?.ok === true,
    `the click's chat.update went to ${String(edit?.body.channel)}/${String(edit?.body.ts)} (${JSON.stringify(edit?.answer)}), not the parent ${parent.channel}/${parent.ts}`,
  );
  check(parent.edits.length === parentEditsBefore + 1, 'the parent message was not edited');
  const shown = String(parent.current.text ?? '');
  check(
    shown.includes(`archived by <@${r.app.analyst}>`),
    `the parent does not show the archive by the clicker: ${JSON.stringify(shown)}`,
  );
  check(
    buttonOf(parent, ACTION_IDS.archive) !== undefined,
    "the edit dropped the parent's attachment (chat.update keeps what it leaves out)",
  );
  const tableAfter = await snapshot();
  // The snapshot sees this click's writes (its claim, the archive), so "unchanged" above means something.
  check(
    JSON.stringify(tableAfter) !== JSON.stringify(tableBefore),
    'a signed archive click left the state table as it was',
  );
  check(
    tableAfter.some(
      (item) =>
        item.includes(`"pk":{"S":"FINDING#${finding.id}"}`) &&
        item.includes('"sk":{"S":"META"}') &&
        item.includes(`"archivedBy":{"S":"${r.app.analyst}"}`),
    ),
    "the state table does not record the clicker's archive on the finding",
  );
  check(outcome.refused.length === 0, `the endpoint tried non-local destinations: ${JSON.stringify(outcome.refused)}`);

  const calls = [...new Map(proxy.calls.map((c) => [`${c.action} ${c.resource} ${c.region}`, c])).values()];
  for (const call of calls)
    check(
      evaluate(policies as never, call).allowedBy !== undefined,
      `IAM: the endpoint called ${call.action} on ${call.resource} in ${call.region}, which its role does not allow`,
    );
  check(
    calls.some((c) => c.action === 'guardduty:ArchiveFindings'),
    'the endpoint did not call guardduty:ArchiveFindings through its role',
  );
  const logs = container.logLines.join('\n');
  for (const s of r.secrets)
    check(!logs.includes(s), `a credential appears in the endpoint's logs (${s.slice(0, 6)}…)`);
  await container.stop();
  await aws.rest('guardduty', 'DELETE', `/detector/${detectorId}`);
  r.note(
    `interaction endpoint ${url}: clicks on parent ${parent.channel}/${parent.ts}: ${seen.join(', ')}, parent edits ${parent.edits.length}; endpoint AWS calls: ${[...new Set(calls.map((c) => c.action))].sort().join(', ')}`,
  );
}

interface Report {
  engine: Engine;
  example: string;
  failures: string[];
  notes: string[];
  timings: Record<string, number>;
  counts: {
    put: number;
    matching: number;
    deliveries: number;
    expected: number;
    duplicates: number;
    unexpected: number;
    lost: number;
    dlq: number;
    poison: number;
    direct: number;
  };
}

interface Shared {
  tmp: string;
  certs: Certs;
  zipBytes: Buffer;
  zipSha: string;
  cliConfig: string;
  engines: Record<Engine, { bin: string; version: string }>;
}

const secondsSince = (t: number) => Math.round((performance.now() - t) / 100) / 10;

async function runOne(engine: Engine, example: string, shared: Shared): Promise<Report> {
  const scenario: ExampleScenario = SCENARIOS[example]!;
  const setup = SETUPS[example]!();
  const report: Report = {
    engine,
    example,
    failures: [],
    notes: [],
    timings: {},
    counts: {
      put: 0,
      matching: 0,
      deliveries: 0,
      expected: 0,
      duplicates: 0,
      unexpected: 0,
      lost: 0,
      dlq: 0,
      poison: 0,
      direct: 0,
    },
  };
  const tag = `[${engine}/${example}]`;
  const say = (s: string) => process.stdout.write(`${tag} ${s}\n`);
  const fail = (s: string) => {
    report.failures.push(s);
    say(`FAIL ${s}`);
  };
  const check = (ok: boolean, s: string) => {
    if (!ok) fail(s);
  };
  const dir = mkdtempSync(join(shared.tmp, `${engine}-${example}-`));
  const log = join(dir, 'run.log');
  writeFileSync(log, '');
  const started = performance.now();
  const stops: Array<() => Promise<void>> = [];
  let engineOutput = '';

  try {
    // -- emulator, receivers --------------------------------------------------
    const moto = await startMoto(join(dir, 'moto.log'));
    stops.push(moto.stop);
    const aws = new Aws(moto.endpoint);
    const sqs = new SQSClient(sdkConfig(moto.endpoint));
    const sns = new SNSClient(sdkConfig(moto.endpoint));
    const sm = new SecretsManagerClient(sdkConfig(moto.endpoint));
    const baseline = await inventory(aws, sqs, sns);

    const waves: Wave[] = buildWaves();
    // Every string a delivery may name an event by → the event's id (its findingId).
    const idOf = new Map<string, string>();
    for (const e of waves.flatMap((w) => [...w.put, ...w.direct]))
      if (e.findingId) for (const alias of [e.findingId, ...(e.aliases ?? [])]) idOf.set(alias, e.findingId);
    const knownIds = [...idOf.keys()];
    const recorder: Recorder = { deliveries: [], wave: -1 };
    // Every Slack Web API call and its answer (the Slack app channel is checked by calls, not deliveries).
    const webApiLog: WebApiExchange[] = [];
    // Refused requests per (channel, finding), for replies scripted on them.
    const refusedFor = new Map<string, number>();
    const https = await startHttpsReceiver(shared.certs, recorder, (host, path): HttpRoute | undefined => {
      // Slack's response_url of an interaction (hooks.slack.com/actions/…): the endpoint's replies, not a channel's.
      if (host === 'hooks.slack.com' && path.startsWith(RESPONSE_URL_PATH))
        return { channel: INTERACTION_REPLIES, reply: () => ({ status: 200, body: 'ok' }) };
      // The Slack Web API (the Slack app channel, and the endpoint's parent edits): the stand-in answers.
      const webApi = setup.slackWebApi;
      if (host === SLACK_WEB_API_HOST && webApi)
        return {
          channel: SLACK_APP_CHANNEL,
          reply: ({ request }) => webApiReply(webApi, request, recorder.wave, webApiLog),
        };
      const channel = setup.hosts[host];
      if (!channel) return undefined;
      void path;
      const failuresFor = (id: string) => refusedFor.get(`${channel}|${id}`) ?? 0;
      return {
        channel,
        reply: ({ body, attempt }) => {
          const r = setup.reply(channel, body, attempt, failuresFor);
          if (r.status >= 300)
            for (const id of knownIds)
              if (body.includes(id) && idOf.get(id) === id) refusedFor.set(`${channel}|${id}`, failuresFor(id) + 1);
          return r;
        },
      };
    });
    stops.push(https.close);
    const routes: Record<string, number> = Object.fromEntries(
      Object.keys(setup.hosts).map((h) => [`${h}:443`, https.port]),
    );
    if (setup.smtp) {
      const smtp = await startSmtpReceiver(shared.certs, recorder, setup.smtp);
      stops.push(smtp.close);
      routes[`${setup.smtp.host}:587`] = smtp.port;
    }

    // -- stage the example ------------------------------------------------------
    const work = join(dir, 'work');
    // The example's own files only (not a local .terraform/, state or lock file someone left there).
    cpSync(join(ROOT, 'examples', example), work, {
      recursive: true,
      filter: (src) => !/(^|\/)(\.terraform|\.terraform\.lock\.hcl|[^/]*\.tfstate[^/]*)$/.test(src),
    });
    let rewrites = 0;
    for (const f of readdirSync(work).filter((n) => n.endsWith('.tf'))) {
      const text = readFileSync(join(work, f), 'utf8');
      const next = text.replace(/(\bsource\s*=\s*)"\.\.\/\.\."/g, (_m, lhs: string) => {
        rewrites += 1;
        return `${lhs}${JSON.stringify(ROOT)}`;
      });
      writeFileSync(join(work, f), next);
    }
    if (rewrites === 0)
      throw new Error(
        `examples/${example} has no module with source = "../..": the harness cannot point it at this checkout`,
      );
    const tfTypes = new Set<string>();
    const hclFiles = [work, ROOT, ...readdirSync(join(ROOT, 'modules')).map((m) => join(ROOT, 'modules', m))].flatMap(
      (d) =>
        readdirSync(d)
          .filter((f) => f.endsWith('.tf'))
          .map((f) => join(d, f)),
    );
    for (const f of hclFiles)
      for (const m of readFileSync(f, 'utf8').matchAll(/^\s*(?:resource|data)\s+"(aws_[a-z0-9_]+)"/gm))
        tfTypes.add(m[1]!);
    writeFileSync(join(work, 'e2e_override.tf'), overrideHcl(moto.endpoint, endpointsFor(tfTypes)));
    if (setup.interaction)
      for (const [file, hcl] of Object.entries(INTERACTION_FILES)) writeFileSync(join(work, file), hcl);

    // -- apply ------------------------------------------------------------------
    const tfEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TF_CLI_CONFIG_FILE: shared.cliConfig,
      TF_DATA_DIR: join(dir, 'tf-data'),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...setup.vars,
    };
    const bin = shared.engines[engine].bin;
    const tf = async (args: string[], timeoutMs: number, okCodes = [0]) => {
      const r = await run(bin, [...args, '-no-color'], {
        cwd: work,
        env: tfEnv,
        timeoutMs,
        logFile: log,
        label: `${engine} ${args.join(' ')}`,
      });
      engineOutput += r.stdout + r.stderr;
      if (!okCodes.includes(r.code))
        throw new Error(
          `${engine} ${args[0]} exited ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-15).join('\n')}`,
        );
      return r;
    };
    let t = performance.now();
    await tf(['init', '-input=false'], 5 * 60_000);
    report.timings.init = secondsSince(t);
    t = performance.now();
    await tf(['apply', '-auto-approve', '-input=false'], 15 * 60_000);
    report.timings.apply = secondsSince(t);
    say(`applied in ${report.timings.apply} s`);
    const outputs = JSON.parse((await tf(['output', '-json'], 60_000)).stdout) as Record<
      string,
      { value: unknown; sensitive: boolean }
    >;

    // -- plan must be empty -------------------------------------------------------
    t = performance.now();
    const plan = await tf(['plan', '-detailed-exitcode', '-input=false'], 10 * 60_000, [0, 2]);
    report.timings.plan = secondsSince(t);
    if (plan.code === 2) {
      const changes = plan.stdout.split('\n').filter((l) => /^\s+[~+-]|will be|must be replaced|Plan:/.test(l));
      fail(`plan after apply is not empty:\n${changes.slice(0, 40).join('\n')}`);
    } else say('plan after apply: no changes');

    // -- the secret: in the secret, not in the state ---------------------------------
    const state = readFileSync(join(work, 'terraform.tfstate'), 'utf8');
    for (const s of setup.secrets)
      check(!state.includes(s), `a channel credential is in the state file (${s.slice(0, 6)}…)`);

    // -- what was deployed ------------------------------------------------------------
    const functionName = String(outputs.function_name?.value ?? '');
    check(functionName !== '', 'the example has no function_name output');
    const got = await aws.rest<{
      Configuration: FunctionConfig & { CodeSha256: string; Role: string; State?: string };
    }>('lambda', 'GET', `/2015-03-31/functions/${encodeURIComponent(functionName)}`);
    const fn = got.Configuration;
    check(
      fn.CodeSha256 === shared.zipSha,
      `deployed CodeSha256 ${fn.CodeSha256} is not the committed bundle's ${shared.zipSha}`,
    );
    check(/^nodejs\d+\.x$/.test(fn.Runtime), `runtime ${fn.Runtime} is not a Node.js runtime`);
    // The container below runs this process's Node.js (make e2e: the major the module deploys on).
    const runtimeMajor = Number(/^nodejs(\d+)/.exec(fn.Runtime)?.[1]);
    const localMajor = Number(process.versions.node.split('.')[0]);
    check(
      runtimeMajor === localMajor,
      `deployed runtime ${fn.Runtime}, but the container here would run Node ${process.versions.node} (run it through make e2e)`,
    );
    const env = fn.Environment?.Variables ?? {};
    const wanted = Object.values(ENV).sort();
    check(
      JSON.stringify(Object.keys(env).sort()) === JSON.stringify(wanted),
      `function environment ${JSON.stringify(Object.keys(env).sort())} is not what the handler reads ${JSON.stringify(wanted)}`,
    );

    const allEsms = await aws.rest<{ EventSourceMappings: EventSourceMapping[] }>(
      'lambda',
      'GET',
      '/2015-03-31/event-source-mappings/',
    );
    const mine = allEsms.EventSourceMappings.filter((e) => e.FunctionArn === fn.FunctionArn);
    check(mine.length === 1, `expected one event source mapping for the function, found ${mine.length}`);
    const esm = await aws.rest<EventSourceMapping>(
      'lambda',
      'GET',
      `/2015-03-31/event-source-mappings/${mine[0]!.UUID}`,
    );
    check(esm.State === 'Enabled', `event source mapping state ${esm.State}`);
    check(
      (esm.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
      'the event source mapping does not use ReportBatchItemFailures',
    );
    const queueName = esm.EventSourceArn.split(':').pop()!;
    const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl!;
    const queueArn = esm.EventSourceArn;
    check(
      queueArnFromUrl(env[ENV.retryQueueUrl] ?? '') === queueArn,
      `${ENV.retryQueueUrl} is not the queue the function consumes`,
    );
    const queueAttrs =
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
    const redrive = JSON.parse(queueAttrs.RedrivePolicy ?? '{}') as {
      deadLetterTargetArn?: string;
      maxReceiveCount?: number;
    };
    check(
      queueArnFromUrl(env[ENV.dlqUrl] ?? '') === redrive.deadLetterTargetArn,
      `${ENV.dlqUrl} is not the queue's redrive DLQ`,
    );
    const dlqUrl = (
      await sqs.send(new GetQueueUrlCommand({ QueueName: String(redrive.deadLetterTargetArn).split(':').pop()! }))
    ).QueueUrl!;
    if (outputs.dlq_url)
      check(
        queueArnFromUrl(String(outputs.dlq_url.value)) === redrive.deadLetterTargetArn,
        'the dlq_url output is not the redrive DLQ',
      );
    const visibility = Number(queueAttrs.VisibilityTimeout);
    check(
      visibility >= 6 * fn.Timeout,
      `queue visibility timeout ${visibility} s is under 6 × the function timeout (${fn.Timeout} s)`,
    );

    // The findings rule and one rule per signal family (issue 16), all on the default bus, all into this queue.
    const ruleNames = (
      await aws.json<{ RuleNames: string[] }>('events', 'AWSEvents.ListRuleNamesByTarget', { TargetArn: queueArn })
    ).RuleNames;
    const wantedRules: Record<string, string[]> = {
      [functionName]: ['GuardDuty Finding'],
      [`${functionName}-api-activity`]: ['AWS API Call via CloudTrail'],
      [`${functionName}-malware-scan`]: ['GuardDuty Malware Protection Object Scan Result'],
      [`${functionName}-coverage`]: [
        'GuardDuty Malware Protection Post Scan Action Failed',
        'GuardDuty Malware Protection Resource Status Warning',
        'GuardDuty Malware Protection Resource Status Error',
        'GuardDuty Runtime Protection Unhealthy',
        'GuardDuty Runtime Protection Healthy',
      ],
    };
    check(
      JSON.stringify([...ruleNames].sort()) === JSON.stringify(Object.keys(wantedRules).sort()),
      `rules targeting the queue ${JSON.stringify(ruleNames)}, expected ${JSON.stringify(Object.keys(wantedRules))}`,
    );
    const queuePolicy = JSON.parse(queueAttrs.Policy ?? '{"Statement":[]}') as {
      Statement: Array<{
        Effect: string;
        Principal?: { Service?: string };
        Action: string | string[];
        Condition?: { ArnEquals?: Record<string, string> };
      }>;
    };
    for (const [name, detailTypes] of Object.entries(wantedRules)) {
      if (!ruleNames.includes(name)) continue;
      const rule = await aws.json<{ Arn: string; EventPattern: string; State: string; EventBusName?: string }>(
        'events',
        'AWSEvents.DescribeRule',
        { Name: name },
      );
      check(rule.State === 'ENABLED', `rule ${name} state ${rule.State}`);
      check((rule.EventBusName ?? 'default') === 'default', `rule ${name} on bus ${rule.EventBusName}`);
      const pattern = JSON.parse(rule.EventPattern) as { source?: string[]; 'detail-type'?: string[] };
      check(
        JSON.stringify(pattern.source) === '["aws.guardduty"]' &&
          JSON.stringify(pattern['detail-type']) === JSON.stringify(detailTypes),
        `rule ${name} pattern ${rule.EventPattern}`,
      );
      check(
        queuePolicy.Statement.some(
          (s) =>
            s.Effect === 'Allow' &&
            s.Principal?.Service === 'events.amazonaws.com' &&
            [s.Action].flat().includes('sqs:SendMessage') &&
            s.Condition?.ArnEquals?.['aws:SourceArn'] === rule.Arn,
        ),
        `the queue policy does not let rule ${name} (and only via its ARN) send to the queue`,
      );
    }
    check(
      queuePolicy.Statement.filter((s) => s.Effect === 'Allow').length === Object.keys(wantedRules).length,
      `the queue policy allows ${queuePolicy.Statement.filter((s) => s.Effect === 'Allow').length} statements, one per rule expected`,
    );

    const secretArn = env[ENV.configSecretArn] ?? '';
    if (outputs.config_secret_arn)
      check(
        outputs.config_secret_arn.value === secretArn,
        `${ENV.configSecretArn} is not the config_secret_arn output`,
      );
    const secretString = (await sm.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString ?? '';
    for (const p of setup.checkConfig(JSON.parse(secretString) as Record<string, unknown>)) fail(p);

    const roleName = fn.Role.split('/').pop()!;
    const trust = JSON.parse(
      decodeURIComponent(
        xmlOne(await aws.query('iam', 'GetRole', '2010-05-08', { RoleName: roleName }), 'AssumeRolePolicyDocument') ??
          '%7B%7D',
      ),
    ) as { Statement?: Array<{ Principal?: { Service?: string | string[] }; Action?: string | string[] }> };
    check(
      (trust.Statement ?? []).some(
        (s) =>
          [s.Principal?.Service].flat().includes('lambda.amazonaws.com') &&
          [s.Action].flat().includes('sts:AssumeRole'),
      ),
      'the role does not trust lambda.amazonaws.com',
    );
    const policyNames = xmlAll(
      await aws.query('iam', 'ListRolePolicies', '2010-05-08', { RoleName: roleName }),
      'member',
    );
    const policies = await Promise.all(
      policyNames.map(async (PolicyName) =>
        JSON.parse(
          decodeURIComponent(
            xmlOne(
              await aws.query('iam', 'GetRolePolicy', '2010-05-08', { RoleName: roleName, PolicyName }),
              'PolicyDocument',
            ) ?? '%7B%7D',
          ),
        ),
      ),
    );
    const attached = xmlAll(
      await aws.query('iam', 'ListAttachedRolePolicies', '2010-05-08', { RoleName: roleName }),
      'PolicyArn',
    );
    if (attached.length > 0)
      report.notes.push(`managed policies attached to the role (not evaluated): ${attached.join(', ')}`);
    const logGroups = await aws.json<{ logGroups?: Array<{ logGroupName: string; retentionInDays?: number }> }>(
      'logs',
      'Logs_20140328.DescribeLogGroups',
      { logGroupNamePrefix: `/aws/lambda/${functionName}` },
    );
    check(
      (logGroups.logGroups ?? []).some(
        (g) => g.logGroupName === `/aws/lambda/${functionName}` && (g.retentionInDays ?? 0) > 0,
      ),
      'no log group with retention for the function',
    );

    // -- the state table (issue 17): as the module describes it, and the role may touch it only ----------
    const tableName = env.GDN_STATE_TABLE ?? '';
    check(tableName !== '', 'the function has no GDN_STATE_TABLE: the examples create the state table');
    if (tableName !== '') {
      const ddb = <T>(target: string, body: unknown) =>
        aws.json<T>('dynamodb', `DynamoDB_20120810.${target}`, body, '1.0');
      const { Table: table } = await ddb<{
        Table: {
          TableArn: string;
          KeySchema: Array<{ AttributeName: string; KeyType: string }>;
          BillingModeSummary?: { BillingMode?: string };
        };
      }>('DescribeTable', { TableName: tableName });
      check(
        JSON.stringify(table.KeySchema) ===
          JSON.stringify([
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ]),
        `state table keys ${JSON.stringify(table.KeySchema)}`,
      );
      check(table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST', 'the state table is not on-demand');
      const ttl = await ddb<{ TimeToLiveDescription?: { TimeToLiveStatus?: string; AttributeName?: string } }>(
        'DescribeTimeToLive',
        { TableName: tableName },
      );
      check(
        ttl.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' &&
          ttl.TimeToLiveDescription.AttributeName === 'expiresAt',
        `state table TTL ${JSON.stringify(ttl.TimeToLiveDescription)}`,
      );
      const backups = await ddb<{
        ContinuousBackupsDescription?: { PointInTimeRecoveryDescription?: { PointInTimeRecoveryStatus?: string } };
      }>('DescribeContinuousBackups', { TableName: tableName });
      check(
        backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED',
        'point-in-time recovery is off on the state table',
      );
      check(/^\d+$/.test(env.GDN_STATE_TTL_DAYS ?? ''), `GDN_STATE_TTL_DAYS ${env.GDN_STATE_TTL_DAYS}`);
      if (outputs.state_table_arn)
        check(outputs.state_table_arn.value === table.TableArn, 'the state_table_arn output is not the table');
      const allowed = (action: string, resource: string) =>
        evaluate(policies as never, { action, resource }).allowedBy !== undefined;
      for (const action of ['GetItem', 'UpdateItem', 'BatchGetItem', 'BatchWriteItem', 'Query'])
        check(
          allowed(`dynamodb:${action}`, table.TableArn),
          `IAM: the role may not dynamodb:${action} the state table`,
        );
      const otherTable = table.TableArn.replace(/table\/.*/, 'table/someone-elses-table');
      for (const action of ['GetItem', 'UpdateItem', 'BatchGetItem', 'BatchWriteItem', 'Query', 'PutItem', 'Scan'])
        check(!allowed(`dynamodb:${action}`, otherTable), `IAM: the role may dynamodb:${action} another table`);
      for (const action of [
        'Scan',
        'DeleteItem',
        'DeleteTable',
        'UpdateTable',
        'UpdateTimeToLive',
        'ExportTableToPointInTime',
      ])
        check(!allowed(`dynamodb:${action}`, table.TableArn), `IAM: the role may dynamodb:${action} the state table`);
    }

    // The function runs with its role's session credentials, as on Lambda.
    const session = await aws.query('sts', 'AssumeRole', '2011-06-15', {
      RoleArn: fn.Role,
      RoleSessionName: functionName,
    });

    // -- the "sns" channel's subscriber -----------------------------------------------
    let captureUrl: string | undefined;
    if (setup.snsTopicOutput) {
      const topicArn = String(outputs[setup.snsTopicOutput.output]?.value ?? '');
      captureUrl = (
        await sqs.send(new CreateQueueCommand({ QueueName: `e2e-capture-${setup.snsTopicOutput.channel}` }))
      ).QueueUrl!;
      const captureArn = queueArnFromUrl(captureUrl);
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: captureArn }));
    }
    const readCapture = async (wave: number) => {
      if (!captureUrl) return;
      for (let i = 0; i < 50; i++) {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: captureUrl, MaxNumberOfMessages: 10 }));
        const msgs = r.Messages ?? [];
        if (msgs.length === 0) break;
        for (const m of msgs) {
          const n = JSON.parse(m.Body ?? '{}') as {
            Subject?: string;
            Message?: string;
            MessageAttributes?: Record<string, { Value: string }>;
          };
          recorder.deliveries.push({
            channel: setup.snsTopicOutput!.channel,
            wave,
            accepted: true,
            status: 200,
            body: `${n.Subject ?? ''}\n${n.Message ?? ''}`,
            meta: {
              subject: n.Subject,
              attributes: Object.fromEntries(Object.entries(n.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value])),
            },
          });
          await sqs.send(new DeleteMessageCommand({ QueueUrl: captureUrl, ReceiptHandle: m.ReceiptHandle! }));
        }
      }
    };

    // -- the Lambda service ------------------------------------------------------------
    const taskRoot = join(dir, 'task');
    mkdirSync(taskRoot);
    extractZip(shared.zipBytes, taskRoot);
    const proxy = await startRecordingProxy(moto.endpoint, placeholderOrgAccountArn);
    stops.push(proxy.close);
    // The function sees AWS where the deployed config points (moto's endpoint, which is
    // also the host of the queue URLs in its environment); its network sends that
    // through the recording proxy, so every call it makes is checked against its role.
    routes[`127.0.0.1:${new URL(moto.endpoint).port}`] = Number(new URL(proxy.endpoint).port);
    const container = await startContainer({
      taskRoot,
      fn,
      aws: {
        endpoint: moto.endpoint,
        region: REGION,
        accessKeyId: xmlOne(session, 'AccessKeyId')!,
        secretAccessKey: xmlOne(session, 'SecretAccessKey')!,
        sessionToken: xmlOne(session, 'SessionToken')!,
      },
      caFile: shared.certs.caFile,
      routes,
      logFile: join(dir, 'function.log'),
    });
    stops.push(container.stop);
    report.timings.coldStartMs = Math.round(container.init.ms);

    // -- findings on the bus ------------------------------------------------------------
    t = performance.now();
    const esmLog = newEsmLog();
    const queued: Array<{ wave: number; event: BusEvent }> = [];
    for (const [i, wave] of waves.entries()) {
      recorder.wave = i;
      for (let k = 0; k < wave.put.length; k += 10) {
        const entries = wave.put.slice(k, k + 10).map((e) => ({
          Source: e.event.source,
          DetailType: e.event['detail-type'],
          Detail: JSON.stringify(e.event.detail),
          Resources: e.event.resources,
        }));
        const put = await aws.json<{ FailedEntryCount: number }>('events', 'AWSEvents.PutEvents', { Entries: entries });
        check(put.FailedEntryCount === 0, `PutEvents: ${put.FailedEntryCount} entries failed`);
      }
      report.counts.put += wave.put.length;
      const matching = wave.put.filter((e) => ruleMatches(e, scenario.ruleFloor));
      report.counts.matching += matching.length;
      queued.push(...matching.map((event) => ({ wave: i, event })));
      const depth = await queueDepth(sqs, queueUrl);
      check(
        depth.visible === matching.length,
        `wave "${wave.name}": ${depth.visible} messages on the queue after PutEvents, expected the ${matching.length} matching findings`,
      );
      for (const p of wave.poison) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: p.body }));
      report.counts.poison += wave.poison.length;
      // Whole events straight to the queue, in the envelope EventBridge delivers to an SQS target.
      for (const e of wave.direct) {
        const envelope = {
          version: '0',
          id: randomUUID(),
          'detail-type': e.event['detail-type'],
          source: e.event.source,
          account: String(e.event.detail.accountId ?? ''),
          time: new Date().toISOString(),
          region: REGION,
          resources: e.event.resources,
          detail: e.event.detail,
        };
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(envelope) }));
      }
      report.counts.direct += wave.direct.length;
      const before = new Set(esmLog.received.keys());
      const { drained, depth: left } = await drain(sqs, queueUrl, esm, container, esmLog, Date.now() + 4 * 60_000);
      check(
        drained,
        `wave "${wave.name}": the queue did not drain (${JSON.stringify(left)}; ${esmLog.errors.slice(-3).join('; ')})`,
      );
      await readCapture(i);
      // Exactly the matching findings went through the queue (plus the poison and the handler's own re-queues).
      const seen = [...esmLog.received.entries()].filter(([id]) => !before.has(id)).map(([, m]) => m.body);
      const poisonBodies = new Set(wave.poison.map((p) => p.body));
      const events = seen
        .filter((b) => !poisonBodies.has(b))
        .flatMap((b) => {
          try {
            const j = JSON.parse(b) as {
              source?: string;
              'detail-type'?: string;
              detail?: Record<string, unknown>;
              guarddutyNotify?: string;
            };
            return j.guarddutyNotify === undefined && j.source === 'aws.guardduty' ? [queueKey(j)] : [];
          } catch {
            return [];
          }
        });
      const expectedKeys = [...matching, ...wave.direct].map((e) => queueKey(e.event));
      check(
        JSON.stringify([...events].sort()) === JSON.stringify([...expectedKeys].sort()),
        `wave "${wave.name}": the findings that reached the queue ${JSON.stringify(events)} are not the matching ones ${JSON.stringify(expectedKeys)}`,
      );
      say(
        `wave "${wave.name}": put ${wave.put.length} (${matching.length} matching) + ${wave.direct.length} straight to the queue + ${wave.poison.length} poison; ${seen.length} messages through the mapping`,
      );
    }
    report.timings.flow = secondsSince(t);

    // -- assertions per (finding, channel) ---------------------------------------------------
    const labelsById = new Map<string, string>();
    for (const w of waves)
      for (const e of [...w.put, ...w.direct])
        if (e.findingId) labelsById.set(`${waves.indexOf(w)}:${e.findingId}`, e.label);
    // The endpoint's replies, and the Slack app channel's Web API calls (checked below), are not one request per delivery.
    const accepted = recorder.deliveries.filter(
      (d) => d.accepted && d.channel !== INTERACTION_REPLIES && d.channel !== SLACK_APP_CHANNEL,
    );
    const unrouted = recorder.deliveries.filter((d) => d.channel.startsWith('unrouted:'));
    check(
      unrouted.length === 0,
      `requests to endpoints no channel is configured for: ${unrouted.map((d) => d.channel).join(', ')}`,
    );
    report.counts.deliveries = accepted.length;
    /** The event a message is about: the one known id it names (a finding id, a CloudTrail event id), by wave. */
    const attribute = (named: string[], wave: number) => {
      const ids = [...new Set(named.map((id) => idOf.get(id) ?? id))];
      if (ids.length !== 1) return { ids, label: `a message naming ${ids.length} known events` };
      return { ids, label: labelsById.get(`${wave}:${ids[0]}`) ?? `unknown finding ${ids[0]} in wave ${wave}` };
    };
    const observed = new Map<string, number>();
    for (const d of accepted) {
      for (const p of setup.checkDelivery(d)) fail(p);
      const header = typeof d.meta.findingIdHeader === 'string' ? [d.meta.findingIdHeader] : [];
      const named =
        header.length > 0
          ? header
          : knownIds.filter((id) => d.body.includes(id) || String(d.meta.path ?? '').includes(id));
      const { ids, label } = attribute(named, d.wave);
      if (ids.length !== 1) {
        fail(`${d.channel}: a delivery names ${ids.length} known findings (a digest or an unattributable message)`);
        continue;
      }
      const key = `${d.channel}|${d.wave}|${label}`;
      observed.set(key, (observed.get(key) ?? 0) + 1);
      for (const c of scenario.contentChecks)
        if (c.channel === d.channel && c.label === label && !c.ok({ body: d.body, meta: d.meta, findingId: ids[0]! }))
          fail(`${d.channel}: "${label}" ${c.what}: not so in ${d.body.slice(0, 300)}`);
    }
    const expected = new Set<string>();
    for (const [channel, byWave] of Object.entries(scenario.expect)) {
      for (const [waveName, labels] of Object.entries(byWave)) {
        const wi = waves.findIndex((w) => w.name === waveName);
        for (const label of labels) expected.add(`${channel}|${wi}|${label}`);
      }
    }
    report.counts.expected = expected.size;
    for (const key of expected) {
      const n = observed.get(key) ?? 0;
      const [channel, wi, label] = key.split('|');
      const where = `${channel}: "${label}" (wave "${waves[Number(wi)]!.name}")`;
      if (n === 0) {
        report.counts.lost += 1;
        fail(`lost: ${where} was not delivered`);
      } else if (n > 1) {
        report.counts.duplicates += n - 1;
        fail(`duplicate: ${where} was delivered ${n} times`);
      }
    }
    for (const [key, n] of observed) {
      if (expected.has(key)) continue;
      const [channel, wi, label] = key.split('|');
      report.counts.unexpected += n;
      fail(
        `unexpected: ${channel} got "${label}" (wave "${waves[Number(wi)]!.name}") ${n} time(s); routing says it must not`,
      );
    }
    const configured = new Set([
      ...Object.values(setup.hosts),
      ...(setup.smtp ? [setup.smtp.channel] : []),
      ...(setup.snsTopicOutput ? [setup.snsTopicOutput.channel] : []),
    ]);
    for (const c of Object.keys(scenario.expect))
      check(configured.has(c), `the scenario expects channel ${c}, which this run does not receive`);

    // -- the Slack app channel (issue 18): a parent per finding, the archive sync edits it -------------------
    if (setup.slackWebApi) {
      for (const e of webApiErrors(webApiLog)) fail(`slack app channel: Slack answered an error: ${e}`);
      const archiveSyncLabels = new Set(
        waves
          .flatMap((w) => w.put)
          .filter(
            (e) =>
              e.event['detail-type'] === 'AWS API Call via CloudTrail' &&
              ['ArchiveFindings', 'UnarchiveFindings'].includes(String(e.event.detail.eventName)),
          )
          .map((e) => e.label),
      );
      const calls = webApiLog.map((x) => {
        const body = JSON.stringify(x.body);
        const { ids, label } = attribute(
          knownIds.filter((id) => body.includes(id)),
          x.wave,
        );
        return { ...x, label, findingId: ids.length === 1 ? ids[0] : undefined };
      });
      const hears = scenario.expect[SLACK_APP_RULES_LIKE] ?? {};
      for (const p of slackAppChannelProblems(
        calls,
        hears,
        waves.map((w) => w.name),
        archiveSyncLabels,
      ))
        fail(p);
      const count = (method: string, thread?: boolean) =>
        webApiLog.filter((x) => x.method === method && (thread === undefined || thread === 'thread_ts' in x.body))
          .length;
      report.notes.push(
        `slack app channel ${SLACK_APP_CHANNEL} (the rules of ${SLACK_APP_RULES_LIKE}): ${count('chat.postMessage', false)} parents, ${count('chat.postMessage', true)} thread replies, ${count('chat.update')} edits`,
      );
    }

    // -- nothing lost: queue empty, DLQ = the poison, nothing handed back ----------------------
    const finalDepth = await queueDepth(sqs, queueUrl);
    check(
      finalDepth.visible + finalDepth.inFlight + finalDepth.delayed === 0,
      `messages left on the queue: ${JSON.stringify(finalDepth)}`,
    );
    check(
      esmLog.returned.length === 0,
      `the function handed ${esmLog.returned.length} record(s) back to the queue: ${esmLog.errors.join('; ')}`,
    );
    check(
      esmLog.refused.length === 0,
      `the function tried to reach non-local destinations: ${JSON.stringify(esmLog.refused)}`,
    );
    check(
      esmLog.batchSizes.every((n) => n <= esm.BatchSize),
      `a batch exceeded the mapping's BatchSize ${esm.BatchSize}`,
    );
    // Nothing else consumed the queue: every message reached the mapping on its first receive.
    const rereceived = [...esmLog.received.values()].filter((m) => m.receiveCount !== 1);
    check(
      rereceived.length === 0,
      `${rereceived.length} message(s) had been received before the mapping got them (another consumer of the queue?)`,
    );
    const dead: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
      );
      if ((r.Messages ?? []).length === 0) break;
      dead.push(...(r.Messages ?? []).map((m) => m.Body ?? ''));
    }
    report.counts.dlq = dead.length;
    const poison = waves.flatMap((w) => w.poison);
    check(
      dead.length === poison.length,
      `the DLQ holds ${dead.length} messages, expected the ${poison.length} poison messages`,
    );
    for (const p of poison) {
      const match = dead.some((b) => {
        try {
          const letter = JSON.parse(b) as { guarddutyNotify?: string; channel?: unknown; text?: string };
          if (letter.guarddutyNotify !== 'dead-letter' || letter.channel !== null) return false;
          return letter.text === p.body; // the original message, byte for byte
        } catch {
          return false;
        }
      });
      check(match, `poison message "${p.label}" is not in the DLQ as a dead letter`);
    }
    const retries = [...esmLog.received.values()].filter((m) => m.body.includes('"guarddutyNotify":"retry"')).length;
    report.notes.push(
      `${esmLog.invocations} invocations (batch sizes ${esmLog.batchSizes.join(',')}), ${retries} per-channel re-queue(s) consumed, cold start ${report.timings.coldStartMs} ms`,
    );

    // -- IAM: every call the function made is allowed by its role's policy ------------------------
    const calls = new Map<string, { action: string; resource: string; region: string }>();
    for (const c of proxy.calls)
      calls.set(`${c.action} ${c.resource} ${c.region}`, { action: c.action, resource: c.resource, region: c.region });
    for (const call of calls.values()) {
      const verdict = evaluate(policies as never, call);
      check(
        verdict.allowedBy !== undefined,
        `IAM: the function called ${call.action} on ${call.resource}, which its role's policy does not allow${verdict.deniedBy ? ` (denied by ${verdict.deniedBy})` : ''}`,
      );
    }
    // The event source mapping polls with the function's role: Lambda needs these on the queue.
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']) {
      check(
        evaluate(policies as never, { action, resource: queueArn }).allowedBy !== undefined,
        `IAM: the role does not allow ${action} on the queue, which the event source mapping needs`,
      );
    }
    report.notes.push(
      `function AWS calls (all allowed by the role policy): ${[...new Set([...calls.values()].map((c) => c.action))].sort().join(', ')}`,
    );

    // -- no secret in logs or engine output ---------------------------------------------------------
    const logs = container.logLines.join('\n');
    for (const s of setup.secrets) {
      check(!logs.includes(s), `a channel credential appears in the function's logs (${s.slice(0, 6)}…)`);
      check(!engineOutput.includes(s), `a channel credential appears in ${engine}'s output (${s.slice(0, 6)}…)`);
    }

    // -- the weekly report (issue 19): the schedule, then its event run by the deployed function ------------
    if (example === 'multi-channel') {
      const deliveriesTo = (c: string) => recorder.deliveries.filter((d) => d.channel === c && d.accepted).length;
      const schedule = await aws.rest<{ ScheduleExpression?: string; Target?: { Arn?: string; Input?: string } }>(
        'scheduler',
        'GET',
        `/schedules/${encodeURIComponent(`${fn.FunctionName}-report`)}`,
      );
      check(schedule.ScheduleExpression === 'cron(0 8 ? * MON *)', `report schedule ${schedule.ScheduleExpression}`);
      check(schedule.Target?.Arn === fn.FunctionArn, `the report schedule targets ${schedule.Target?.Arn}`);
      const input = JSON.parse(schedule.Target?.Input ?? '{}') as unknown;
      check(
        JSON.stringify(input) === '{"guarddutyNotify":"report"}',
        `report schedule input ${schedule.Target?.Input}`,
      );
      const before = new Map(['sec-slack', 'sec-email', 'siem'].map((c) => [c, deliveriesTo(c)]));
      const outcome = await container.invoke(input);
      const sent = (outcome.result as { sent?: string[] } | undefined)?.sent ?? [];
      check(
        outcome.kind === 'result' && [...sent].sort().join(',') === 'sec-email,sec-slack,siem',
        `the report event answered ${outcome.kind} ${JSON.stringify(outcome.result ?? outcome)}`,
      );
      for (const [channel, count] of before)
        check(deliveriesTo(channel) === count + 1, `${channel} got ${deliveriesTo(channel) - count} report(s), not 1`);
      // Its reads (GuardDuty, the state table, queue depths) are allowed by the function's role too.
      for (const c of proxy.calls) {
        const verdict = evaluate(policies as never, { action: c.action, resource: c.resource, region: c.region });
        check(
          verdict.allowedBy !== undefined,
          `IAM: the report called ${c.action} on ${c.resource}, which the role does not allow`,
        );
      }
      report.notes.push(`weekly report: schedule ${schedule.ScheduleExpression} → ${sent.join(', ')}`);
    }

    await container.stop();
    if (captureUrl) await sqs.send(new DeleteQueueCommand({ QueueUrl: captureUrl }));

    // -- the Slack interaction endpoint (issue 18) --------------------------------------------------------
    if (setup.interaction) {
      t = performance.now();
      await checkInteractionEndpoint({
        app: setup.interaction,
        aws,
        outputs,
        notifier: fn,
        secrets: setup.secrets,
        recorder,
        slackWebApi: setup.slackWebApi!,
        webApiLog,
        routes,
        shared,
        dir,
        fail,
        check,
        note: (n) => report.notes.push(n),
        stops,
      });
      report.timings.interaction = secondsSince(t);
    }

    // -- destroy ---------------------------------------------------------------------------------------
    t = performance.now();
    await tf(['destroy', '-auto-approve', '-input=false'], 15 * 60_000);
    report.timings.destroy = secondsSince(t);
    const left = added(baseline, await inventory(aws, sqs, sns));
    const allowedAfterDestroy = new Set(['secrets scheduled for deletion', 'kms keys pending deletion']);
    for (const [kind, names] of Object.entries(left)) {
      if (allowedAfterDestroy.has(kind)) report.notes.push(`after destroy, as on AWS: ${kind}: ${names.join(', ')}`);
      else fail(`after destroy moto still holds ${kind}: ${names.join(', ')}`);
    }
    for (const s of setup.secrets)
      check(!engineOutput.includes(s), `a channel credential appears in ${engine}'s output (${s.slice(0, 6)}…)`);
  } catch (error) {
    fail(`aborted: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch {
        /* best effort */
      }
    }
    report.timings.total = secondsSince(started);
    say(
      `${report.failures.length === 0 ? 'PASSED' : `FAILED (${report.failures.length})`} in ${report.timings.total} s — logs: ${dir}`,
    );
  }
  return report;
}

async function main(): Promise<number> {
  installSignalHandlers();
  // The AWS SDK warns once that its 2027 releases will need Node 22; not this run's concern.
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'NodeVersionSupportWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
  });
  const { values } = parseArgs({
    options: {
      engines: { type: 'string', default: process.env.E2E_ENGINES ?? 'terraform,tofu' },
      examples: { type: 'string', default: process.env.E2E_EXAMPLES ?? 'multi-channel,slack-minimal' },
      jobs: { type: 'string', default: process.env.E2E_JOBS ?? '4' },
      keep: { type: 'boolean', default: process.env.E2E_KEEP === '1' },
    },
  });
  const engines = values.engines!.split(/[\s,]+/).filter(Boolean) as Engine[];
  const examples = values.examples!.split(/[\s,]+/).filter(Boolean);
  for (const e of engines) if (e !== 'terraform' && e !== 'tofu') throw new Error(`unknown engine ${e}`);
  for (const x of examples)
    if (!SCENARIOS[x] || !existsSync(join(ROOT, 'examples', x))) throw new Error(`no scenario for example ${x}`);
  const jobs = Math.max(1, Number(values.jobs) || 1);

  const tmp = mkdtempSync(join(process.env.E2E_TMPDIR ?? tmpdir(), 'gdn-e2e-'));
  const removeTmp = onCleanup(() => {
    if (!values.keep) rmSync(tmp, { recursive: true, force: true });
  });
  const zipBytes = readFileSync(ZIP);
  const zipSha = await codeSha256(ZIP);
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { lambdaZipSha256: string };
  if (manifest.lambdaZipSha256 !== zipSha)
    throw new Error(
      `handler/dist/manifest.json says lambdaZipSha256 ${manifest.lambdaZipSha256}, the zip is ${zipSha}: run make bundle`,
    );
  const hosts = [
    'hooks.slack.com',
    SLACK_WEB_API_HOST,
    'prod-42.westeurope.logic.azure.com',
    'chat.googleapis.com',
    'events.pagerduty.com',
    'siem.example.com',
    'email-smtp.us-east-1.amazonaws.com',
  ];
  const certs = makeCerts(join(tmp, 'certs'), hosts);
  const cliConfig = process.env.E2E_CLI_CONFIG || writeCliConfig(join(tmp, 'cli'));
  const shared: Shared = {
    tmp,
    certs,
    zipBytes,
    zipSha,
    cliConfig,
    engines: Object.fromEntries(
      engines.map((e) => {
        const bin = engineBin(e);
        return [e, { bin, version: engineVersion(bin) }];
      }),
    ) as Shared['engines'],
  };
  process.stdout.write(
    `e2e: ${engines.map((e) => `${e} ${shared.engines[e].version}`).join(', ')}; examples ${examples.join(', ')}; ${jobs} at a time; bundle ${zipSha}\n`,
  );

  const queue = engines.flatMap((engine) => examples.map((example) => ({ engine, example })));
  const reports: Report[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift())
        reports.push(await runOne(next.engine, next.example, shared));
    }),
  );
  const wall = secondsSince(started);
  if ((await codeSha256(ZIP)) !== zipSha) {
    reports[0]?.failures.push(
      'handler/dist/lambda.zip changed while the run was in progress: results are not about one bundle',
    );
  }

  process.stdout.write(
    '\ne2e timings (s): engine/example: init, apply, plan, findings flow, interaction endpoint, destroy, total\n',
  );
  for (const r of reports.sort((a, b) => `${a.engine}${a.example}`.localeCompare(`${b.engine}${b.example}`))) {
    const tm = r.timings;
    process.stdout.write(
      `  ${r.engine}/${r.example}: ${tm.init ?? '-'}, ${tm.apply ?? '-'}, ${tm.plan ?? '-'}, ${tm.flow ?? '-'}, ${tm.interaction ?? '-'}, ${tm.destroy ?? '-'}, ${tm.total ?? '-'}\n`,
    );
    for (const n of r.notes) process.stdout.write(`    note: ${n}\n`);
    for (const f of r.failures) process.stdout.write(`    FAIL: ${f.split('\n').join('\n          ')}\n`);
  }
  process.stdout.write(`e2e wall time: ${wall} s (${jobs} at a time)\n`);
  for (const engine of engines) {
    const mine = reports.filter((r) => r.engine === engine);
    const sum = (k: keyof Report['counts']) => mine.reduce((n, r) => n + r.counts[k], 0);
    const ok = mine.every((r) => r.failures.length === 0);
    process.stdout.write(
      `e2e ${engine} ${shared.engines[engine].version}: ${ok ? 'PASS' : 'FAIL'} — examples ${mine.map((r) => r.example).join('+')}: events put ${sum('put')} (${sum('matching')} matching the rules) + ${sum('direct')} straight to the queue, deliveries ${sum('deliveries')} of ${sum('expected')} expected, duplicates ${sum('duplicates')}, unexpected ${sum('unexpected')}, lost ${sum('lost')}, dead-lettered ${sum('dlq')} of ${sum('poison')} poison\n`,
    );
  }
  await removeTmp();
  if (values.keep) process.stdout.write(`e2e: kept ${tmp}\n`);
  return reports.every((r) => r.failures.length === 0) ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(interrupted ? 130 : code);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`e2e: ${error instanceof Error ? error.message : String(error)}\n`);
    await cleanupAll();
    process.exit(interrupted ? 130 : 1);
  });
