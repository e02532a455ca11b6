import type { NormalisedFinding } from '../finding/model.js';
import type { ChannelOf, ChannelType } from '../config/schema.js';
import type { Digest } from '../route/digest.js';
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
  snsPublish: (input: {
    topicArn: string;
    subject: string;
    message: string;
    attributes: Record<string, string>;
    /** FIFO topics only: messages with one group id are delivered in order. */
    messageGroupId?: string;
    /** FIFO topics only: SNS drops a message whose id it has seen in the last 5 minutes. */
    deduplicationId?: string;
  }) => Promise<string>;
  /** Sends one email through the channel's SMTP settings. Resolves to the message id. */
  sendMail: (smtp: ChannelOf<'email'>['smtp'], mail: OutgoingMail) => Promise<string>;
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
}
