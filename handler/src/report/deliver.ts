import { descriptorFor, type LoadedChannels, loadChannels } from '../channels/settings/index.js';
import type { SendContext } from '../channels/types.js';
import type { Channel, Config } from '../config/schema.js';
import type { ConfigSource } from '../config/source.js';
import { asDeliveryError } from '../deliver/errors.js';
import type { Logger } from '../observe/logger.js';
import { createNullStateStore, type StateStore } from '../state/store.js';
import type { ReportEvent } from './event.js';
import type { GuardDutyFindingsApi } from './guardduty.js';
import type { Report } from './model.js';
import { PAGERDUTY_REPORT_SKIPPED } from './render/pagerduty.js';
import { prepareReport } from './run.js';
import { type QueueEdges, readHeartbeat, readSignalRecords, readStateRecords } from './sources.js';

/*
 * The report path of the Lambda entry: the config's report channels, the
 * report prepared from GuardDuty, the state table and the queues, rendered by
 * each channel's report renderer (`loadReportRenderer`) and sent with its own `send`. A channel that
 * fails does not stop the others; then the invocation fails (ReportFailedError),
 * so the function-errors alarm fires: the report is the heartbeat.
 */

export interface ReportDeps {
  config: ConfigSource;
  /** Channel descriptors by type; absent: the report channels' types are loaded (`loadChannels`). */
  channels?: LoadedChannels | undefined;
  send: Omit<SendContext, 'http'>;
  logger: Logger;
  state?: StateStore;
  guardduty: GuardDutyFindingsApi;
  queues: QueueEdges;
  now?: () => Date;
}

export interface ReportOutcome {
  /** Null when the config names no report channels (nothing was read or sent). */
  report: Report | null;
  /** Channel names the report was delivered to. */
  sent: string[];
  /** Channels named in `reports.channels` that get no report, with why. */
  skipped: Array<{ channel: string; reason: string }>;
}

/** The report could not go out: no report config, no channel able to receive it, or a channel that failed. */
export class ReportFailedError extends Error {
  override readonly name = 'ReportFailedError';
  constructor(
    message: string,
    readonly failed: ReadonlyArray<{ channel: string; error: string }> = [],
  ) {
    super(message);
  }
}

/** Time for reading the state table after GuardDuty's pages. */
const STATE_READ_MS = 10_000;
/** Time for rendering and sending to every channel (retries included) after the state table. */
const SEND_MS = 30_000;

/** The configured report channels that can receive it, and the ones skipped with the reason. */
export function reportChannels(config: Config, registry: LoadedChannels) {
  const targets: Channel[] = [];
  const skipped: ReportOutcome['skipped'] = [];
  for (const name of config.reports?.channels ?? []) {
    const channel = config.channels.find((c) => c.name === name);
    if (!channel) skipped.push({ channel: name, reason: 'not a configured channel' });
    else if (!channel.enabled) skipped.push({ channel: name, reason: 'the channel is disabled' });
    else if (!descriptorFor(channel, registry).loadReportRenderer)
      skipped.push({ channel: name, reason: channel.type === 'pagerduty' ? PAGERDUTY_REPORT_SKIPPED : 'no report' });
    else targets.push(channel);
  }
  return { targets, skipped };
}

async function sendTo(channel: Channel, report: Report, channels: LoadedChannels, send: SendContext) {
  const descriptor = descriptorFor(channel, channels);
  try {
    // reportChannels kept only channels with a renderer.
    const render = await descriptor.loadReportRenderer?.();
    const payload = render?.(report, channel as never);
    await descriptor.send(payload, channel as never, send);
    return null;
  } catch (error) {
    return { channel: channel.name, error: asDeliveryError(error, channel).message };
  }
}

/**
 * Prepares the report for a report event and sends it to every channel of
 * `reports.channels`; throws {@link ReportFailedError} when any could not
 * receive it (after trying them all).
 *
 * @example await deliverReport({ guarddutyNotify: 'report' }, deps, context.getRemainingTimeInMillis())
 */
export async function deliverReport(event: ReportEvent, deps: ReportDeps, remainingMs: number): Promise<ReportOutcome> {
  const started = Date.now();
  const config = await deps.config.get();
  if (!config.reports) {
    // The module schedules the report by default; until the config names its channels, nothing is read or sent.
    deps.logger.warn('report requested, but the config has no "reports" section: nothing sent', {});
    return { report: null, sent: [], skipped: [] };
  }
  const named = new Set(config.reports.channels);
  const channels =
    deps.channels ?? (await loadChannels(config.channels.filter((c) => named.has(c.name)).map((c) => c.type)));
  const { targets, skipped } = reportChannels(config, channels);
  for (const s of skipped) deps.logger.warn('report channel skipped', { channel: s.channel, reason: s.reason });
  if (targets.length === 0) throw new ReportFailedError('no channel in reports.channels can receive the report');

  const state = deps.state ?? createNullStateStore();
  void state.prepare();
  // GuardDuty pages until the reserve; the state table reads until the send time.
  const reserveMs = Math.min(STATE_READ_MS + SEND_MS, Math.floor(remainingMs / 2));
  const stateDeadline = () => started + remainingMs - Math.min(SEND_MS, Math.floor(reserveMs * 0.75));
  const report = await prepareReport(
    event,
    {
      guardduty: deps.guardduty,
      stateRecords: (_period, ids) => readStateRecords(state, ids, stateDeadline()),
      signalRecords: (period) => readSignalRecords(state, period),
      heartbeat: () => readHeartbeat(state, deps.queues),
      accountNames: config.accountNames,
    },
    {
      now: deps.now?.() ?? new Date(),
      periodDays: config.reports.periodDays,
      remainingMs,
      reserveMs,
    },
  );
  const send: SendContext = { ...deps.send, http: config.delivery };
  const results = await Promise.all(targets.map((channel) => sendTo(channel, report, channels, send)));
  const failed = results.filter((r) => r !== null);
  const sent = targets.map((c) => c.name).filter((name) => !failed.some((f) => f.channel === name));
  deps.logger.info('report delivered', {
    findings: report.totals.findings,
    complete: report.completeness.complete,
    notes: report.notes.length,
    sent,
    failed: failed.map((f) => f.channel),
    ms: Date.now() - started,
  });
  if (failed.length > 0)
    throw new ReportFailedError(
      `the report could not be sent to ${failed.map((f) => `"${f.channel}" (${f.error})`).join(', ')}`,
      failed,
    );
  return { report, sent, skipped };
}
