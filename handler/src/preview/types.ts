import type { ChannelOf, ChannelType } from '../config/schema.js';

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

/**
 * How one channel type is previewed: its HTML view of a delivered notification
 * and how a renderer's payload becomes what the channel would deliver. One per
 * type in `preview/<type>.ts`; `preview/registry.ts` lists them.
 */
export interface ChannelPreview<T extends ChannelType, D extends { type: T }> {
  /** The HTML view of one delivered notification (pure; every value escaped). */
  html(delivered: D): string;
  /** What the channel would deliver, from its renderer's payload (the envelope from its config). */
  fromPayload(channel: ChannelOf<T>, payload: unknown): D;
  /** Whether the gallery shows the payload under the view (not when the view already is its JSON). */
  showsRawPayload: boolean;
  /** Whether the view needs the page's scripts (all others run under script-src 'none'). */
  needsScripts: boolean;
}

export type { Delivered, DeliveredType } from './registry.js';

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
