import type { ChannelType } from '../../config/schema.js';
import type { ChannelDescriptor, ChannelSettings } from '../types.js';
import { emailSettings } from './email.js';
import { googleChatSettings } from './googleChat.js';
import { pagerDutySettings } from './pagerduty.js';
import { slackSettings } from './slack.js';
import { snsSettings } from './sns.js';
import { teamsSettings } from './teams.js';
import { webhookSettings } from './webhook.js';

/**
 * Every channel type, in display order (gallery, CLI usage). This list is the
 * one place a channel type is registered: the config union, the registry,
 * secret redaction, the default tables and the tests that loop over channel
 * types all derive from it. Settings are small; each type's renderers and
 * sender load when a config uses it ({@link loadChannels}), so a cold start
 * pays only for the channel types configured.
 */
export const CHANNEL_SETTINGS = [
  slackSettings,
  teamsSettings,
  googleChatSettings,
  emailSettings,
  snsSettings,
  pagerDutySettings,
  webhookSettings,
] as const;

/** The config schemas of {@link CHANNEL_SETTINGS}, as the tuple `z.discriminatedUnion` takes. */
export const CHANNEL_SCHEMAS = CHANNEL_SETTINGS.map((c) => c.schema) as unknown as SchemasOf<typeof CHANNEL_SETTINGS>;
type SchemasOf<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never;
};

type SettingsOfType<T extends ChannelType> = Extract<(typeof CHANNEL_SETTINGS)[number], { type: T }>;

/** The settings of one channel type, typed for a channel of that type. */
export type SettingsOf<T extends ChannelType> = ChannelSettings<SettingsOfType<T>['schema'], unknown>;

/** The descriptor of one channel type, typed for a channel of that type. */
export type DescriptorOf<T extends ChannelType> = ChannelDescriptor<SettingsOfType<T>['schema'], unknown>;

/** Every channel type, in display order. */
export const CHANNEL_TYPES: readonly ChannelType[] = CHANNEL_SETTINGS.map((c) => c.type);

/** Channel descriptors by config `type`: a missing type is a type error. */
export type ChannelRegistry = { readonly [T in ChannelType]: DescriptorOf<T> };

/** Descriptors of the channel types loaded so far: what a config uses. */
export type LoadedChannels = Partial<ChannelRegistry>;

const SETTINGS_BY_TYPE = Object.fromEntries(CHANNEL_SETTINGS.map((c) => [c.type, c])) as unknown as {
  readonly [T in ChannelType]: SettingsOf<T>;
};

/** Whether `value` names a channel type. */
export function isChannelType(value: string): value is ChannelType {
  return Object.hasOwn(SETTINGS_BY_TYPE, value);
}

/**
 * The settings of a configured channel's type, typed loosely enough to call with it.
 *
 * @example settingsFor(channel).secrets(channel)
 */
export function settingsFor<C extends { type: ChannelType }>(
  channel: C,
): ChannelSettings<ChannelSettings['schema'], unknown> & {
  secrets(channel: C): string[];
  receivesArchived(channel: C): boolean;
} {
  return SETTINGS_BY_TYPE[channel.type] as never;
}

const loading = new Map<ChannelType, Promise<ChannelDescriptor<ChannelSettings['schema'], unknown>>>();

/**
 * Loads the descriptors (renderers and senders) of the given channel types,
 * once per container; the others stay unloaded.
 *
 * @example const channels = await loadChannels(config.channels.map((c) => c.type))
 */
export async function loadChannels(types: Iterable<ChannelType>): Promise<LoadedChannels> {
  const wanted = [...new Set(types)];
  for (const type of wanted) {
    if (!loading.has(type)) loading.set(type, SETTINGS_BY_TYPE[type].load() as never);
  }
  const loaded = await Promise.all(wanted.map(async (type) => [type, await loading.get(type)] as const));
  return Object.fromEntries(loaded) as LoadedChannels;
}

/**
 * The descriptor for a configured channel, typed loosely enough to call with it.
 * Throws when its type was not loaded (a bug: the batch loads every configured type).
 *
 * @example descriptorFor(channel, channels).render(finding, channel)
 */
export function descriptorFor<C extends { type: ChannelType }>(
  channel: C,
  registry: LoadedChannels,
): ChannelDescriptor<ChannelDescriptor['schema'], unknown> & {
  secrets(channel: C): string[];
  receivesArchived(channel: C): boolean;
  render(finding: Parameters<ChannelDescriptor['render']>[0], channel: C): unknown;
  renderDigest(digest: Parameters<ChannelDescriptor['renderDigest']>[0], channel: C): unknown;
} {
  const descriptor = registry[channel.type];
  if (!descriptor) throw new Error(`channel type "${channel.type}" was not loaded`);
  return descriptor as never;
}
