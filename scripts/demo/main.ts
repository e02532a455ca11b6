import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  galleryDocument,
  previewFiles,
  type GalleryData,
  type GalleryEntry,
  type GallerySkip,
  type GallerySummaryRow,
} from '../../handler/src/preview/index.js';
import type { DeliveredType } from '../../handler/src/preview/types.js';
import { googleChatWebhook } from '../../harness/googleChat.mjs';
import { startReceiver } from '../../harness/http.mjs';
import { startMoto, type Moto } from '../../harness/moto.mjs';
import { pagerDutyEventsApi } from '../../harness/pagerduty.mjs';
import { slackWebhook } from '../../harness/slack.mjs';
import { teamsWorkflow } from '../../harness/teams.mjs';
import { signedWebhook } from '../../harness/webhook.mjs';
import { createDemoAws } from './aws.js';
import { createCollector, type Capture } from './capture.js';
import { DEMO_HMAC_SECRET, DEMO_ROUTING_KEY, demoConfig } from './config.js';
import { replayBatches, sandboxBurst, sqsRecords, type ReplayItem } from './findings.js';
import { startLambda, type Invocation, type LambdaHost } from './lambda.js';
import { demoReportEntry } from './report.js';
import { slackAppThreadEntry } from './slackApp.js';
import { startSmtp, type DemoSmtp } from './smtp.js';

/*
 * `make demo`: GuardDuty findings through the committed bundle into local
 * stand-ins for every channel, a per-channel summary on the console and a
 * gallery of what each channel received (demo/out/index.html).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMMITTED_BUNDLE = join(ROOT, 'handler', 'dist', 'lambda.zip');
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:guardduty-notify';

// --out: where the gallery goes; --bundle: another build of the function (default: the committed one).
const { values: args } = parseArgs({ options: { out: { type: 'string' }, bundle: { type: 'string' } } });
const OUT = resolve(args.out ?? join(ROOT, 'demo', 'out'));
const BUNDLE = resolve(args.bundle ?? COMMITTED_BUNDLE);

// --- Cleanup that holds on every exit path --------------------------------------------------------

const cleanups: Array<() => Promise<void> | void> = [];
const children = new Set<ChildProcess>();
async function cleanup(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) {
    try {
      await step();
    } catch {
      /* keep cleaning up */
    }
  }
}
// Last resort (an uncaught error, process.exit): child processes must not outlive the demo.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the demo's servers`);
    void cleanup().finally(() => process.exit(130)); // the 'exit' hook then kills any child not yet in cleanups
  });
}

// --- Helpers ----------------------------------------------------------------------------------------

const clock = Date.now();
const elapsed = () => `${((Date.now() - clock) / 1000).toFixed(1)} s`;
const log = (message: string) => console.log(`[${elapsed().padStart(6)}] ${message}`);

const BANDS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
function band(score: number): (typeof BANDS)[number] {
  return score >= 9 ? 'CRITICAL' : score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
}

interface Metrics {
  Delivered: number;
  Suppressed: number;
  Failed: number;
  Retried: number;
  DeadLettered: number;
}

function addMetrics(totals: Map<string, Metrics>, lines: Invocation['lines']): void {
  for (const line of lines) {
    if (!line._aws || typeof line.Channel !== 'string') continue;
    const t = totals.get(line.Channel) ?? { Delivered: 0, Suppressed: 0, Failed: 0, Retried: 0, DeadLettered: 0 };
    for (const key of Object.keys(t) as Array<keyof Metrics>) t[key] += Number(line[key] ?? 0);
    totals.set(line.Channel, t);
  }
}

function detail(item: ReplayItem): Record<string, unknown> {
  return item.event.detail as Record<string, unknown>;
}

function reasonText(reason: string, channel: Record<string, unknown>, defaults: Record<string, unknown>): string {
  const rule = (key: string) => channel[key] ?? defaults[key];
  switch (reason) {
    case 'severity':
      return `below its minimum severity (${String(rule('minSeverity'))})`;
    case 'type': {
      const exclude = (rule('exclude') as { types?: string[] } | undefined)?.types;
      return exclude ? `finding type excluded (${exclude.join(', ')})` : 'finding type not included';
    }
    case 'account':
      return 'account not routed to it';
    case 'region':
      return 'region not routed to it';
    case 'sample':
      return 'sample findings are off';
    case 'archived':
      return 'archived findings are off (includeArchived)';
    case 'update':
      return `an update without a severity rise (notifyOn: ${String(rule('notifyOn'))})`;
    default:
      return reason;
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

// --- The demo ----------------------------------------------------------------------------------------

async function main(): Promise<number> {
  log(`starting local receivers, an SMTP server and moto (${relative(ROOT, BUNDLE)} will be replayed)`);
  // The harness's stand-ins answer the way each real service does, so a malformed payload shows up
  // as a failed delivery in the summary rather than a pretty card.
  const services = {
    slack: await startReceiver(slackWebhook()),
    slackOncall: await startReceiver(slackWebhook()),
    slackSandbox: await startReceiver(slackWebhook()),
    teams: await startReceiver(teamsWorkflow()),
    googleChat: await startReceiver(googleChatWebhook()),
    pagerduty: await startReceiver(pagerDutyEventsApi({ routingKey: DEMO_ROUTING_KEY })),
    webhook: await startReceiver(signedWebhook({ secret: DEMO_HMAC_SECRET })),
  };
  for (const s of Object.values(services)) cleanups.push(() => s.close());
  const smtp: DemoSmtp = await startSmtp();
  cleanups.push(() => smtp.close());
  const moto: Moto = await startMoto({ track: (child) => children.add(child) });
  cleanups.push(() => moto.stop());
  const aws = await createDemoAws(moto);
  log(`moto up at ${moto.endpoint}; topic, subscription and queues created`);

  const config = demoConfig({
    slack: services.slack.url('/services/T0DEMO/B0SEC/sec-slack'),
    slackOncall: services.slackOncall.url('/services/T0DEMO/B0ONCALL/slack-oncall'),
    slackSandbox: services.slackSandbox.url('/services/T0DEMO/B0SANDBOX/sandbox-digest'),
    teams: services.teams.url('/workflows/demo/triggers/manual/paths/invoke'),
    googleChat: services.googleChat.url('/v1/spaces/DEMO/messages?key=demo-key&token=demo-token'),
    pagerduty: services.pagerduty.url('/v2/enqueue'),
    webhook: services.webhook.url('/guardduty'),
    smtp: { port: smtp.port, user: smtp.user, pass: smtp.pass },
    topicArn: aws.topicArn,
  });
  const secretArn = await aws.putConfig(config);
  const channels = config.channels as Array<Record<string, unknown> & { name: string; type: DeliveredType }>;
  const defaults = config.defaults as Record<string, unknown>;
  const channelByName = new Map(channels.map((c) => [c.name, c]));

  // The environment the Terraform module gives the function, pointed at moto.
  const lambda: LambdaHost = await startLambda(
    BUNDLE,
    {
      GDN_CONFIG_SECRET_ARN: secretArn,
      GDN_RETRY_QUEUE_URL: aws.retryQueueUrl,
      GDN_DLQ_URL: aws.dlqUrl,
      GDN_LOG_LEVEL: 'DEBUG', // debug lines say why routing left a channel out, for the gallery
      GDN_METRICS_NAMESPACE: 'GuardDutyNotify',
      ...moto.env,
    },
    (child) => children.add(child),
  );
  cleanups.push(() => lambda.stop());
  log('bundle unzipped and imported in its own process (cold start done)');

  const collect = createCollector(
    [
      { channelName: 'sec-slack', type: 'slack', receiver: services.slack },
      { channelName: 'slack-oncall', type: 'slack', receiver: services.slackOncall },
      { channelName: 'sandbox-digest', type: 'slack', receiver: services.slackSandbox },
      { channelName: 'sec-teams', type: 'teams', receiver: services.teams },
      { channelName: 'sec-chat', type: 'googleChat', receiver: services.googleChat },
      { channelName: 'oncall-pagerduty', type: 'pagerduty', receiver: services.pagerduty },
      { channelName: 'siem', type: 'webhook', receiver: services.webhook },
    ],
    { channelName: 'sec-email', server: smtp },
    { channelName: 'audit-sns', aws },
  );

  const metrics = new Map<string, Metrics>();
  const received = new Map<string, number>();
  const handlerLines: Invocation['lines'] = [];
  const failures: string[] = [];
  const entries: GalleryEntry[] = [];

  const run = async (batch: ReplayItem[]) => {
    const invocation = await lambda.invoke(sqsRecords(batch, QUEUE_ARN));
    handlerLines.push(...invocation.lines);
    addMetrics(metrics, invocation.lines);
    if (invocation.result.batchItemFailures.length > 0)
      failures.push(`${invocation.result.batchItemFailures.length} record(s) handed back to SQS`);
    for (const line of invocation.lines)
      if (line.level === 'ERROR' || line.level === 'WARN')
        failures.push(
          `${String(line.level)}: ${String(line.message)} ${JSON.stringify(line.error ?? line.reason ?? '')}`,
        );
    const captures = await collect();
    for (const c of captures) {
      received.set(c.channelName, (received.get(c.channelName) ?? 0) + 1);
      if (c.status >= 300) failures.push(`${c.channelName} answered ${c.status}`);
    }
    const suppressed = invocation.lines.filter((l) => l.message === 'suppressed by routing') as Array<{
      channel: string;
      findingId: string;
      reason: string;
    }>;
    return { invocation, captures, suppressed };
  };

  const skipsFor = (suppressed: Array<{ channel: string; findingId: string; reason: string }>): GallerySkip[] => {
    const grouped = new Map<string, GallerySkip & { count: number }>();
    for (const s of suppressed) {
      const channel = channelByName.get(s.channel);
      if (!channel) continue;
      const reason = reasonText(s.reason, channel, defaults);
      const key = `${s.channel}\n${reason}`;
      const g = grouped.get(key) ?? { channelName: s.channel, channelType: channel.type, reason, count: 0 };
      g.count += 1;
      grouped.set(key, g);
    }
    return [...grouped.values()].map(({ count, ...skip }) =>
      count > 1 ? { ...skip, reason: `${skip.reason} (×${count})` } : skip,
    );
  };

  // 1. New findings in SQS batches of 10, then the updates in a later batch.
  const batches = replayBatches(10);
  let findingsReplayed = 0;
  for (const [index, batch] of batches.entries()) {
    const { invocation, captures, suppressed } = await run(batch);
    findingsReplayed += batch.length;
    log(
      `batch ${index + 1}/${batches.length}: ${batch.length} findings, ${captures.length} notifications in ${invocation.ms} ms`,
    );
    const ids = batch.map((item) => String(detail(item).id));
    const byFinding = new Map<string, Capture[]>(ids.map((id) => [id, []]));
    for (const c of captures) {
      const matches = ids.filter((id) => c.searchable.includes(id));
      if (matches.length !== 1) {
        failures.push(`${c.channelName}: a notification names ${matches.length} of this batch's findings`);
        continue;
      }
      byFinding.get(matches[0]!)!.push(c);
    }
    for (const item of batch) {
      const d = detail(item);
      const id = String(d.id);
      const delivered = byFinding.get(id) ?? [];
      const normalised = (
        delivered.find((c) => c.type === 'webhook')?.raw as
          | { finding?: { isSample?: boolean; isUpdate?: boolean; archived?: boolean } }
          | undefined
      )?.finding;
      const score = Number(d.severity);
      entries.push({
        id: item.name,
        heading: item.name,
        why: item.why,
        severity: band(score),
        score: score.toFixed(1),
        type: String(d.type),
        title: String(d.title),
        markers: [
          normalised?.isSample ? 'SAMPLE' : '',
          normalised?.isUpdate ? 'UPDATE' : '',
          normalised?.archived ? 'ARCHIVED' : '',
        ].filter(Boolean),
        deliveries: delivered.map((c) => ({ channelName: c.channelName, delivered: c.delivered, raw: c.raw })),
        skipped: skipsFor(suppressed.filter((s) => s.findingId === id)),
      });
    }
  }

  // 2. A burst from the sandbox account in one batch: one digest on sandbox-digest.
  const burst = sandboxBurst(12);
  {
    const { invocation, captures, suppressed } = await run(burst);
    log(
      `burst: ${burst.length} sandbox findings in one batch, ${captures.length} notification(s) in ${invocation.ms} ms`,
    );
    const top = burst.reduce((max, item) => Math.max(max, Number(detail(item).severity)), 0);
    entries.push({
      id: 'sandbox-burst',
      heading: `sandbox burst (${burst.length} findings, one batch)`,
      why: `${burst.length} findings from the sandbox account arrive in one SQS batch. Only sandbox-digest routes that account, and with more than its digestThreshold (5) in one batch it sends one digest instead of ${burst.length} messages; every other channel leaves them out.`,
      severity: band(top),
      score: top.toFixed(1),
      type: 'digest',
      title: 'GuardDuty digest',
      markers: ['DIGEST'],
      deliveries: captures.map((c) => ({ channelName: c.channelName, delivered: c.delivered, raw: c.raw })),
      skipped: skipsFor(suppressed),
    });
  }

  // 3. The Slack app channel: a thread with an edited parent and its buttons (in-process, see slackApp.ts).
  entries.push(await slackAppThreadEntry());
  log('slack app: a thread with an escalation and an acknowledged parent');

  const depths = await aws.queueDepths();
  if (depths.retry > 0 || depths.dlq > 0)
    failures.push(`retry queue holds ${depths.retry}, DLQ ${depths.dlq} message(s)`);

  // 3. The weekly report of those findings, rendered offline for every channel.
  const reportEntry = await demoReportEntry(
    [...batches.flat(), ...burst].map((item) => item.event),
    config as { channels: unknown[]; accountNames?: Record<string, string> },
    { lastEventProcessedAt: new Date().toISOString(), queueDepth: depths.retry, dlqDepth: depths.dlq },
  );
  entries.push(reportEntry);
  log(`report: ${reportEntry.heading}, rendered for ${reportEntry.deliveries.length} channel(s)`);

  // --- Summary ---
  const summary: GallerySummaryRow[] = channels.map((c) => {
    const m = metrics.get(c.name);
    return {
      channel: c.name,
      type: c.type,
      received: received.get(c.name) ?? 0,
      delivered: m?.Delivered ?? 0,
      suppressed: m?.Suppressed ?? 0,
      failed: m?.Failed ?? 0,
    };
  });
  const totalFindings = findingsReplayed + burst.length;
  console.log('');
  console.log(
    table([
      ['Channel', 'Type', 'Received', 'Delivered', 'Suppressed by routing', 'Failed'],
      ...summary.map((r) => [
        r.channel,
        r.type,
        String(r.received),
        String(r.delivered),
        String(r.suppressed),
        String(r.failed),
      ]),
    ]),
  );
  const notes = [
    `${totalFindings} findings: ${findingsReplayed} replayed in ${batches.length} SQS batches (the last one the updates), then ${burst.length} from the sandbox account in one batch.`,
    "Received = notifications the channel's receiver got; Delivered and Suppressed by routing = the handler's own per-channel metrics (EMF lines), counted in findings, so a digest is 1 received for several delivered.",
    `Retry queue: ${depths.retry} message(s); dead-letter queue: ${depths.dlq}.`,
  ];
  console.log('');
  for (const n of notes) console.log(n);

  // --- Gallery ---
  const manifest = JSON.parse(readFileSync(join(ROOT, 'handler', 'dist', 'manifest.json'), 'utf8')) as {
    lambdaZipSha256?: string;
  };
  const zipSha = createHash('sha256').update(readFileSync(BUNDLE)).digest('base64');
  const bundleName =
    BUNDLE === COMMITTED_BUNDLE
      ? 'the committed bundle handler/dist/lambda.zip'
      : `the bundle ${BUNDLE} (not the committed one)`;
  const data: GalleryData = {
    title: 'guardduty-notify: what each channel receives',
    intro: [
      `${totalFindings} GuardDuty findings through ${bundleName} (sha256 ${zipSha}${manifest.lambdaZipSha256 === zipSha ? ', as in handler/dist/manifest.json' : ', not the one in handler/dist/manifest.json'}), run with the environment the Terraform module sets.`,
      "Every card is the notification a local stand-in received, rendered as the channel shows it: Slack, Teams (Microsoft's Adaptive Cards renderer), Google Chat and PagerDuty and a webhook over HTTP; email over SMTP with STARTTLS; SNS through an SQS subscription on the moto emulator.",
      "Finding text is attacker-controlled: everything on this page is escaped, the email HTML sits in a sandboxed frame, and the page's Content-Security-Policy runs no script but its own.",
    ],
    summary,
    notes,
    entries,
  };
  mkdirSync(OUT, { recursive: true });
  const { files, missing } = previewFiles();
  if (missing.length > 0) failures.push(`preview libraries not found: ${missing.join(', ')} (run npm ci)`);
  for (const f of files) writeFileSync(join(OUT, f.name), f.text);
  const html = galleryDocument(data, {
    kind: 'linked',
    styles: files.filter((f) => f.kind === 'style').map((f) => f.name),
    scripts: files.filter((f) => f.kind === 'script').map((f) => f.name),
  });
  writeFileSync(join(OUT, 'index.html'), html);
  writeFileSync(
    join(OUT, 'deliveries.json'),
    `${JSON.stringify({ config: { ...config, channels: channels.map((c) => ({ name: c.name, type: c.type })) }, summary, depths, entries }, null, 2)}\n`,
  );
  writeFileSync(join(OUT, 'handler.log'), `${handlerLines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  console.log('');
  log(
    `gallery: ${relative(process.cwd(), join(OUT, 'index.html')) || join(OUT, 'index.html')} (handler log: handler.log, captured payloads: deliveries.json)`,
  );

  if (failures.length > 0) {
    console.error(`\nThe demo saw ${failures.length} problem(s):\n  ${[...new Set(failures)].join('\n  ')}`);
    return 1;
  }
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  // After a signal the servers are being stopped under the demo's feet; that error is expected.
  if (!interrupted)
    console.error(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanup();
  log(code === 0 ? 'done; every server stopped' : 'stopped every server');
}
process.exit(code);
