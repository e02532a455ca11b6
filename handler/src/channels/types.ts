import type { NormalisedFinding } from '../finding/model.js';
import type { ChannelOf, ChannelType } from '../config/schema.js';
import type { Digest } from '../route/digest.js';
import type { DeliveryError } from '../deliver/errors.js';
import type { HttpDeps, HttpPolicy } from '../deliver/http.js';

/**
 * What a channel adapter may use to send: the HTTP policy from config, an
 * injectable HTTP transport/sleep, and lazily created AWS/SMTP clients (loaded on first
 * use so configs without them pay nothing at cold start).
 */
export interface SendContext {
  http: HttpPolicy;
  httpDeps: HttpDeps;
  /** Publishes to SNS; region taken from the topic ARN. Resolves to the message id. */
  snsPublish: (input: SnsMessage & { topicArn: string }) => Promise<string>;
  /**
   * Publishes up to 10 messages (at most 256 KB together) in one call; resolves
   * to one outcome per message, in order: its message id or why SNS refused it.
   * Rejects when the call failed as a whole (nothing was published).
   */
  snsPublishBatch: (input: { topicArn: string; messages: SnsMessage[] }) => Promise<Array<string | DeliveryError>>;
  /** Sends one email through the channel's SMTP settings. Resolves to the message id. */
  sendMail: (smtp: ChannelOf<'email'>['smtp'], mail: OutgoingMail) => Promise<string>;
}

/** One SNS message: String attributes only. */
export interface SnsMessage {
  subject: string;
  message: string;
  attributes: Record<string, string>;
  /** FIFO topics only: messages with one group id are delivered in order. */
  messageGroupId?: string;
  /** FIFO topics only: SNS drops a message whose id it has seen in the last 5 minutes. */
  deduplicationId?: string;
}

export interface OutgoingMail {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
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
}

/**
 * One notification channel: pure renderers (finding or digest in, payload out)
 * and a sender that performs the I/O. Adding a channel = one file exporting one
 * of these, plus its schema entry in `config/schema.ts`.
 */
export interface ChannelAdapter<T extends ChannelType, Payload> {
  type: T;
  /** Renders one finding within the channel's limits. Never throws on missing optional data. */
  render(finding: NormalisedFinding, channel: ChannelOf<T>): Payload;
  /** Renders a digest of many findings within the channel's limits. */
  renderDigest(digest: Digest, channel: ChannelOf<T>): Payload;
  /** Delivers a rendered payload; throws DeliveryError on failure. */
  send(payload: Payload, channel: ChannelOf<T>, context: SendContext): Promise<SendResult>;
  /**
   * Optional, for services with a batch API: delivers up to {@link SEND_BATCH_MAX}
   * single-finding payloads in as few calls as the service allows. Resolves with
   * one outcome per payload, in order (a result, or the DeliveryError for that
   * payload); rejects with a DeliveryError when nothing was delivered. Digests
   * always go through `send`.
   */
  sendBatch?(
    payloads: Payload[],
    channel: ChannelOf<T>,
    context: SendContext,
  ): Promise<Array<SendResult | DeliveryError>>;
}
