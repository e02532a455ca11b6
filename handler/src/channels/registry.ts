import type { ChannelType } from '../config/schema.js';
import { emailChannel } from './email.js';
import { googleChatChannel } from './googleChat.js';
import { pagerDutyChannel } from './pagerduty.js';
import { slackChannel } from './slack.js';
import { snsChannel } from './sns.js';
import { teamsChannel } from './teams.js';
import type { ChannelDescriptor } from './types.js';
import { webhookChannel } from './webhook.js';

/**
 * Every channel type, in display order (gallery, CLI usage). This list is the
 * one place a channel type is registered: the config union, the registry,
 * secret redaction, the default tables and the tests that loop over channel
 * types all derive from it.
 */
export const CHANNELS = [
  slackChannel,
  teamsChannel,
  googleChatChannel,
  emailChannel,
  snsChannel,
  pagerDutyChannel,
  webhookChannel,
] as const;

/** The config schemas of {@link CHANNELS}, as the tuple `z.discriminatedUnion` takes. */
export const CHANNEL_SCHEMAS = CHANNELS.map((c) => c.schema) as unknown as SchemasOf<typeof CHANNELS>;
type SchemasOf<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never;
};

/** The descriptor of one channel type, typed for a channel of that type. */
export type DescriptorOf<T extends ChannelType> = ChannelDescriptor<
  Extract<(typeof CHANNELS)[number], { type: T }>['schema'],
  unknown
>;

/** Every channel type, in display order. */
export const CHANNEL_TYPES: readonly ChannelType[] = CHANNELS.map((c) => c.type);

/** Channel descriptors by config `type`: a missing type is a type error. */
export type ChannelRegistry = { readonly [T in ChannelType]: DescriptorOf<T> };

/** Every channel descriptor by config `type`. */
export const CHANNEL_REGISTRY: ChannelRegistry = Object.fromEntries(
  CHANNELS.map((c) => [c.type, c]),
) as unknown as ChannelRegistry;

/**
 * The descriptor for a configured channel, typed loosely enough to call with it.
 *
 * @example descriptorFor(channel).render(finding, channel)
 */
export function descriptorFor<C extends { type: ChannelType }>(
  channel: C,
  registry: ChannelRegistry = CHANNEL_REGISTRY,
): ChannelDescriptor<ChannelDescriptor['schema'], unknown> & {
  secrets(channel: C): string[];
  receivesArchived(channel: C): boolean;
  render(finding: Parameters<ChannelDescriptor['render']>[0], channel: C): unknown;
  renderDigest(digest: Parameters<ChannelDescriptor['renderDigest']>[0], channel: C): unknown;
} {
  return registry[channel.type] as never;
}

/** Whether `value` names a channel type. */
export function isChannelType(value: string): value is ChannelType {
  return Object.hasOwn(CHANNEL_REGISTRY, value);
}
