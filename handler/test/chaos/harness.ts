import { randomBytes } from 'node:crypto';
import { KIND_READERS } from '../../src/signals/kinds.js';
import { pollOnce, queueDepth, type Mapping } from '../../../harness/eventSourceMapping.mjs';
import { gunzipSync } from 'node:zlib';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  processBatch,
  requeueDelaySeconds,
  type BatchSummary,
  type ProcessorDeps,
  type SqsRecordLike,
} from '../../src/batch/process.js';
import { parseRecord } from '../../src/batch/envelope.js';
import { CHANNEL_REGISTRY, CHANNEL_TYPES } from '../../src/channels/registry.js';
import { parseConfig } from '../../src/config/parse.js';
import type { ChannelType, Config } from '../../src/config/schema.js';
import { readSecretString } from '../../src/config/secretsManager.js';
import { createConfigSource } from '../../src/config/source.js';
import { defaultHttpDeps } from '../../src/deliver/http.js';
import { createPacer } from '../../src/deliver/pacer.js';
import { sendMail } from '../../src/deliver/smtp.js';
import { snsPublish, snsPublishBatch } from '../../src/deliver/sns.js';
import { createSqsQueueWriter } from '../../src/deliver/sqs.js';
import { createAccountNamer, type AccountNamer } from '../../src/enrich/accounts.js';
import { describeAccountName } from '../../src/enrich/organizations.js';
import { viewsOf } from '../../src/signals/view.js';
import { createLogger } from '../../src/observe/logger.js';
import { createMetrics } from '../../src/observe/metrics.js';
import { createSeverityMemory } from '../../src/route/history.js';
import { rawFixture } from '../helpers/fixtures.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { startAwsFront, type AwsFront } from './awsFront.js';
import {
  ok,
  startHttpDestination,
  startSmtpDestination,
  type Answer,
  type Attempt,
  type Destination,
  type MailAnswer,
} from './destinations.js';
import { recordTally, type TallyRow } from '../../../scripts/chaos/tally.js';

/*
 * The fault suite's world: one moto server (SQS, SNS, Secrets Manager,
 * Organizations), switchable fronts for the services the handler reads through
 * its own SDK clients, and scenarios that run `processBatch` with real
 * dependencies over a real queue until it is drained, then account for every
 * (finding, channel) pair.
 */

/** The queue limits the Terraform module creates (aws provider 5.x default `max_message_size`). */
export const QUEUE_MAX_MESSAGE_BYTES = 262_144;
/**
 * SQS redrive for records the function hands back whole. The module's default
 * `dlq_max_receive_count` is 10; 3 keeps the suite fast and changes no outcome
 * (no scenario hands a record back more than twice before it should succeed).
 */
export const MAX_RECEIVE_COUNT = 3;
/** In-process HTTP policy for every scenario: short, so faults resolve in seconds. */
export const DELIVERY = { timeoutMs: 400, attempts: 2, maxRetryAfterSeconds: 1 };
/** Re-queues before a pair is dead-lettered (the deployed default is 5). */
export const MAX_REQUEUES = 3;

export { CHANNEL_TYPES };
export type ChannelKind = ChannelType;

export interface World {
  moto: Moto;
  sqs: SQSClient;
  /** Admin clients talking to moto directly (test setup, never through the fronts). */
  secrets: SecretsManagerClient;
  sns: SNSClient;
  fronts: { secretsManager: AwsFront; organizations: AwsFront; sns: AwsFront };
  file: string;
  counter: number;
}

const savedEnv = { ...process.env };

/** Starts moto and the fronts, and points the handler's SDK clients at them. */
export async function startWorld(file: string): Promise<World> {
  const moto = await startMoto();
  const fronts = {
    secretsManager: await startAwsFront({
      target: moto.endpoint,
      protocol: 'json',
      throttleCode: 'ThrottlingException',
    }),
    organizations: await startAwsFront({
      target: moto.endpoint,
      protocol: 'json',
      throttleCode: 'TooManyRequestsException',
    }),
    sns: await startAwsFront({ target: moto.endpoint, protocol: 'query', throttleCode: 'Throttling' }),
  };
  Object.assign(process.env, moto.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: fronts.secretsManager.url,
    AWS_ENDPOINT_URL_ORGANIZATIONS: fronts.organizations.url,
    AWS_ENDPOINT_URL_SNS: fronts.sns.url,
  });
  const admin = { endpoint: moto.endpoint, region: 'us-east-1' };
  return {
    moto,
    sqs: new SQSClient(admin),
    secrets: new SecretsManagerClient(admin),
    sns: new SNSClient(admin),
    fronts,
    file,
    counter: 0,
  };
}

export async function stopWorld(world: World | undefined): Promise<void> {
  process.env = { ...savedEnv };
  if (!world) return;
  await Promise.all(Object.values(world.fronts).map((f) => f.close()));
  await world.moto.stop();
}

// --- Inputs ------------------------------------------------------------------

/** Fixtures that are new findings (not updates, not archived): routing sends them to every channel. */
export const NEW_FINDING_FIXTURES = [
  'ec2-ssh-bruteforce',
  'ec2-port-probe',
  'ec2-dns-bitcoin',
  'ec2-c2-network',
  'iam-api-tor',
  'iam-exfiltration-credentials',
  'root-credential-usage',
  's3-public-access',
  's3-exfiltration',
  's3-malware-object',
  'eks-anonymous-access',
  'eks-runtime-reverse-shell',
  'ecs-runtime-crypto',
  'container-runtime',
  'rds-brute-force',
  'lambda-network',
  'ebs-malware',
  'attack-sequence',
  'sample-finding',
  'govcloud-instance',
  'china-instance',
  'minimal',
] as const;

export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** A fixture event with a fresh finding id (and ARN), so every scenario's findings are its own. */
export function freshEvent(name: string, id = newId()): Record<string, unknown> {
  const raw = rawFixture(name);
  const oldId = (raw.detail as { id: string }).id;
  return JSON.parse(JSON.stringify(raw).split(oldId).join(id)) as Record<string, unknown>;
}

/** `count` fresh events cycling through the new-finding fixtures. */
export function freshEvents(count: number, offset = 0): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) =>
    freshEvent(NEW_FINDING_FIXTURES[(i + offset) % NEW_FINDING_FIXTURES.length]!),
  );
}

export function idOf(event: Record<string, unknown>): string {
  return (event.detail as { id: string }).id;
}

// --- Channels ----------------------------------------------------------------

export type Policy = (n: number, body: string) => Answer;

export interface ChannelPlan {
  /** HTTP policy per HTTP channel, SMTP policy for email, SNS mode. */
  slack?: Policy;
  teams?: Policy;
  googleChat?: Policy;
  pagerduty?: Policy;
  webhook?: Policy;
  email?: (n: number) => MailAnswer;
  sns?: 'ok' | 'missing-topic';
  /** Extra settings merged into each channel's config (e.g. `minIntervalMs`). */
  extra?: Partial<Record<ChannelKind, Record<string, unknown>>>;
  /** Channels to configure (default: all seven). */
  only?: readonly ChannelKind[];
  /** A channel whose URL points at a closed port instead of a destination. */
  closed?: { kind: 'slack' | 'teams' | 'googleChat' | 'pagerduty' | 'webhook' | 'email'; port: number };
}

export interface Channels {
  config: Array<Record<string, unknown>>;
  destinations: Map<string, Destination>;
  snsQueueUrl: string | null;
  close(): Promise<void>;
}

const ROUTING_KEY = 'CHAOS0ROUTING0KEY000000000000000';

/** Sets up real destinations for the planned channels; channel names equal their types. */
export async function channels(world: World, plan: ChannelPlan = {}): Promise<Channels> {
  const kinds = plan.only ?? CHANNEL_TYPES;
  const destinations = new Map<string, Destination>();
  const config: Array<Record<string, unknown>> = [];
  let snsQueueUrl: string | null = null;
  const n = ++world.counter;
  for (const kind of kinds) {
    const extra = { minIntervalMs: 0, ...plan.extra?.[kind] };
    const closed = plan.closed?.kind === kind ? plan.closed.port : null;
    if (kind === 'email') {
      let port = closed;
      if (port === null) {
        const smtp = await startSmtpDestination(plan.email ?? (() => 'accept'));
        destinations.set(kind, smtp);
        port = smtp.port;
      }
      config.push({
        name: kind,
        type: 'email',
        smtp: { host: '127.0.0.1', port, timeoutMs: 1_500 },
        from: 'GuardDuty <guardduty@example.com>',
        to: ['security@example.com'],
        ...extra,
      });
      continue;
    }
    if (kind === 'sns') {
      let topicArn = `arn:aws:sns:us-east-1:123456789012:chaos-missing-${n}`;
      if (plan.sns !== 'missing-topic') {
        const topic = await world.sns.send(new CreateTopicCommand({ Name: `chaos-${n}` }));
        topicArn = topic.TopicArn!;
        const queue = await world.sqs.send(new CreateQueueCommand({ QueueName: `chaos-sns-${n}` }));
        const arn = await world.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl!, AttributeNames: ['QueueArn'] }),
        );
        await world.sns.send(
          new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn.Attributes!.QueueArn! }),
        );
        snsQueueUrl = queue.QueueUrl!;
      }
      config.push({ name: kind, type: 'sns', topicArn, ...extra });
      continue;
    }
    let url: string;
    if (closed !== null) url = `http://127.0.0.1:${closed}/${kind}`;
    else {
      const destination = await startHttpDestination(kind, plan[kind] ?? ok);
      destinations.set(kind, destination);
      url = destination.url;
    }
    if (kind === 'pagerduty')
      config.push({ name: kind, type: kind, routingKey: ROUTING_KEY, eventsUrl: url, ...extra });
    else if (kind === 'webhook') config.push({ name: kind, type: kind, url, ...extra });
    else config.push({ name: kind, type: kind, webhookUrl: url, ...extra });
  }
  return {
    config,
    destinations,
    snsQueueUrl,
    close: async () => {
      await Promise.all([...destinations.values()].map((d) => d.close()));
    },
  };
}

// --- Scenario ------------------------------------------------------------------

export interface ScenarioOptions {
  name: string;
  /** The outcome this scenario expects, as printed in the tally. */
  expected: string;
  channels: Channels;
  /** Top-level config besides `channels` (delivery, defaults, accountNames, lookupAccountNames). */
  config?: Record<string, unknown>;
  /** The secret's initial text when it should not be the valid config (malformed, schema failure). */
  secret?: string;
  /** Records per invocation (the module's default `event_source_batch_size` is 10). */
  batchSize?: number;
  accounts?: AccountNamer;
  /** Set on scenarios that demonstrate a known bug (tests marked `it.fails`). */
  knownBug?: string;
}

interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

/** Our envelopes carry the original message as text (gzipped when large): expose it, and the event it holds. */
function withOriginal(letter: Record<string, unknown>): DeadLetterBody {
  const text =
    typeof letter.text === 'string'
      ? letter.text
      : typeof letter.gzip === 'string'
        ? gunzipSync(Buffer.from(letter.gzip, 'base64')).toString('utf8')
        : undefined;
  let event: DeadLetterBody['event'];
  try {
    event = text === undefined ? undefined : (JSON.parse(text) as DeadLetterBody['event']);
  } catch {
    event = undefined;
  }
  return { ...letter, event, ...(text === undefined ? {} : { body: text }) } as DeadLetterBody;
}

interface DeadLetterBody {
  guarddutyNotify?: string;
  channel?: string | null;
  reason?: string;
  attempts?: number;
  event?: { detail?: { id?: string } };
  body?: string;
}

export interface ScenarioResult {
  row: TallyRow;
  /** Dead-letter records with the reason (`guarddutyNotify: "dead-letter"`). */
  deadLetters: DeadLetterBody[];
  /** Messages SQS moved to the DLQ by its redrive policy (no reason attached). */
  redriven: unknown[];
  delivered: Map<string, number>;
  duplicates: string[];
  lost: string[];
  summaries: BatchSummary[];
  logs: LogLine[];
  /** Delays the real re-queue policy chose (the suite re-queues with 0 s instead). */
  requeueDelays: number[];
  /** Errors `processBatch` threw (the Lambda entry then keeps the whole batch). */
  thrown: unknown[];
  accepted: Map<string, Attempt[]>;
  /** Every attempt per channel, refused ones included. */
  attempts: Map<string, Attempt[]>;
}

export interface Scenario {
  queues: { main: string; dlq: string };
  deps: ProcessorDeps;
  /** The valid config's JSON text (what `setSecret` restores after a broken one). */
  validConfig: string;
  put(bodies: Array<string | Record<string, unknown>>): Promise<void>;
  setSecret(text: string): Promise<void>;
  /** Plays the event source mapping: until the queue is drained, or `rounds` invocations. */
  play(options?: { rounds?: number; deadlineMs?: number }): Promise<number>;
  finish(): Promise<ScenarioResult>;
}

const pair = (id: string, channel: string) => `${id} → ${channel}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function receiveAll(sqs: SQSClient, url: string): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < 100; i++) {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    if (!r.Messages?.length) return out;
    out.push(...r.Messages);
  }
  return out;
}

/** What one delivered payload carries: a single finding (ids found in it) or a digest of `total`. */
function classify(
  kind: string,
  body: string,
  known: readonly string[],
): { digest: boolean; total: number; ids: string[] } {
  const ids = known.filter((id) => body.includes(id));
  if (kind === 'webhook') {
    const parsed = JSON.parse(body) as { kind: string; digest?: { total: number; findingIds?: string[] } };
    if (parsed.kind === 'digest')
      return { digest: true, total: parsed.digest!.total, ids: parsed.digest!.findingIds ?? ids };
    return { digest: false, total: 1, ids };
  }
  if (kind === 'email') {
    const count = /^X-GuardDuty-Finding-Count: (\d+)/im.exec(body);
    if (count) return { digest: true, total: Number(count[1]), ids };
    const id = /^X-GuardDuty-Finding-Id: (\S+)/im.exec(body);
    return { digest: false, total: 1, ids: id ? [id[1]!] : ids };
  }
  if (kind === 'sns') {
    const parsed = JSON.parse(body) as { MessageAttributes?: Record<string, { Value: string }> };
    const count = parsed.MessageAttributes?.findingCount?.Value;
    if (count) return { digest: true, total: Number(count), ids };
    return { digest: false, total: 1, ids };
  }
  const digest = /GuardDuty digest:\**\s*(\d+) findings?/.exec(body);
  if (digest) return { digest: true, total: Number(digest[1]), ids };
  return { digest: false, total: 1, ids };
}

/** A DLQ message SQS moved there whole that still holds a finding (a retry envelope or an event). */
function isFindingMessage(message: unknown, raw: string): boolean {
  if ((message as { guarddutyNotify?: string }).guarddutyNotify === 'retry') return true;
  return parseRecord('x', raw, { readers: KIND_READERS }).ok;
}

/** Creates queues (with the module's redrive and size limits), the config secret and the processor's dependencies. */
export async function scenario(world: World, options: ScenarioOptions): Promise<Scenario> {
  const n = ++world.counter;
  const started = Date.now();
  const dlq = await world.sqs.send(
    new CreateQueueCommand({
      QueueName: `chaos-dlq-${n}`,
      Attributes: { MaximumMessageSize: String(QUEUE_MAX_MESSAGE_BYTES) },
    }),
  );
  const dlqArn = await world.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ['QueueArn'] }),
  );
  const main = await world.sqs.send(
    new CreateQueueCommand({
      QueueName: `chaos-main-${n}`,
      Attributes: {
        MaximumMessageSize: String(QUEUE_MAX_MESSAGE_BYTES),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn.Attributes!.QueueArn,
          maxReceiveCount: MAX_RECEIVE_COUNT,
        }),
      },
    }),
  );
  const queues = { main: main.QueueUrl!, dlq: dlq.QueueUrl! };
  const mainArn = await world.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queues.main, AttributeNames: ['QueueArn'] }),
  );
  // The event source mapping (harness/eventSourceMapping.mjs); records handed back return after 1 s.
  const mapping: Mapping = {
    queueUrl: queues.main,
    queueArn: mainArn.Attributes!.QueueArn!,
    region: 'us-east-1',
    batchSize: options.batchSize ?? 10,
    returnAfterSeconds: 1,
  };
  const configJson = { delivery: DELIVERY, ...options.config, channels: options.channels.config };
  const validConfig = JSON.stringify(configJson);
  const secret = await world.secrets.send(
    new CreateSecretCommand({ Name: `chaos-config-${n}`, SecretString: options.secret ?? validConfig }),
  );

  const logs: LogLine[] = [];
  const summaries: BatchSummary[] = [];
  const requeueDelays: number[] = [];
  const thrown: unknown[] = [];
  const inputs: string[] = [];
  /** Finding ids whose records were handed back to SQS whole (retried by SQS itself). */
  const returnedIds = new Set<string>();
  let rounds = 0;

  const deps: ProcessorDeps = {
    config: createConfigSource({ read: () => readSecretString(secret.ARN!), refreshMs: 0 }),
    accounts: options.accounts ?? createAccountNamer({ describeAccount: describeAccountName }),
    history: createSeverityMemory(),
    channels: CHANNEL_REGISTRY,
    send: { httpDeps: defaultHttpDeps, snsPublish, snsPublishBatch, sendMail },
    queue: createSqsQueueWriter(queues.main, queues.dlq),
    pacer: createPacer(),
    logger: createLogger('DEBUG', (line) => logs.push(JSON.parse(line) as LogLine)),
    metrics: createMetrics('Chaos', () => {}),
    maxRequeues: MAX_REQUEUES,
    requeueDelay: (attempt, retryAfter) => {
      requeueDelays.push(requeueDelaySeconds(attempt, retryAfter));
      return 0;
    },
  };

  /** The Lambda entry's contract: an unexpected throw keeps every record. */
  const invoke = async (records: SqsRecordLike[]) => {
    try {
      const result = await processBatch(records, deps);
      summaries.push(result.summary);
      return result.batchItemFailures;
    } catch (error) {
      thrown.push(error);
      return records.map((r) => ({ itemIdentifier: r.messageId }));
    }
  };

  return {
    queues,
    deps,
    validConfig,
    async put(bodies) {
      for (const b of bodies) {
        const body = typeof b === 'string' ? b : JSON.stringify(b);
        inputs.push(body);
        await world.sqs.send(new SendMessageCommand({ QueueUrl: queues.main, MessageBody: body }));
      }
    },
    async setSecret(text) {
      await world.secrets.send(new PutSecretValueCommand({ SecretId: secret.ARN!, SecretString: text }));
    },
    async play({ rounds: maxRounds = 40, deadlineMs = 25_000 } = {}) {
      const deadline = Date.now() + deadlineMs;
      let played = 0;
      // Records handed back are invisible for returnAfterSeconds; SQS's message counts are approximate
      // (a play once stopped with three such records still queued, under load), so the queue is not called
      // drained before they are due back.
      let handedBackUntil = 0;
      while (played < maxRounds && Date.now() < deadline) {
        const received = await pollOnce(world.sqs, mapping, async ({ Records }) => {
          const failures = await invoke(Records);
          if (failures.length > 0) handedBackUntil = Date.now() + (mapping.returnAfterSeconds ?? 0) * 1000 + 500;
          for (const { itemIdentifier } of failures) {
            const record = Records.find((r) => r.messageId === itemIdentifier);
            const parsed = record && parseRecord(record.messageId, record.body, { readers: KIND_READERS });
            if (parsed?.ok) returnedIds.add(parsed.item.signal.id);
          }
          return { kind: 'result', result: { batchItemFailures: failures } };
        });
        if (received === 0) {
          if ((await queueDepth(world.sqs, queues.main)).total === 0 && Date.now() > handedBackUntil) break;
          await sleep(100);
          continue;
        }
        played += 1;
        rounds += 1;
      }
      return played;
    },
    async finish() {
      const stuck = (await queueDepth(world.sqs, queues.main)).total;
      const known = new Set<string>();
      const expected = new Set<string>();
      const config: Config = parseConfig(validConfig);
      // Which pairs routing holds back is the processor's own recorded decision, observed here and
      // never recomputed: every other (finding, enabled channel) pair must be delivered or dead-lettered.
      const suppressed = new Set(
        logs
          .filter((l) => l.message === 'suppressed by routing')
          .map((l) => pair(String(l.findingId), String(l.channel))),
      );
      for (const body of inputs) {
        const parsed = parseRecord('x', body, { readers: KIND_READERS });
        if (!parsed.ok) continue;
        // The id as the processor names it (cleaned for logs and payloads).
        const id = viewsOf(parsed.item.signal)[0]?.id;
        if (!id) continue;
        known.add(id);
        for (const channel of config.channels)
          if (channel.enabled && !suppressed.has(pair(id, channel.name))) expected.add(pair(id, channel.name));
      }
      const knownIds = [...known];

      // Delivered: what each destination accepted; a digest's members come from the
      // processor's own "delivered" log, checked against the totals the destination saw.
      const delivered = new Map<string, number>();
      const accepted = new Map<string, Attempt[]>();
      const add = (id: string, channel: string) =>
        delivered.set(pair(id, channel), (delivered.get(pair(id, channel)) ?? 0) + 1);
      const mismatches: string[] = [];
      const late = [...options.channels.destinations.values()].reduce(
        (sum, d) => sum + d.attempts.filter((a) => a.late).length,
        0,
      );
      const destinations = new Map<string, Attempt[]>(
        [...options.channels.destinations].map(([name, d]) => [name, d.attempts]),
      );
      if (options.channels.snsQueueUrl) {
        const messages = await receiveAll(world.sqs, options.channels.snsQueueUrl);
        destinations.set(
          'sns',
          messages.map((m) => ({ at: 0, body: m.Body!, answer: 'published', accepted: true, late: false })),
        );
      }
      for (const [channel, attempts] of destinations) {
        const kind = options.channels.config.find((c) => c.name === channel)?.type as string;
        const ok = attempts.filter((a) => a.accepted);
        accepted.set(channel, ok);
        let digestTotal = 0;
        for (const attempt of ok) {
          const c = classify(kind, attempt.body, knownIds);
          if (c.digest) digestTotal += c.total;
          else for (const id of c.ids) add(id, channel);
        }
        const loggedDigestIds = logs
          .filter(
            (l) =>
              l.message === 'delivered' &&
              l.channel === channel &&
              Array.isArray(l.findings) &&
              (l.findings as string[]).length > 1,
          )
          .flatMap((l) => l.findings as string[]);
        if (loggedDigestIds.length !== digestTotal)
          mismatches.push(
            `${channel}: destination accepted digests of ${digestTotal}, processor logged ${loggedDigestIds.length}`,
          );
        for (const id of loggedDigestIds) add(id, channel);
      }

      const dead = (await receiveAll(world.sqs, queues.dlq)).map((m) => {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(m.Body!) as Record<string, unknown>;
        } catch {
          parsed = { raw: m.Body };
        }
        return { parsed, raw: m.Body! };
      });
      const deadLetters = dead
        .filter((d) => d.parsed.guarddutyNotify === 'dead-letter')
        .map((d) => withOriginal(d.parsed as Record<string, unknown>));
      const redrivenRaw = dead.filter((d) => d.parsed.guarddutyNotify !== 'dead-letter');
      const redriven = redrivenRaw.map((d) => d.parsed);
      const inDlq = new Set<string>();
      for (const d of deadLetters) {
        const id = d.event?.detail?.id;
        if (id && d.channel) inDlq.add(pair(id, d.channel));
        if (id && d.channel === null) for (const c of config.channels) inDlq.add(pair(id, c.name));
      }
      for (const r of redriven) {
        const envelope = r as { guarddutyNotify?: string; channels?: string[]; detail?: { id?: string } };
        const id =
          envelope.guarddutyNotify === 'retry'
            ? withOriginal(r as Record<string, unknown>).event?.detail?.id
            : envelope.detail?.id;
        const names =
          envelope.guarddutyNotify === 'retry' ? (envelope.channels ?? []) : config.channels.map((c) => c.name);
        if (id) for (const c of names) inDlq.add(pair(id, c));
      }

      const duplicates = [...delivered].filter(([, count]) => count > 1).map(([p, count]) => `${p} ×${count}`);
      const lost = [...expected].filter((p) => !delivered.has(p) && !inDlq.has(p));
      const retried = new Set<string>([...expected].filter((p) => returnedIds.has(p.split(' → ')[0]!)));
      for (const l of logs) {
        if (l.message === 'delivered' && Number(l.attempts) > 1)
          for (const id of l.findings as string[]) retried.add(pair(id, String(l.channel)));
        if (l.message === 're-queued failed channels')
          for (const c of l.channels as string[]) retried.add(pair(String(l.findingId), c));
      }
      const notes = [
        ...(stuck > 0 ? [`${stuck} still queued`] : []),
        ...mismatches,
        ...(redriven.length > 0
          ? [`${redriven.length} message(s) moved to the DLQ by SQS redrive, without a reason`]
          : []),
        ...(thrown.length > 0 ? [`processBatch threw ${thrown.length}× (${String(thrown[0]).slice(0, 80)})`] : []),
      ];
      const row: TallyRow = {
        file: world.file,
        scenario: options.name,
        expected: options.expected,
        inputs: inputs.length,
        pairs: expected.size,
        delivered: [...expected].filter((p) => delivered.has(p)).length,
        retried: retried.size,
        deadLettered: [...expected].filter((p) => !delivered.has(p) && inDlq.has(p)).length,
        rejected:
          deadLetters.filter((d) => d.channel === null).length +
          redrivenRaw.filter((r) => !isFindingMessage(r.parsed, r.raw)).length,
        duplicated: duplicates.length,
        lost: lost.length,
        late,
        invocations: rounds,
        ms: Date.now() - started,
        ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
        ...(options.knownBug ? { knownBug: options.knownBug } : {}),
      };
      if (stuck > 0) row.lost += stuck;
      recordTally(row);
      await options.channels.close();
      return {
        row,
        deadLetters,
        redriven,
        delivered,
        duplicates,
        lost,
        summaries,
        logs,
        requeueDelays,
        thrown,
        accepted,
        attempts: destinations,
      };
    },
  };
}

/** The invariants every scenario keeps: nothing lost, nothing duplicated, the queue drained, the accounting consistent. */
export function expectClean(result: ScenarioResult): void {
  const problems = [
    ...result.lost.map((p) => `lost: ${p}`),
    ...result.duplicates.map((p) => `duplicated: ${p}`),
    ...(result.row.note ? [result.row.note] : []),
  ];
  if (problems.length > 0) throw new Error(`scenario "${result.row.scenario}":\n  ${problems.join('\n  ')}`);
}
