import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CHANNEL_REGISTRY, CHANNEL_TYPES, descriptorFor, isChannelType } from '../channels/registry.js';
import { ConfigError } from '../config/errors.js';
import { configJsonSchema } from '../config/jsonSchema.js';
import { parseConfig } from '../config/parse.js';
import { ChannelSchema, type Channel, type ChannelType, type Config } from '../config/schema.js';
import { decide, effectiveRules } from '../route/rules.js';
import { parseSignal } from '../signals/parse.js';
import { viewsOf } from '../signals/view.js';
import { previewDocument } from '../preview/standalone.js';
import { REPORT_USAGE, runReportCommand } from '../report/cli.js';

const USAGE = `guardduty-notify — GuardDuty findings to chat, email, SNS, PagerDuty and webhooks

Usage:
  guardduty-notify render --channel <type|name> [--config <file>] [--html] [event.json]
      Print the exact payload(s) one channel would send for a GuardDuty EventBridge
      event (read from the file or stdin): a finding, a Malware Protection for S3
      scan result, a coverage event or a GuardDuty API call (an archive of two
      findings prints two payloads, as a JSON array). Types: ${CHANNEL_TYPES.join(', ')}.
      With --config, --channel may name a configured channel (its options apply).
      With --html, print a standalone HTML page showing the message as the
      channel's client would (save it and open it in a browser).
${REPORT_USAGE}
  guardduty-notify validate-config [config.json]
      Check a config secret's JSON (file or stdin) against the schema.
  guardduty-notify schema
      Print the config JSON Schema.
`;

class UsageError extends Error {}

/** A preview has no earlier sightings: every update reads as it would to a container that saw none. */
const NO_HISTORY = { previousScore: () => undefined };

function readInput(file: string | undefined): string {
  try {
    return readFileSync(file ?? 0, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file ?? 'stdin'}: ${(error as Error).message}`);
  }
}

/** A placeholder channel of a type (its descriptor's sample config), for previews without a config. */
function previewChannel(type: ChannelType): Channel {
  return ChannelSchema.parse({ name: `preview-${type}`, type, ...CHANNEL_REGISTRY[type].sample });
}

function pickChannel(selector: string, config: Config | undefined): Channel {
  const named = config?.channels.find((c) => c.name === selector);
  if (named) return named;
  if (isChannelType(selector)) return config?.channels.find((c) => c.type === selector) ?? previewChannel(selector);
  throw new UsageError(
    `unknown channel "${selector}": use one of ${CHANNEL_TYPES.join(', ')}${config ? ' or a configured channel name' : ''}`,
  );
}

function render(args: string[], err: NodeJS.WritableStream): string {
  const { values, positionals } = parseArgs({
    args,
    options: { channel: { type: 'string' }, config: { type: 'string' }, html: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (!values.channel) throw new UsageError('render needs --channel <type|name>');
  const config = values.config ? parseConfig(readInput(values.config), values.config) : undefined;
  const channel = pickChannel(values.channel, config);
  const text = readInput(positionals[0]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${positionals[0] ?? 'stdin'} is not JSON`);
  }
  const parsed = parseSignal(json, { expectedPrincipals: config?.expectedPrincipals ?? [] });
  if (!parsed.ok) throw new UsageError(`${positionals[0] ?? 'stdin'}: ${parsed.reason}`);
  const descriptor = descriptorFor(channel);
  const rules = effectiveRules(config?.defaults ?? {}, channel);
  // Every payload the event produces for this channel: an archive of two findings is two PagerDuty resolves.
  // A preview assumes the channel announced the findings an archive is about (the state table knows in the function).
  const payloads = viewsOf(parsed.signal)
    .map((view) => ({ ...view, account: { ...view.account, name: config?.accountNames[view.account.id] ?? null } }))
    .filter((view) => {
      // A preview shows every finding whatever the channel's floors; what the channel never takes is left out.
      const decision = decide(
        view,
        { ...rules, minSeverity: 'LOW' },
        NO_HISTORY,
        descriptor.receivesArchived(channel),
        true,
      );
      return decision.notify || !['lifecycle', 'quiet', 'kind'].includes(decision.reason);
    })
    .map((view) => descriptor.render(view, channel, text));
  if (payloads.length === 0) {
    err.write(
      `guardduty-notify: nothing to send to ${channel.type} for this event (${parsed.signal.ignoreReason ?? parsed.signal.topic})\n`,
    );
    return '';
  }
  if (values.html) return previewDocument(channel, payloads[0]);
  return `${JSON.stringify(payloads.length === 1 ? payloads[0] : payloads, null, 2)}\n`;
}

function validateConfig(args: string[]): string {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const config = parseConfig(readInput(positionals[0]), positionals[0] ?? 'stdin');
  return `ok: ${config.channels.length} channel(s): ${config.channels.map((c) => `${c.name} (${c.type}${c.enabled ? '' : ', disabled'})`).join(', ')}\n`;
}

/** Runs the CLI; returns the exit code. */
export function main(argv: string[], out = process.stdout, err = process.stderr): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'render':
        out.write(render(rest, err));
        return 0;
      case 'report':
        return runReportCommand(rest, out, err);
      case 'validate-config':
        out.write(validateConfig(rest));
        return 0;
      case 'schema':
        out.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        (command === undefined ? err : out).write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      err.write(`guardduty-notify: ${error.message}\n`);
      if (error instanceof UsageError && /unknown command/.test(error.message)) err.write(USAGE);
      return error instanceof ConfigError ? 1 : 2;
    }
    if (error instanceof Error && error.name === 'TypeError' && /parseArgs|option/i.test(error.message)) {
      err.write(`guardduty-notify: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
