import type { EmailChannel } from './email.js';
import type { SnsPayload } from './sns.js';
import type { NormalisedFinding } from '../finding/model.js';
import type * as z from 'zod/mini';
import type { Digest } from '../route/digest.js';
import type { Report } from '../report/model.js';
import { asDeliveryError, type ChannelRef, type DeliveryError } from '../deliver/errors.js';
import type { HttpDeps, HttpPolicy } from '../deliver/http.js';
import type { SeverityBand } from '../finding/severity.js';
import type { SeverityHistory } from '../route/rules.js';
import type { StateStore } from '../state/store.js';
import type { MessageRef } from '../state/types.js';

/**
 * What a channel adapter may use to send: the HTTP policy from config, an
 * injectable HTTP transport/sleep, and lazily created AWS/SMTP clients (loaded on first
 * use so configs without them pay nothing at cold start).
 */
export interface SendContext {
  http: HttpPolicy;
  httpDeps: HttpDeps;
  /** Publishes to SNS; region taken from the topic ARN. Resolves to the message id. */
  snsPublish: (input: SnsMessage & { TopicArn: string }) => Promise<string>;
  /**
   * Publishes up to 10 messages (at most 256 KB together) in one call; resolves
   * to one outcome per message, in order: its message id or why SNS refused it.
   * Rejects when the call failed as a whole (nothing was published).
   */
  snsPublishBatch: (input: { topicArn: string; messages: SnsMessage[] }) => Promise<Array<string | DeliveryError>>;
  /** Sends one email through the channel's SMTP settings. Resolves to the message id. */
  sendMail: (smtp: EmailChannel['smtp'], mail: OutgoingMail) => Promise<string>;
  /** The state table, where a channel finds the message a finding opened (Slack app threads); absent = stateless. */
  state?: StateStore;
  /** The batch's severity history (what an update escalated), as routing read it. */
  history?: SeverityHistory;
  /** Present when the config has a `slackApp` section (the interaction endpoint exists): buttons from this band up. */
  slackApp?: { buttonsMinSeverity: SeverityBand };
  /** Clock for status lines ("4 min after the alert"); defaults to Date.now. */
  now?: () => number;
}

/** One SNS message as the Publish request carries it (FIFO topics add the group and deduplication ids). */
export type SnsMessage = SnsPayload;

export interface OutgoingMail {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments?: Array<{ filename: string; contentType: string; content: string }>;
}

/** How much detail a renderer shows; renderers step down levels until a payload fits. */
export interface DetailBudget {
  /** Most fields shown per section (resource, action, actor). */
  fields: number;
  /** Longest field value, in characters after escaping. */
  value: number;
  /** Longest description, in characters after escaping. */
  description: number;
}

/** Most payloads handed to one `sendBatch` call. */
export const SEND_BATCH_MAX = 10;

/** Result of one delivery, for metrics and logs. */
export interface SendResult {
  /** HTTP attempts or 1 for SDK/SMTP sends. */
  attempts: number;
  /** Where the service put the message (Slack app: channel + ts), recorded with the receipt for threads and edits. */
  ref?: MessageRef;
}

/** The zod schema of one channel type's config: a strict object whose `type` is a literal. */
export type ChannelConfigSchema = z.ZodMiniObject<
  { type: z.ZodMiniLiteral<string>; name: z.ZodMiniString<string> } & z.core.$ZodLooseShape
>;

/** Delivers up to `batchMax` payloads; one outcome per payload, in order; rejects when nothing was delivered. */
export type SendBatch<Config, Payload> = (
  payloads: Payload[],
  channel: Config,
  context: SendContext,
) => Promise<Array<SendResult | DeliveryError>>;

/**
 * What config parsing and routing need of one channel type: its config schema,
 * which config fields are secrets, its defaults, label and sample. Small (no
 * renderer, no sender), so every type's settings load at cold start; `load`
 * brings in the rest of the channel (its {@link ChannelDescriptor}) when a
 * config uses the type. `channels/settings/index.ts` lists them: the config
 * union, secret redaction, the default tables, the CLI's type list and the
 * gallery order derive from that one list.
 */
export interface ChannelSettings<S extends ChannelConfigSchema = ChannelConfigSchema, Payload = unknown> {
  type: z.infer<S>['type'];
  /** Display name (gallery, previews). */
  label: string;
  /** The channel's config object, validated inside the config secret. */
  schema: S;
  /** Every secret value in one channel's config (URLs, keys, passwords, header values), for log redaction. */
  secrets(channel: z.infer<S>): string[];
  defaults: {
    /** Least time between two messages when the config sets no `minIntervalMs`. */
    minIntervalMs: number;
    /** Digest threshold when neither the channel nor `defaults` set one (null: never). */
    digestThreshold: number | null;
  };
  /** Whether updates of archived findings reach the channel even with `includeArchived` off. */
  receivesArchived(channel: z.infer<S>): boolean;
  /** The type's own fields of a working config with placeholder endpoints (CLI previews, docs, tests). */
  sample: Record<string, unknown>;
  /** The whole channel: its renderers and sender (`channels/<type>.ts`), loaded on first use. */
  load(): Promise<ChannelDescriptor<S, Payload>>;
}

/**
 * Everything about one channel type, in one object: its settings plus pure
 * renderers (finding or digest in, payload out) and the sender that performs
 * the I/O. Adding a channel = its settings (`channels/settings/<type>.ts`,
 * made with {@link defineSettings}, and its entry in that list), its channel
 * file exporting one of these (made with {@link defineChannel}), and its
 * preview in `preview/<type>.ts` (kept apart so previews stay out of the
 * Lambda bundle).
 */
export interface ChannelDescriptor<S extends ChannelConfigSchema = ChannelConfigSchema, Payload = unknown>
  extends ChannelSettings<S, Payload> {
  /**
   * Renders one finding within the channel's limits. Never throws on missing optional data.
   * `eventText` is the event's JSON text as received, for channels that forward it (email attachments).
   */
  render(finding: NormalisedFinding, channel: z.infer<S>, eventText?: string): Payload;
  /** Renders a digest of many findings within the channel's limits; `eventTexts` are their events as received. */
  renderDigest(digest: Digest, channel: z.infer<S>, eventTexts?: readonly string[]): Payload;
  /**
   * Renders the weekly report within the channel's limits; it is sent with
   * `send`. Absent: the channel type gets no report (PagerDuty: see
   * `report/render/pagerduty.ts`).
   */
  loadReportRenderer?(): Promise<(report: Report, channel: z.infer<S>) => Payload>;
  /** Delivers one rendered payload; throws DeliveryError on failure. Digests always go through here. */
  send(payload: Payload, channel: z.infer<S>, context: SendContext): Promise<SendResult>;
  /**
   * Delivers up to {@link ChannelDescriptor.batchMax} single-finding payloads in as
   * few calls as the service allows ({@link sendEachAlone} for services without a
   * batch API).
   */
  sendBatch: SendBatch<z.infer<S>, Payload>;
  /** Payloads per `sendBatch` call: {@link SEND_BATCH_MAX} for services with a batch API, else 1. */
  batchMax: number;
}

/** Channel settings as written in their file: receiving archived findings only if they say so. */
export type SettingsSpec<S extends ChannelConfigSchema, Payload> = Omit<
  ChannelSettings<S, Payload>,
  'receivesArchived'
> &
  Partial<Pick<ChannelSettings<S, Payload>, 'receivesArchived'>>;

/** The rest of a channel as written in its file: without a batch API unless it gives `sendBatch`. */
export type DeliverySpec<S extends ChannelConfigSchema, Payload> = Omit<
  ChannelDescriptor<S, Payload>,
  keyof ChannelSettings | 'sendBatch' | 'batchMax'
> &
  Partial<Pick<ChannelDescriptor<S, Payload>, 'sendBatch'>>;

/**
 * Completes a channel type's settings: archived findings reach it only if it says so.
 *
 * @example export const fooSettings: ChannelSettings<typeof FooChannelSchema, FooPayload> = defineSettings({ label: 'Foo', schema: FooChannelSchema, ..., load: async () => (await import('../foo.js')).fooChannel })
 */
export function defineSettings<S extends ChannelConfigSchema, Payload>(
  spec: SettingsSpec<S, Payload>,
): ChannelSettings<S, Payload> {
  return { receivesArchived: () => false, ...spec };
}

/**
 * A `send`-only channel as a batch sender: each payload is a batch of one, so
 * the delivery loop has one path. A failure becomes that payload's outcome.
 */
export function sendEachAlone<Config, Payload>(
  send: (payload: Payload, channel: Config, context: SendContext) => Promise<SendResult>,
): SendBatch<Config, Payload> {
  return async (payloads, channel, context) => {
    const outcomes: Array<SendResult | DeliveryError> = [];
    for (const payload of payloads) {
      try {
        outcomes.push(await send(payload, channel, context));
      } catch (error) {
        // Every channel config has a name and a type (the schemas' common base).
        outcomes.push(asDeliveryError(error, channel as ChannelRef));
      }
    }
    return outcomes;
  };
}

/**
 * Completes a channel from its settings and its renderers and sender: a
 * channel with a batch API sends ten at a time, any other one payload per call.
 *
 * @example export const slackChannel = defineChannel(slackSettings, { render: ..., renderDigest: ..., send: ... })
 */
export function defineChannel<S extends ChannelConfigSchema, Payload>(
  settings: ChannelSettings<S, Payload>,
  delivery: DeliverySpec<NoInfer<S>, NoInfer<Payload>>,
): ChannelDescriptor<S, Payload> {
  return {
    ...settings,
    ...delivery,
    sendBatch: delivery.sendBatch ?? sendEachAlone(delivery.send),
    batchMax: delivery.sendBatch ? SEND_BATCH_MAX : 1,
  };
}
