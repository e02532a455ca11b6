import { describe, expect, it } from 'vitest';
import { createConfigSource } from '../../src/config/source.js';
import type { ConfigError } from '../../src/config/errors.js';

const good = JSON.stringify({
  channels: [{ name: 'a', type: 'slack', webhookUrl: 'https://hooks.slack.com/services/A/B/C' }],
});
const rotated = JSON.stringify({
  channels: [{ name: 'b', type: 'slack', webhookUrl: 'https://hooks.slack.com/services/A/B/D' }],
});

describe('createConfigSource', () => {
  it('reads once per refresh interval and picks up rotated values', async () => {
    let now = 0;
    let reads = 0;
    let value = good;
    const source = createConfigSource({
      read: async () => {
        reads++;
        return value;
      },
      refreshMs: 1000,
      now: () => now,
    });
    expect((await source.get()).channels[0]?.name).toBe('a');
    await source.get();
    expect(reads).toBe(1);
    value = rotated;
    now = 1500;
    expect((await source.get()).channels[0]?.name).toBe('b');
    expect(reads).toBe(2);
  });

  it('keeps the last good config when a refresh fails', async () => {
    let now = 0;
    let value = good;
    const stale: ConfigError[] = [];
    const source = createConfigSource({
      read: async () => value,
      refreshMs: 10,
      now: () => now,
      onStaleConfig: (e) => stale.push(e),
    });
    await source.get();
    value = '{"channels": []}';
    now = 100;
    expect((await source.get()).channels[0]?.name).toBe('a');
    expect(stale[0]?.message).toContain('channels');
  });

  it('throws a ConfigError when no good config was ever loaded', async () => {
    const source = createConfigSource({
      read: async () => {
        throw Object.assign(new Error("Secrets Manager can't find the specified secret."), {
          name: 'ResourceNotFoundException',
        });
      },
      refreshMs: 10,
    });
    await expect(source.get()).rejects.toThrow(/could not read the config secret \(ResourceNotFoundException/);
  });

  it('shares one read between concurrent callers', async () => {
    let reads = 0;
    const source = createConfigSource({
      read: async () => {
        reads++;
        return good;
      },
      refreshMs: 1000,
    });
    await Promise.all([source.get(), source.get(), source.get()]);
    expect(reads).toBe(1);
  });
});
