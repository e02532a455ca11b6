import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTable, scanFlat, seedFindings } from '../../../harness/awsState.mjs';
import { CreateDetectorCommand, GetFindingsCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slackSignature } from '../../src/interact/signature.js';
import { ACTION_IDS, type ButtonName, buttonValue } from '../../src/interact/buttons.js';
import { handleInteraction, type EndpointResult } from '../../src/interact/endpoint.js';
import { createInteractionRuntime } from '../../src/interact/runtime.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { slackWebApi, type SlackWebApi } from '../../../harness/slackWebApi.mjs';

/*
 * A small world for the interaction endpoint: moto (with GuardDuty's findings
 * APIs added at the launcher), a state table, the config secret, and a Slack
 * stand-in that receives response_url replies and answers usergroups.users.list.
 */

const _root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const TEAM = 'T0TEAM01';
export const ALICE = 'U0ALICE01'; // may do everything
export const BOB = 'U0BOB0001'; // member of the responders group: may archive
export const MALLORY = 'U0MALLORY'; // on no list
export const RESPONDERS = 'S0RESPOND';
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const TABLE = 'gdn-state-test';
export const BOT_TOKEN = 'xoxb-test-0123456789';
/** The Slack app channel of the config: where the notifier posted the parents the endpoint edits. */
export const APP_CHANNEL = { name: 'sec-app', id: 'C0SECURITY' };

export interface World {
  moto: Moto;
  slack: Receiver;
  /** The Slack Web API stand-in the app channel posts to (chat.postMessage, chat.update). */
  slackApi: SlackWebApi;
  slackApiUrl: string;
  detectorId: string;
  guardduty: GuardDutyClient;
  dynamo: DynamoDBClient;
  seed(findings: Array<{ id: string; type?: string; severity?: number; resource?: unknown }>): Promise<void>;
  finding(id: string): Promise<{ archived: boolean; feedback: string | undefined } | null>;
  claims(): Promise<Array<Record<string, string>>>;
  /** Sends one request to the endpoint, runs its follow-up, and returns the response. */
  send(event: unknown): Promise<EndpointResult>;
  /** The function URL event Slack would send for a click, signed unless told otherwise. */
  click(user: string, button: ButtonName, findingId: string, options?: ClickOptions): Record<string, unknown>;
  replies(): string[];
  stop(): Promise<void>;
}

export interface ClickOptions {
  team?: string;
  region?: string;
  timestamp?: number;
  /** Change the body after signing. */
  tamper?: (body: string) => string;
  secret?: string;
  responseUrl?: string;
}

export function slackEvent(rawBody: string, headers: Record<string, string>, base64 = false): Record<string, unknown> {
  return {
    version: '2.0',
    rawPath: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: base64 ? Buffer.from(rawBody).toString('base64') : rawBody,
    isBase64Encoded: base64,
    requestContext: { http: { method: 'POST', sourceIp: '127.0.0.1' } },
  };
}

export function signedEvent(rawBody: string, timestamp: number, secret = SIGNING_SECRET): Record<string, unknown> {
  const ts = String(timestamp);
  return slackEvent(rawBody, {
    'x-slack-request-timestamp': ts,
    'x-slack-signature': slackSignature(secret, ts, rawBody),
  });
}

export async function startWorld(extra: Record<string, unknown> = {}): Promise<World> {
  const moto = await startMoto({ attempts: 2 });
  Object.assign(process.env, moto.env);
  const slack = await startReceiver((request) => {
    if (request.path.startsWith('/api/usergroups.users.list')) {
      const group = new URLSearchParams(request.body).get('usergroup');
      if (request.headers.authorization !== 'Bearer xoxb-test-0123456789')
        return { status: 200, body: JSON.stringify({ ok: false, error: 'invalid_auth' }) };
      return {
        status: 200,
        body: JSON.stringify(
          group === RESPONDERS ? { ok: true, users: [BOB] } : { ok: false, error: 'no_such_subteam' },
        ),
      };
    }
    return { status: 200, body: 'ok' };
  });
  const slackApi = slackWebApi({ tokens: [BOT_TOKEN] });
  const slackApiServer = await startReceiver(slackApi.reply);
  const guardduty = new GuardDutyClient({});
  const dynamo = new DynamoDBClient({});
  const { DetectorId } = await guardduty.send(new CreateDetectorCommand({ Enable: true }));
  const detectorId = DetectorId as string;
  await createStateTable(TABLE);
  const config = {
    channels: [
      { name: 'sec', type: 'webhook', url: slack.url('/unused') },
      {
        name: APP_CHANNEL.name,
        type: 'slack',
        botToken: BOT_TOKEN,
        channelId: APP_CHANNEL.id,
        apiBaseUrl: slackApiServer.url('/api/'),
      },
    ],
    slackApp: {
      signingSecret: SIGNING_SECRET,
      botToken: 'xoxb-test-0123456789',
      teamId: TEAM,
      responseUrlPrefix: slack.url('/response/'),
      apiBaseUrl: slack.url('/api/'),
      allow: {
        acknowledge: { users: [ALICE], userGroups: [RESPONDERS] },
        archive: { users: [ALICE], userGroups: [RESPONDERS] },
        feedback: { users: [ALICE] },
        suppress: { users: [ALICE] },
      },
      ...extra,
    },
  };
  const secret = await new SecretsManagerClient({}).send(
    new CreateSecretCommand({ Name: `gdn-interact-${Date.now()}`, SecretString: JSON.stringify(config) }),
  );
  const deps = createInteractionRuntime({
    ...moto.env,
    GDN_CONFIG_SECRET_ARN: secret.ARN,
    GDN_STATE_TABLE: TABLE,
    GDN_LOG_LEVEL: 'ERROR',
  });
  const quiet = { ...deps, count: () => undefined };

  return {
    moto,
    slack,
    slackApi,
    slackApiUrl: slackApiServer.url('/api/'),
    detectorId,
    guardduty,
    dynamo,
    async seed(findings) {
      await seedFindings(moto.endpoint, detectorId, { region: REGION, account: ACCOUNT }, findings);
    },
    async finding(id) {
      const result = await guardduty.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: [id] }));
      const f = result.Findings?.[0];
      return f ? { archived: f.Service?.Archived === true, feedback: f.Service?.UserFeedback } : null;
    },
    claims: () => scanFlat(dynamo, TABLE),
    async send(event) {
      const result = await handleInteraction(event, quiet);
      await result.followUp?.();
      return result;
    },
    click(user, button, findingId, options = {}) {
      const payload = {
        type: 'block_actions',
        team: { id: options.team ?? TEAM, domain: 'example' },
        user: { id: user, username: user.toLowerCase(), team_id: options.team ?? TEAM },
        channel: { id: 'C0SECURITY' },
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SECURITY' },
        response_url: options.responseUrl ?? slack.url(`/response/${user}`),
        actions: [
          {
            action_id: ACTION_IDS[button],
            block_id: 'gdn_actions',
            value: buttonValue({ id: findingId, region: options.region ?? REGION, accountId: ACCOUNT }),
            action_ts: '1700000001.000200',
          },
        ],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
      const event = signedEvent(body, ts, options.secret);
      if (options.tamper) (event as { body: string }).body = options.tamper(body);
      return event;
    },
    replies() {
      return slack.requests
        .filter((r) => r.path.startsWith('/response/'))
        .map((r) => (JSON.parse(r.body) as { text: string }).text);
    },
    async stop() {
      await slack.close();
      await slackApiServer.close();
      await moto.stop();
    },
  };
}
