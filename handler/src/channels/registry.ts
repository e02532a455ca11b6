import { CHANNEL_SETTINGS, type ChannelRegistry, descriptorFor as descriptorIn } from './settings/index.js';
import type { ChannelType } from '../config/schema.js';

export {
  CHANNEL_SCHEMAS,
  CHANNEL_SETTINGS,
  CHANNEL_TYPES,
  type ChannelRegistry,
  type DescriptorOf,
  isChannelType,
  type LoadedChannels,
  loadChannels,
  settingsFor,
} from './settings/index.js';

/*
 * Every channel type loaded at once, for the CLI, the gallery, the demo and
 * tests. The Lambda entries never import this module: they load only the
 * channel types the config uses (`loadChannels`).
 */

type Loaded<T extends readonly unknown[]> = {
  readonly [K in keyof T]: T[K] extends { load(): Promise<infer D> } ? D : never;
};

/** Every channel descriptor, in display order. */
export const CHANNELS = (await Promise.all(CHANNEL_SETTINGS.map((settings) => settings.load()))) as unknown as Loaded<
  typeof CHANNEL_SETTINGS
>;

/** Every channel descriptor by config `type`. */
export const CHANNEL_REGISTRY: ChannelRegistry = Object.fromEntries(
  CHANNELS.map((c) => [c.type, c]),
) as unknown as ChannelRegistry;

/**
 * The descriptor for a configured channel (every type is loaded here).
 *
 * @example descriptorFor(channel).render(finding, channel)
 */
export function descriptorFor<C extends { type: ChannelType }>(
  channel: C,
  registry: Partial<ChannelRegistry> = CHANNEL_REGISTRY,
) {
  return descriptorIn(channel, registry);
}
