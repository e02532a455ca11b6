import { settingsFor } from '../channels/settings/index.js';
import { ConfigSchema, type Config } from './schema.js';
import { ConfigError, formatIssues } from './errors.js';

/**
 * Parses and validates the config secret's text. Throws {@link ConfigError}
 * naming every wrong JSON path and what is expected.
 *
 * @example parseConfig(secretString).channels.map((c) => c.name)
 */
export function parseConfig(text: string, source = 'config'): Config {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // JSON.parse messages quote a slice of the input, which may be a secret; report the position only.
    const position = /position (\d+)/.exec(String(error))?.[1];
    throw new ConfigError(
      `${source} is not valid JSON${position ? ` (syntax error at character ${position})` : ''}; it must be one JSON object`,
    );
  }
  const result = ConfigSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(
      `${source} does not match the guardduty-notify config schema (run \`guardduty-notify schema\` for the JSON Schema)`,
      formatIssues(result.error),
    );
  }
  return result.data;
}

/** Every secret value in a config (webhook URLs, keys, passwords, header values), for log redaction. */
export function secretValues(config: Config): string[] {
  const app = config.slackApp ? [config.slackApp.signingSecret, config.slackApp.botToken ?? ''] : [];
  return [...config.channels.flatMap((channel) => settingsFor(channel).secrets(channel)), ...app].filter(
    (v) => v.length >= 6,
  );
}
