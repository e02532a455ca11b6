/*
 * What the previews show: one notification as it was (or would be) delivered,
 * per channel. The gallery fills these from what the local receivers captured;
 * the CLI fills them from a renderer's payload. Every field may hold attacker
 * text, and bodies are whatever JSON arrived, so renderers read them defensively.
 */

/** A received email, after MIME parsing. */
export interface DeliveredMail {
  subject: string;
  from: string;
  to: string[];
  cc: string[];
  text: string;
  html: string;
  /** Headers worth showing (the X-GuardDuty-* ones), lower- or mixed-case names. */
  headers: Record<string, string>;
}

/** An SNS notification as an SQS subscriber receives it. */
export interface DeliveredSns {
  subject: string;
  message: string;
  attributes: Record<string, string>;
  topicArn?: string;
}

/** One notification for one channel. `body` is the parsed JSON the endpoint received. */
export type Delivered =
  | { type: 'slack'; body: unknown }
  | { type: 'teams'; body: unknown }
  | { type: 'googleChat'; body: unknown }
  | { type: 'pagerduty'; body: unknown }
  | { type: 'webhook'; body: unknown; headers: Record<string, string> }
  | { type: 'email'; mail: DeliveredMail }
  | { type: 'sns'; sns: DeliveredSns };

export type DeliveredType = Delivered['type'];

/** Display names of the channel types, in gallery order. */
export const CHANNEL_LABELS: Readonly<Record<DeliveredType, string>> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
  googleChat: 'Google Chat',
  email: 'Email',
  sns: 'Amazon SNS',
  pagerduty: 'PagerDuty',
  webhook: 'Webhook',
};

/** A JSON object, or an empty one for anything else. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A JSON array, or an empty one for anything else. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string, or `fallback` for anything else (numbers and booleans are shown as text). */
export function text(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}
