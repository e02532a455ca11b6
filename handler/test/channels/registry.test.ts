import { describe, expect, it } from 'vitest';
import { CHANNELS, CHANNEL_REGISTRY, CHANNEL_TYPES, descriptorFor } from '../../src/channels/registry.js';
import { configJsonSchema } from '../../src/config/jsonSchema.js';
import { parseConfig, secretValues } from '../../src/config/parse.js';
import { ChannelSchema } from '../../src/config/schema.js';
import { effectiveRules } from '../../src/route/rules.js';

const sampleChannel = (type: string) =>
  ChannelSchema.parse({
    name: `sample-${type}`,
    type,
    ...CHANNEL_REGISTRY[type as keyof typeof CHANNEL_REGISTRY].sample,
  });

describe('the channel descriptor list', () => {
  it('registers each type once, under its own type', () => {
    expect(new Set(CHANNEL_TYPES).size).toBe(CHANNELS.length);
    for (const d of CHANNELS) expect(CHANNEL_REGISTRY[d.type]).toBe(d);
  });

  it('derives the config union: every type is in the JSON Schema, an unknown type is refused', () => {
    const text = JSON.stringify(configJsonSchema());
    for (const type of CHANNEL_TYPES) expect(text).toContain(`"const":"${type}"`);
    expect(ChannelSchema.safeParse({ name: 'x', type: 'fax', number: '1' }).success).toBe(false);
  });

  it("parses each descriptor's sample config into a channel of its type", () => {
    for (const type of CHANNEL_TYPES) expect(sampleChannel(type)).toMatchObject({ type, enabled: true });
  });

  it('redacts what each descriptor names as secret, and only from its own channels', () => {
    const withSecrets: Record<string, Record<string, unknown>> = {
      email: { smtp: { host: 'smtp.example.invalid', pass: 'smtp-password-value' } },
      webhook: { headers: { Authorization: 'Bearer header-secret-value' }, hmacSecret: 'hmac-secret-value-0123' },
    };
    const channels = CHANNEL_TYPES.map((type) => ({
      name: `c-${type}`,
      type,
      ...CHANNEL_REGISTRY[type].sample,
      ...withSecrets[type],
    }));
    const config = parseConfig(JSON.stringify({ channels }));
    const secrets = secretValues(config);
    for (const channel of config.channels) {
      const own = descriptorFor(channel).secrets(channel);
      for (const value of own.filter((v) => v.length >= 6)) expect(secrets).toContain(value);
    }
    expect(secrets).toEqual(
      expect.arrayContaining([
        'https://hooks.slack.com/services/T000/B000/PREVIEW',
        'PREVIEW0000000000000000000000000',
        'smtp-password-value',
        'Bearer header-secret-value',
        'hmac-secret-value-0123',
      ]),
    );
    // An SNS topic ARN is an address, not a credential.
    expect(secrets).not.toContain(CHANNEL_REGISTRY.sns.sample.topicArn);
  });

  it("gives every channel the descriptor's digest threshold when the config sets none", () => {
    for (const type of CHANNEL_TYPES) {
      const channel = sampleChannel(type);
      expect(effectiveRules({}, channel).digestThreshold).toBe(descriptorFor(channel).defaults.digestThreshold);
    }
  });

  it('lets archived updates reach only a channel that acts on archiving', () => {
    const receivers = CHANNEL_TYPES.filter((type) => {
      const channel = sampleChannel(type);
      return descriptorFor(channel).receivesArchived(channel);
    });
    expect(receivers).toEqual(['pagerduty']);
    const off = ChannelSchema.parse({
      name: 'p',
      type: 'pagerduty',
      routingKey: 'R0UT1NGKEY0000000000000000000000',
      resolveOnArchive: false,
    });
    expect(descriptorFor(off).receivesArchived(off)).toBe(false);
  });
});
