import type { Config } from './schema.js';
import { ConfigError } from './errors.js';
import { parseConfig } from './parse.js';

export interface ConfigSourceOptions {
  /** Reads the secret's text (Secrets Manager in Lambda, a file in the CLI). */
  read: () => Promise<string>;
  /** How long a loaded config is used before it is read again (rotated webhooks). */
  refreshMs: number;
  now?: () => number;
  /** Called when a refresh fails and the last good config stays in use. */
  onStaleConfig?: (error: ConfigError) => void;
  /** Called with each newly loaded config (e.g. to register secrets for redaction). */
  onLoaded?: (config: Config) => void;
}

export interface ConfigSource {
  get(): Promise<Config>;
}

function asConfigError(error: unknown): ConfigError {
  if (error instanceof ConfigError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  // SDK messages can include the ARN but not the value; keep the name and a short message.
  const message = error instanceof Error ? error.message.slice(0, 300) : String(error);
  return new ConfigError(`could not read the config secret (${name}: ${message})`);
}

/**
 * Loads the config once and keeps it for `refreshMs`. If a refresh fails (secret
 * unreadable, or rotated to something invalid) the last good config stays in
 * use and `onStaleConfig` is told; with no good config yet, `get` throws
 * {@link ConfigError} so the batch fails and its messages stay queued.
 */
export function createConfigSource(options: ConfigSourceOptions): ConfigSource {
  const now = options.now ?? Date.now;
  let current: { config: Config; loadedAt: number } | undefined;
  let inflight: Promise<Config> | undefined;

  const load = async (): Promise<Config> => {
    try {
      const config = parseConfig(await options.read(), 'the config secret');
      current = { config, loadedAt: now() };
      options.onLoaded?.(config);
      return config;
    } catch (error) {
      const configError = asConfigError(error);
      if (current) {
        options.onStaleConfig?.(configError);
        current = { config: current.config, loadedAt: now() };
        return current.config;
      }
      throw configError;
    }
  };

  return {
    async get() {
      if (current && now() - current.loadedAt < options.refreshMs) return current.config;
      inflight ??= load().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
  };
}
