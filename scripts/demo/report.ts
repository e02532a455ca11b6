import { parseFindingEvent } from '../../handler/src/batch/envelope.js';
import { CHANNEL_REGISTRY } from '../../handler/src/channels/registry.js';
import { ChannelSchema } from '../../handler/src/config/schema.js';
import { normaliseFinding } from '../../handler/src/finding/normalise.js';
import type { GalleryEntry } from '../../handler/src/preview/index.js';
import { CHANNEL_PREVIEWS } from '../../handler/src/preview/registry.js';
import { buildReport, countByBand } from '../../handler/src/report/build.js';
import type { Heartbeat } from '../../handler/src/report/model.js';
import { reportPeriods } from '../../handler/src/report/period.js';
import { PAGERDUTY_REPORT_SKIPPED } from '../../handler/src/report/render/pagerduty.js';
import { topBand } from '../../handler/src/report/render/facts.js';

/*
 * The gallery's report section: the weekly report of the demo's own findings,
 * rendered offline for every configured channel by its descriptor's
 * `renderReport` (what `guardduty-notify report` prints), shown by the same
 * previews as the delivered notifications. The period ends just after the
 * latest finding and spans them all (up to GuardDuty's 90 days), so the
 * fixtures' old findings count.
 */

const DAY = 86_400_000;

/**
 * One gallery entry holding the report for each configured channel that has a report.
 *
 * @example entries.push(demoReportEntry(items.map((i) => i.event), config, { lastEventProcessedAt, queueDepth: 0, dlqDepth: 0 }))
 */
export async function demoReportEntry(
  events: readonly unknown[],
  config: { channels: readonly unknown[]; accountNames?: Record<string, string> },
  heartbeat: Heartbeat,
): Promise<GalleryEntry> {
  const findings = events.flatMap((event) => {
    const parsed = parseFindingEvent(event);
    return parsed.ok
      ? [normaliseFinding(parsed.event, config.accountNames?.[parsed.event.detail.accountId] ?? null)]
      : [];
  });
  const times = findings.map((f) => Date.parse(f.updatedAt)).filter((t) => !Number.isNaN(t));
  const latest = Math.max(...times);
  const earliest = Math.min(...times);
  const days = Math.min(90, Math.max(7, Math.ceil((latest - earliest) / DAY) + 1));
  const { current, previous } = reportPeriods(new Date(latest + 1), days);
  const report = buildReport({
    period: current,
    previous,
    findings,
    previousBySeverity: countByBand(findings, previous),
    states: [],
    signals: [],
    heartbeat,
    generatedAt: new Date(latest + 1),
  });
  const channels = config.channels.map((c) => ChannelSchema.parse(c));
  const deliveries: GalleryEntry['deliveries'] = [];
  const skipped: GalleryEntry['skipped'] = [];
  for (const channel of channels) {
    const descriptor = CHANNEL_REGISTRY[channel.type] as {
      loadReportRenderer?: () => Promise<(report: unknown, channel: unknown) => unknown>;
    };
    if (!descriptor.loadReportRenderer) {
      skipped.push({ channelName: channel.name, channelType: channel.type, reason: PAGERDUTY_REPORT_SKIPPED });
      continue;
    }
    const render = await descriptor.loadReportRenderer();
    const payload = render(report, channel);
    const preview = CHANNEL_PREVIEWS[channel.type] as { fromPayload(channel: unknown, payload: unknown): unknown };
    deliveries.push({
      channelName: channel.name,
      delivered: preview.fromPayload(channel, payload) as GalleryEntry['deliveries'][number]['delivered'],
      raw: payload,
    });
  }
  const band = topBand(report);
  return {
    id: 'weekly-report',
    heading: `weekly report (${report.totals.findings} findings, ${days} days)`,
    why: `The report the schedule sends (EventBridge Scheduler → {"guarddutyNotify":"report"}), rendered offline from the demo's ${findings.length} findings for every configured channel, as \`guardduty-notify report\` does. Offline, the state table's acknowledgements and the signals are empty.`,
    severity: band,
    score: band,
    type: 'report',
    title: 'GuardDuty report',
    markers: ['REPORT'],
    deliveries,
    skipped,
  };
}
