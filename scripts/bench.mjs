// `make bench`: the performance figures of issue 7, measured on this machine,
// printed and written to bench/results.json (quoted by the README).
//
//   bundle        handler/dist/lambda.zip and each file's minified and deflated size
//   cold start    importing the committed bundle's index.mjs in a fresh Node process,
//                 against a naive bundle that eagerly imports the SDK clients, nodemailer, zod
//   throughput    findings/s through parse → normalise → route → render, all 7 channels
//   memory        peak RSS of one invocation with 1,000 findings, in a fresh process
//   burst         500 findings into a receiver enforcing Slack's 1 message/s per webhook,
//                 through the SQS event source mapping, against one message per finding
//   report        the weekly report of a 10,000-finding period (scripts/bench/report.mjs):
//                 normalise, aggregate, render every channel with Lambda's 128 MB V8 limits
//
// Numbers are measured, never asserted. `--quick` shortens every section (for
// trying the script; its numbers are not the ones to record).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { buildLikeLambda, buildNaiveBaseline, NAIVE_INTERACTION } from './bench/build.mjs';
import { createStateTable, scanTable, startInteractionWorld } from './bench/interaction.mjs';
import { kb, quantile, round, summary } from './bench/stats.mjs';
import { measureReport } from './bench/report.mjs';
import { googleChatWebhook } from '../harness/googleChat.mjs';
import { FIXTURES_DIR } from '../harness/fixtures.mjs';
import { startReceiver } from '../harness/http.mjs';
import { startMoto } from '../harness/moto.mjs';
import { pagerDutyEventsApi } from '../harness/pagerduty.mjs';
import { slackWebhook } from '../harness/slack.mjs';
import { startSmtpServer } from '../harness/smtp.mjs';
import { teamsWorkflow } from '../harness/teams.mjs';
import { signedWebhook } from '../harness/webhook.mjs';
import { extractZip } from '../harness/unzip.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
/**
 * `--only=coldstart,throughput,clicks,memory,burst,report` runs a subset (for trying the script; nothing is
 * written), unless `--record` is given too: then the sections run (and the bundle's) replace theirs in
 * bench/results.json, and `updatedSections` says when, at which commit and under which load.
 */
const ONLY = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (section) => !ONLY || ONLY.includes(section);
const PARTIAL = QUICK || ONLY !== undefined;
const RECORD_PARTIAL = !QUICK && ONLY !== undefined && process.argv.includes('--record');
if (process.argv.includes('--record') && process.env.GDN_BENCH_MEMORY_RUNS)
  throw new Error('GDN_BENCH_MEMORY_RUNS leaves memory runs out: unset it to record');
/** The Node that plays the Lambda container (memory, burst); GDN_BENCH_LAMBDA_NODE=<path> measures another version. */
const LAMBDA_NODE = process.env.GDN_BENCH_LAMBDA_NODE || process.execPath;
const benchStarted = Date.now();
const tmp = mkdtempSync(join(os.tmpdir(), 'gdn-bench-'));
const cleanups = [];
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// The SDK's Node 20 deprecation notice is noise here (Lambda runs Node 22).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const say = (line = '') => process.stdout.write(`${line}\n`);
/** What a receiver answered with a 2xx (the client saw it). */
const accepted = (receiver) => receiver.requests.filter((r) => r.accepted);
const heading = (title) => say(`\n== ${title} ${'='.repeat(Math.max(0, 72 - title.length))}`);
const _sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The machine's load average (1, 5, 15 min): the machine may be shared, so every section says it. */
const loadAverage = () => os.loadavg().map((n) => round(n, 1));

// --- Machine -------------------------------------------------------------------

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const cpus = os.cpus();
const machine = {
  cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
  cores: cpus.length,
  node: process.version,
  ...(LAMBDA_NODE !== process.execPath
    ? { lambdaNode: execFileSync(LAMBDA_NODE, ['--version'], { encoding: 'utf8' }).trim() }
    : {}),
  platform: `${os.platform()} ${os.release()}`,
  arch: os.arch(),
  memoryGB: round(os.totalmem() / 2 ** 30, 1),
};
const source = {
  commit: git('rev-parse', '--short', 'HEAD'),
  uncommittedChangesInHandler: (git('status', '--porcelain', '--', 'handler/src', 'handler/dist') ?? '') !== '',
};
heading('Machine');
say(
  `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.platform} ${machine.arch}, Node ${machine.node}${machine.lambdaNode ? ` (Lambda containers: Node ${machine.lambdaNode})` : ''}`,
);
say(
  `commit ${source.commit}${source.uncommittedChangesInHandler ? ' (handler/ has uncommitted changes)' : ''}${RECORD_PARTIAL ? ' · PARTIAL RUN: its sections are recorded in bench/results.json' : PARTIAL ? ' · QUICK/PARTIAL RUN: not for the record' : ''}`,
);

// --- Fixtures --------------------------------------------------------------------

const fixturesDir = FIXTURES_DIR;
const fixtureNames = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();
const fixtures = Object.fromEntries(fixtureNames.map((n) => [n, readFileSync(join(fixturesDir, `${n}.json`), 'utf8')]));
/** New findings only (updates and archived ones are suppressed by the default routing). */
const NEW_FINDINGS = fixtureNames.filter(
  (n) => !['archived-finding', 'update-finding', 'escalated-update'].includes(n),
);

/** `count` fixture events, cycling through the new findings from the `start`th, each with its own finding id. */
function freshBodies(count, start = 0) {
  return Array.from({ length: count }, (_, i) => {
    const text = fixtures[NEW_FINDINGS[(start + i) % NEW_FINDINGS.length]];
    const oldId = JSON.parse(text).detail.id;
    return JSON.stringify(JSON.parse(text.split(oldId).join(randomBytes(16).toString('hex'))));
  });
}

/** Fresh findings as SQS records, as many as fit an event of `maxBytes` (records as Lambda receives them). */
function recordsUpTo(maxBytes) {
  const records = [];
  let bytes = '{"Records":[]}'.length;
  for (;;) {
    const body = freshBodies(1, records.length)[0];
    const record = {
      messageId: randomUUID(),
      receiptHandle: randomBytes(140).toString('base64'),
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1700000000000',
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: '1700000000001',
      },
      messageAttributes: {},
      md5OfBody: randomBytes(16).toString('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:guardduty-notify',
      awsRegion: 'us-east-1',
    };
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (bytes + size > maxBytes) break;
    records.push(record);
    bytes += size;
  }
  return { records, bytes };
}

// --- Bundle size -------------------------------------------------------------------

heading('Bundle (handler/dist/lambda.zip)');
const zipBytes = readFileSync(join(root, 'handler/dist/lambda.zip'));
const bundleDir = join(tmp, 'lambda');
const entries = extractZip(zipBytes, bundleDir);

/**
 * The bundle this release is compared with in the same run (cold start): the
 * committed lambda.zip at `GDN_BENCH_BASELINE_REV`, by default the last commit
 * before this release's changes. Null (and said) where git or that commit is
 * not available, e.g. a shallow clone.
 */
const BASELINE_REV = process.env.GDN_BENCH_BASELINE_REV || '8faac3a';
function previousBundle() {
  try {
    const zip = execFileSync('git', ['-C', root, 'show', `${BASELINE_REV}:handler/dist/lambda.zip`], {
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const dir = join(tmp, 'previous');
    extractZip(zip, dir);
    return join(dir, 'index.mjs');
  } catch {
    say(`previous bundle ${BASELINE_REV} not available (no git history here): cold start has no same-run baseline`);
    return null;
  }
}

/** Files `index.mjs` loads at import: its static imports, transitively (dynamic `import()` excluded). */
function coldPath(start) {
  const byName = new Map(entries.map((e) => [e.name, e.data.toString('utf8')]));
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name) || !byName.has(name)) return;
    seen.add(name);
    const code = byName.get(name);
    const patterns = [
      /\bimport\s*(?:[^"'()]*?\bfrom\s*)?["'](\.\.?\/[^"']+)["']/g,
      /\bexport\s*(?:\*|\{[^}]*\})\s*from\s*["'](\.\.?\/[^"']+)["']/g,
    ];
    for (const pattern of patterns)
      for (const m of code.matchAll(pattern)) visit(posix.normalize(posix.join(posix.dirname(name), m[1])));
  };
  visit(start);
  return seen;
}
/**
 * Where each AWS SDK client the bundle carries sits: the chunk holding its
 * signing name, and whether each entry imports that chunk statically (paid at
 * cold start) or only through a dynamic `import()` (on first use).
 */
function sdkClientPlacement(zipEntries, coldPaths) {
  const clients = ['guardduty', 'dynamodb', 'secretsmanager', 'sns', 'organizations'];
  return Object.fromEntries(
    clients.map((client) => {
      const marker = `defaultSigningName:"${client}"`;
      const file = zipEntries.find((e) => e.data.includes(marker))?.name ?? null;
      const placement = (path) => (file === null ? 'absent' : path.has(file) ? 'STATIC (cold start)' : 'lazy');
      return [
        client,
        { file, ...Object.fromEntries(Object.entries(coldPaths).map(([entry, path]) => [entry, placement(path)])) },
      ];
    }),
  );
}
const cold = coldPath('index.mjs');
const interactionCold = coldPath('interaction.mjs');
const files = entries
  .map((e) => ({
    name: e.name,
    minifiedBytes: e.data.length,
    deflateBytes: deflateRawSync(e.data, { level: 9 }).length,
    loadedAtColdStart: cold.has(e.name),
    loadedAtInteractionColdStart: interactionCold.has(e.name),
  }))
  .sort((a, b) => b.minifiedBytes - a.minifiedBytes);
const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);
const bundle = {
  zipBytes: zipBytes.length,
  zipMethod: entries.every((e) => e.method === 0) ? 'stored (deterministic, scripts/zip.mjs)' : 'deflate',
  minifiedBytes: sum(files, 'minifiedBytes'),
  deflateBytes: sum(files, 'deflateBytes'),
  coldStartMinifiedBytes: sum(
    files.filter((f) => f.loadedAtColdStart),
    'minifiedBytes',
  ),
  coldStartDeflateBytes: sum(
    files.filter((f) => f.loadedAtColdStart),
    'deflateBytes',
  ),
  interactionColdStartMinifiedBytes: sum(
    files.filter((f) => f.loadedAtInteractionColdStart),
    'minifiedBytes',
  ),
  sdkClients: sdkClientPlacement(entries, { notifier: cold, interaction: interactionCold }),
  files,
};
say(
  `interaction.mjs + its static imports: ${kb(bundle.interactionColdStartMinifiedBytes)} minified (shared chunks counted in both)`,
);
for (const [client, where] of Object.entries(bundle.sdkClients))
  say(
    `  SDK client ${client.padEnd(15)} ${where.file ?? 'not in the bundle'}: ${where.file ? `notifier ${where.notifier}, interaction ${where.interaction}` : ''}`,
  );
say(`lambda.zip ${bundle.zipBytes.toLocaleString('en')} bytes (${kb(bundle.zipBytes)}, ${bundle.zipMethod})`);
say(`minified total ${kb(bundle.minifiedBytes)}, deflated (zlib level 9) ${kb(bundle.deflateBytes)}`);
say(
  `loaded at cold start (index.mjs + static imports): ${kb(bundle.coldStartMinifiedBytes)} minified, ${kb(bundle.coldStartDeflateBytes)} deflated`,
);
for (const f of files)
  say(
    `  ${f.name.padEnd(36)} ${kb(f.minifiedBytes).padStart(10)} ${kb(f.deflateBytes).padStart(10)} deflated  ${f.loadedAtColdStart ? 'cold start' : 'lazy (on first use)'}`,
  );

// --- Cold start ------------------------------------------------------------------------

let coldStart = null;
if (wanted('coldstart')) {
  heading('Cold start: module init in a fresh Node process (notifier and interaction endpoint)');
  const loadBefore = loadAverage();
  const naiveFile = join(tmp, 'naive', 'naive.mjs');
  const naiveBytes = await buildNaiveBaseline(root, naiveFile);
  const naiveInteractionFile = join(tmp, 'naive-interaction', 'naive.mjs');
  const naiveInteractionBytes = await buildNaiveBaseline(root, naiveInteractionFile, NAIVE_INTERACTION);
  const emptyFile = join(tmp, 'empty.mjs');
  writeFileSync(emptyFile, 'export {};\n');
  const importTime = join(root, 'scripts/bench/import-time.mjs');
  const coldRuns = QUICK ? 6 : 25;
  const previousFile = previousBundle();
  const candidates = {
    bundle: join(bundleDir, 'index.mjs'),
    ...(previousFile ? { previous: previousFile } : {}),
    naive: naiveFile,
    interaction: join(bundleDir, 'interaction.mjs'),
    naiveInteraction: naiveInteractionFile,
    empty: emptyFile,
  };
  const samples = Object.fromEntries(Object.keys(candidates).map((key) => [key, []]));
  const cpuSamples = Object.fromEntries(Object.keys(candidates).map((key) => [key, []]));
  for (let i = 0; i <= coldRuns; i++) {
    for (const [key, file] of Object.entries(candidates)) {
      const out = execFileSync(process.execPath, [importTime, file], { encoding: 'utf8', env: process.env });
      if (i === 0) continue; // round 0 warms the file cache
      const run = JSON.parse(out.trim().split('\n').pop());
      samples[key].push(run.importMs);
      cpuSamples[key].push(run.importCpuMs);
    }
  }
  const cpu = (key) => ({ cpuMedian: summary(cpuSamples[key]).median, cpuP90: summary(cpuSamples[key]).p90 });
  coldStart = {
    runsEach: coldRuns,
    method:
      'performance.now() around `await import(<entry>.mjs)` in a new `node` process (and process.cpuUsage(), user + system, for cpuMedian: unlike the wall clock it excludes waiting for a core on a shared machine); runs interleaved, a warm-up round discarded',
    loadAverage: { before: loadBefore, after: loadAverage() },
    targetMedianMs: 20,
    bundle: { ...summary(samples.bundle), ...cpu('bundle') },
    naive: {
      minifiedBytes: naiveBytes,
      ...summary(samples.naive),
      ...cpu('naive'),
      contents:
        '@aws-sdk/client-secrets-manager, -sns, -organizations, nodemailer, zod (classic, all locales), imported eagerly',
    },
    interaction: {
      entry: 'interaction.mjs',
      targetMedianMs: 25,
      ...summary(samples.interaction),
      ...cpu('interaction'),
    },
    naiveInteraction: {
      minifiedBytes: naiveInteractionBytes,
      ...summary(samples.naiveInteraction),
      ...cpu('naiveInteraction'),
      contents: '@aws-sdk/client-guardduty, -dynamodb, -secrets-manager, zod (classic, all locales), imported eagerly',
    },
    empty: summary(samples.empty),
    previous: previousFile
      ? {
          rev: BASELINE_REV,
          note: 'the committed bundle before this release (index.mjs), measured interleaved in this run',
          ...summary(samples.previous),
          ...cpu('previous'),
        }
      : null,
  };
  if (coldStart.previous) {
    coldStart.ratioToPrevious = round(coldStart.bundle.median / coldStart.previous.median, 2);
    coldStart.cpuRatioToPrevious = round(coldStart.bundle.cpuMedian / coldStart.previous.cpuMedian, 2);
    // Each round imports both back to back, so the ratio within a round cancels the machine's drift
    // (a shared host's speed varies by tens of percent over a run); its median is the verdict.
    const paired = cpuSamples.bundle.map((ms, i) => ms / cpuSamples.previous[i]);
    coldStart.pairedCpuRatioMedian = round(summary(paired).median, 2);
    coldStart.noRegression = coldStart.pairedCpuRatioMedian <= 1.05;
  }
  coldStart.ratioNaiveToBundle = round(coldStart.naive.median / coldStart.bundle.median, 2);
  coldStart.meetsTarget = coldStart.bundle.median <= coldStart.targetMedianMs;
  coldStart.interaction.ratioNaiveToBundle = round(coldStart.naiveInteraction.median / coldStart.interaction.median, 2);
  coldStart.interaction.meetsTarget = coldStart.interaction.median <= coldStart.interaction.targetMedianMs;
  say(`load average (1/5/15 min) before ${loadBefore.join(' / ')}, after ${coldStart.loadAverage.after.join(' / ')}`);
  say(
    `notifier (index.mjs): median ${coldStart.bundle.median} ms, p90 ${coldStart.bundle.p90} ms, CPU median ${coldStart.bundle.cpuMedian} ms (target ≤ ${coldStart.targetMedianMs} ms: ${coldStart.meetsTarget ? 'met' : 'NOT met'})`,
  );
  say(
    `  naive baseline (${kb(naiveBytes)} minified): median ${coldStart.naive.median} ms, p90 ${coldStart.naive.p90} ms, CPU median ${coldStart.naive.cpuMedian} ms → ${coldStart.ratioNaiveToBundle}× the bundle`,
  );
  const ix = coldStart.interaction;
  say(
    `interaction endpoint (interaction.mjs): median ${ix.median} ms, p90 ${ix.p90} ms, CPU median ${ix.cpuMedian} ms (target ≤ ${ix.targetMedianMs} ms: ${ix.meetsTarget ? 'met' : 'NOT met'})`,
  );
  say(
    `  naive baseline (${kb(naiveInteractionBytes)} minified): median ${coldStart.naiveInteraction.median} ms, p90 ${coldStart.naiveInteraction.p90} ms, CPU median ${coldStart.naiveInteraction.cpuMedian} ms → ${ix.ratioNaiveToBundle}× the bundle`,
  );
  if (coldStart.previous)
    say(
      `  previous bundle (${BASELINE_REV}): median ${coldStart.previous.median} ms, CPU median ${coldStart.previous.cpuMedian} ms → this release ${coldStart.ratioToPrevious}× its wall time, ${coldStart.cpuRatioToPrevious}× its CPU; per round ${coldStart.pairedCpuRatioMedian}× (median of the rounds' CPU ratios: ${coldStart.noRegression ? 'no regression' : 'REGRESSED'}, limit 1.05×)`,
    );
  say(`empty module: median ${coldStart.empty.median} ms (Node's own floor)`);
}

// --- Throughput -------------------------------------------------------------------------

let throughput = null;
if (wanted('throughput')) {
  heading('Throughput: parse → normalise → route → render, 7 channels, in-process');
  await buildLikeLambda(root, { pipeline: 'scripts/bench/entries/pipeline.ts' }, join(tmp, 'pipeline'));
  const { createPipeline } = await import(pathToFileURL(join(tmp, 'pipeline', 'pipeline.mjs')).href);
  const renderConfig = {
    defaults: { minSeverity: 'LOW', notifyOn: 'all', includeSamples: true, includeArchived: true },
    accountNames: { 111122223333: 'prod-payments' },
    channels: [
      { name: 'slack', type: 'slack', webhookUrl: 'https://hooks.slack.com/services/T0/B0/X', mention: '<!here>' },
      { name: 'teams', type: 'teams', webhookUrl: 'https://example.webhook.office.com/workflows/x' },
      {
        name: 'chat',
        type: 'googleChat',
        webhookUrl: 'https://chat.googleapis.com/v1/spaces/A/messages?key=k&token=t',
      },
      {
        name: 'email',
        type: 'email',
        smtp: { host: 'smtp.example.com' },
        from: 'GuardDuty <gd@example.com>',
        to: ['sec@example.com'],
      },
      { name: 'sns', type: 'sns', topicArn: 'arn:aws:sns:us-east-1:111122223333:guardduty' },
      { name: 'pd', type: 'pagerduty', routingKey: 'R0UT1NGKEY0000000000000000000000' },
      { name: 'siem', type: 'webhook', url: 'https://siem.example.com/in', hmacSecret: 'bench-hmac-secret-0123456789' },
    ],
  };
  const corpus = fixtureNames.map((n, i) => ({ id: `m${i}`, body: JSON.stringify(JSON.parse(fixtures[n])) }));
  const pipeline = createPipeline(JSON.stringify(renderConfig));
  const pass = () => {
    let renders = 0;
    let bytes = 0;
    for (const { id, body } of corpus) {
      const r = pipeline(id, body);
      renders += r.renders;
      bytes += r.bytes;
    }
    return { renders, bytes };
  };
  for (let i = 0; i < (QUICK ? 3 : 20); i++) pass(); // JIT warm-up
  const rates = [];
  let perPass;
  for (let s = 0; s < (QUICK ? 2 : 5); s++) {
    let findings = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < (QUICK ? 300 : 1_500)) {
      perPass = pass();
      findings += corpus.length;
    }
    rates.push(findings / ((performance.now() - t0) / 1000));
  }
  const fps = summary(rates);
  throughput = {
    corpusFindings: corpus.length,
    channels: renderConfig.channels.length,
    rendersPerFinding: round(perPass.renders / corpus.length, 2),
    payloadBytesPerFinding: Math.round(perPass.bytes / corpus.length),
    findingsPerSecond: Math.round(fps.median),
    rendersPerSecond: Math.round((fps.median * perPass.renders) / corpus.length),
    microsecondsPerFinding: round(1e6 / fps.median, 0),
    samples: rates.map((r) => Math.round(r)),
    note: 'bundle built from handler/src with the Lambda build options; render includes serialising each payload as its channel sends it',
  };
  say(
    `${throughput.findingsPerSecond.toLocaleString('en')} findings/s (${throughput.microsecondsPerFinding} µs each) · ${throughput.rendersPerSecond.toLocaleString('en')} payloads/s · ${throughput.rendersPerFinding} payloads per finding, ${kb(throughput.payloadBytesPerFinding)} per finding`,
  );
  say(`corpus: the ${corpus.length} fixture events, repeated; median of ${rates.length} samples`);
}

// --- AWS emulator, destinations, helpers for the process-level runs ----------------------

try {
  const moto = await startMoto();
  cleanups.push(() => moto.stop());
  Object.assign(process.env, moto.env);
  const { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } = await import(
    '@aws-sdk/client-sqs'
  );
  const { SecretsManagerClient, CreateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  const { SNSClient, CreateTopicCommand } = await import('@aws-sdk/client-sns');
  const sqs = new SQSClient({});
  const secrets = new SecretsManagerClient({});
  const sns = new SNSClient({});
  let resourceCounter = 0;

  async function queues() {
    const n = ++resourceCounter;
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `bench-dlq-${n}` }));
    const dlqArn = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: `bench-${n}`,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn.Attributes.QueueArn, maxReceiveCount: 10 }),
        },
      }),
    );
    return { main: main.QueueUrl, dlq: dlq.QueueUrl };
  }
  async function depth(url) {
    const a = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return Object.values(a.Attributes ?? {}).reduce((n, v) => n + Number(v), 0);
  }
  async function secret(config) {
    const s = await secrets.send(
      new CreateSecretCommand({ Name: `bench-config-${++resourceCounter}`, SecretString: JSON.stringify(config) }),
    );
    return s.ARN;
  }
  async function put(queueUrl, bodies) {
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })),
        }),
      );
    }
  }

  /** Runs the committed bundle's handler in a fresh process; returns its log lines and result. */
  function lambdaChild(args, env, timeoutMs, nodeArgs = [], script = 'scripts/bench/lambda-child.mjs') {
    return new Promise((resolve, reject) => {
      const child = spawn(LAMBDA_NODE, [...nodeArgs, join(root, script), ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('exit', (code) => {
        clearTimeout(timer);
        const lines = stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => {
            try {
              return JSON.parse(l);
            } catch {
              return {};
            }
          });
        const result = lines.findLast((l) => l.bench === true);
        const broken = lines.find((l) => l.level === 'ERROR' && String(l.message).startsWith('config unavailable'));
        if (broken) reject(new Error(`the bench's config did not load: ${broken.error}`));
        else if (code !== 0 || !result) reject(new Error(`lambda child exited ${code}: ${stderr}`));
        else resolve({ logs: lines.filter((l) => l.service === 'guardduty-notify'), result });
      });
    });
  }
  /** Builds a bench entry (scripts/bench/entries/<name>.ts) from handler/src like the Lambda bundle, and imports it. */
  async function importBenchEntry(name) {
    await buildLikeLambda(root, { [name]: `scripts/bench/entries/${name}.ts` }, join(tmp, `entry-${name}`));
    return import(pathToFileURL(join(tmp, `entry-${name}`, `${name}.mjs`)).href);
  }
  const lambdaEnv = (secretArn, q, extra = {}) => ({
    GDN_CONFIG_SECRET_ARN: secretArn,
    GDN_RETRY_QUEUE_URL: q.main,
    GDN_DLQ_URL: q.dlq,
    GDN_LOG_LEVEL: 'INFO',
    ...extra,
  });

  // --- Slack clicks through the interaction endpoint ------------------------------------

  let clicks = null;
  if (wanted('clicks')) {
    heading('Clicks: signed Slack clicks → interaction endpoint → GuardDuty (moto) + state table → response_url');
    const loadBefore = loadAverage();
    const CLICKS = QUICK ? 40 : 200;
    const { ACTION_IDS, buttonValue, slackSignature } = await importBenchEntry('clicks');
    await createStateTable('gdn-bench-clicks');
    const app = await startInteractionWorld(moto, { secret, table: 'gdn-bench-clicks' });
    cleanups.push(() => app.slack.close());
    // Half the findings archived, the other half acknowledged: every click does its full work once.
    const ids = Array.from({ length: CLICKS / 2 }, () => randomBytes(16).toString('hex'));
    await app.seed(ids);
    const plan = ids.flatMap((id) => [
      { id, button: 'archive' },
      { id, button: 'acknowledge' },
    ]);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const events = plan.map(({ id, button }) => {
      const payload = {
        type: 'block_actions',
        team: { id: app.team, domain: 'bench' },
        user: { id: app.user, username: 'bench', team_id: app.team },
        channel: { id: 'C0SECURITY' },
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SECURITY' },
        response_url: app.slack.url(`/response/${button}/${id}`),
        actions: [
          {
            action_id: ACTION_IDS[button],
            block_id: 'gdn_actions',
            value: buttonValue({ id, region: app.region, accountId: app.account }),
            action_ts: '1700000001.000200',
          },
        ],
      };
      // Slack's form encoding and signature (v0:<timestamp>:<raw body>), as a function URL event.
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return {
        version: '2.0',
        rawPath: '/',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(nowSeconds),
          'x-slack-signature': slackSignature(app.signingSecret, String(nowSeconds), body),
        },
        body,
        isBase64Encoded: false,
        requestContext: { http: { method: 'POST', sourceIp: '127.0.0.1' } },
      };
    });
    const eventsFile = join(tmp, 'clicks.json');
    writeFileSync(eventsFile, JSON.stringify(events));
    const run = await lambdaChild(
      [bundleDir, eventsFile],
      {
        GDN_CONFIG_SECRET_ARN: app.secretArn,
        GDN_STATE_TABLE: app.table,
        GDN_LOG_LEVEL: 'WARN',
      },
      CLICKS * 5_000,
      [],
      'scripts/bench/interaction-child.mjs',
    );
    // What the clicks did, read back from the emulator and the stand-in (not from the function's word).
    const done = await app.outcome(ids);
    const times = run.result.clicks.map((c) => c.ms);
    const warm = times.slice(1);
    const latency = (values) => ({
      p50: round(quantile(values, 0.5)),
      p90: round(quantile(values, 0.9)),
      p99: round(quantile(values, 0.99)),
      max: round(Math.max(...values)),
    });
    clicks = {
      clicks: CLICKS,
      actions: { archive: CLICKS / 2, acknowledge: CLICKS / 2 },
      loadAverage: { before: loadBefore, after: loadAverage() },
      method:
        "the committed bundle's interaction.mjs in a fresh process (scripts/bench/interaction-child.mjs) with the function's environment; clicks one after another; each timed from the signed function URL event in to the handler's answer, after the action (claim in the DynamoDB state table, GuardDuty GetFindings + ArchiveFindings on moto) and the response_url follow-up are done",
      targetP99Ms: 300,
      importMs: round(run.result.importMs),
      firstClickMs: round(times[0]),
      all: latency(times),
      afterFirst: latency(warm),
      meetsTarget: quantile(times, 0.99) <= 300,
      statuses: Object.fromEntries(
        [...new Set(run.result.clicks.map((c) => c.status))].map((st) => [
          st,
          run.result.clicks.filter((c) => c.status === st).length,
        ]),
      ),
      outcome: done,
      maxRssMB: round(run.result.maxRssKb / 1024, 1),
    };
    say(`load average (1/5/15 min) before ${loadBefore.join(' / ')}, after ${clicks.loadAverage.after.join(' / ')}`);
    say(
      `${CLICKS} clicks (${CLICKS / 2} archive, ${CLICKS / 2} acknowledge): p50 ${clicks.all.p50} ms, p99 ${clicks.all.p99} ms, max ${clicks.all.max} ms (target p99 ≤ 300 ms: ${clicks.meetsTarget ? 'met' : 'NOT met'})`,
    );
    say(
      `  first click ${clicks.firstClickMs} ms (config secret read, SDK clients loaded); after it: p50 ${clicks.afterFirst.p50} ms, p99 ${clicks.afterFirst.p99} ms · import ${clicks.importMs} ms · HTTP ${JSON.stringify(clicks.statuses)}`,
    );
    say(
      `  done: ${done.archived}/${CLICKS / 2} findings archived in GuardDuty, ${done.claims} claims in the state table, ${done.replies.done} "done" replies and ${done.replies.other} others at response_url`,
    );
  }

  // --- Peak RSS for 1,000 findings ------------------------------------------------------

  let memory = null;
  if (wanted('memory')) {
    heading('Memory: one invocation with 1,000 findings, fresh process');
    // The harness's stand-ins (no rate limits here: this measures the function, not the services).
    const http = {
      slack: await startReceiver(slackWebhook()),
      teams: await startReceiver(teamsWorkflow()),
      chat: await startReceiver(googleChatWebhook()),
      pd: await startReceiver(pagerDutyEventsApi()),
      webhook: await startReceiver(signedWebhook()),
    };
    // Plain SMTP, nothing parsed: the bench measures the sender, not TLS.
    const smtp = await startSmtpServer({ tls: false, parse: false });
    for (const r of [...Object.values(http), smtp]) cleanups.push(() => r.close());
    const topic = await sns.send(new CreateTopicCommand({ Name: 'bench-audit' }));
    const allChannels = {
      channels: [
        { name: 'slack', type: 'slack', webhookUrl: http.slack.url('/services/T0/B0/bench') },
        { name: 'teams', type: 'teams', webhookUrl: http.teams.url('/workflows/bench/triggers/manual/paths/invoke') },
        { name: 'chat', type: 'googleChat', webhookUrl: http.chat.url('/v1/spaces/BENCH/messages?key=k&token=t') },
        {
          name: 'email',
          type: 'email',
          smtp: { host: '127.0.0.1', port: smtp.port, requireTls: false },
          from: 'GuardDuty <gd@example.com>',
          to: ['sec@example.com'],
        },
        { name: 'sns', type: 'sns', topicArn: topic.TopicArn },
        {
          name: 'pd',
          type: 'pagerduty',
          routingKey: 'R0UT1NGKEY0000000000000000000000',
          eventsUrl: http.pd.url('/v2/enqueue'),
        },
        { name: 'siem', type: 'webhook', url: http.webhook.url('/siem') },
      ],
    };
    // GDN_BENCH_MEMORY_CHANNELS=siem,pd keeps only the named channels (to find where memory goes).
    const only = process.env.GDN_BENCH_MEMORY_CHANNELS?.split(',');
    if (only) allChannels.channels = allChannels.channels.filter((c) => only.includes(c.name));
    const memoryFindings = QUICK ? 200 : 1_000;
    const recordsFile = join(tmp, 'records.json');
    writeFileSync(
      recordsFile,
      JSON.stringify(freshBodies(memoryFindings).map((body, i) => ({ messageId: `rss-${i}`, body }))),
    );
    // The most one invocation can receive: Lambda caps a synchronous invocation's
    // payload at 6 MB, so the event source mapping never hands over more.
    const fullRecordsFile = join(tmp, 'records-6mb.json');
    const fullRecords = recordsUpTo(6 * 2 ** 20);
    writeFileSync(fullRecordsFile, JSON.stringify(fullRecords.records));
    // Lambda's Node.js bootstrap sizes V8 from the function memory: new space = memory / 10,
    // semi-space = half of it, old space = the rest (public copies of /var/runtime/bootstrap).
    const lambdaFlags = (mbytes) => [
      `--max-semi-space-size=${Math.floor(mbytes / 20)}`,
      `--max-old-space-size=${mbytes - Math.floor(mbytes / 10)}`,
    ];
    const memoryRun = async (nodeArgs, file = recordsFile, extraEnv = {}) => {
      http.pd.reset();
      http.webhook.reset();
      const q = await queues();
      const run = await lambdaChild(
        ['rss', bundleDir, file],
        lambdaEnv(await secret(allChannels), q, extraEnv),
        300_000,
        nodeArgs,
      );
      return { ...run, received: { pagerduty: accepted(http.pd).length, webhook: accepted(http.webhook).length } };
    };
    const extraArgs = process.env.GDN_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    // GDN_BENCH_MEMORY_RUNS=state keeps only the named runs (stateless, defaults, largest, state): for
    // trying a change; a recorded figure runs them all.
    const runs = process.env.GDN_BENCH_MEMORY_RUNS?.split(',') ?? ['stateless', 'defaults', 'largest', 'state'];
    const skipped = {
      result: { maxRssKb: 0, rssAfterImport: 0, heapUsed: 0, peak: {}, ms: 0 },
      logs: [],
      received: {},
    };
    const runIf = (name, run) => (runs.includes(name) ? run() : skipped);
    const rss128 = await runIf('stateless', () => memoryRun([...lambdaFlags(128), ...extraArgs]));
    const rssDefault = await runIf('defaults', () => memoryRun([]));
    const rssFull =
      QUICK || !runs.includes('largest') ? null : await memoryRun([...lambdaFlags(128), ...extraArgs], fullRecordsFile);
    // The same 1,000 findings with the state table on (issue 17): receipts, finding records and
    // message references written to a moto DynamoDB table as the module creates it.
    // The table lives in an emulator of its own (the SDK's service-specific endpoint variable):
    // one moto process serialises its requests, and the SQS/SNS traffic of the same run would
    // otherwise queue in front of the state calls, whose timeouts are sized for DynamoDB's
    // single-digit milliseconds (a timed-out call fails open, and the figure would show less state work).
    const stateLoadBefore = loadAverage();
    const stateMoto = await startMoto();
    cleanups.push(() => stateMoto.stop());
    const stateTableName = 'gdn-bench-memory-state';
    await createStateTable(stateTableName, stateMoto.endpoint);
    const rssState = await runIf('state', () =>
      memoryRun([...lambdaFlags(128), ...extraArgs], recordsFile, {
        GDN_STATE_TABLE: stateTableName,
        AWS_ENDPOINT_URL_DYNAMODB: stateMoto.endpoint,
      }),
    );
    const stateItems = await scanTable(stateTableName, stateMoto.endpoint);
    const rssRun = rss128;
    const batchLog = rssRun.logs.find((l) => l.message === 'batch processed') ?? {};
    const mb = (bytes) => round(bytes / 2 ** 20, 1);
    memory = {
      findings: memoryFindings,
      channels: allChannels.channels.length,
      digests:
        'defaults (Slack, Teams, Google Chat, email digest above 10 findings; SNS, PagerDuty, webhook one message per finding)',
      nodeFlags: lambdaFlags(128).join(' '),
      maxRssMB: round(rssRun.result.maxRssKb / 1024, 1),
      maxRssMBWithNodeDefaults: round(rssDefault.result.maxRssKb / 1024, 1),
      rssAfterImportMB: mb(rssRun.result.rssAfterImport),
      heapUsedAtEndMB: mb(rssRun.result.heapUsed),
      peaksMB: Object.fromEntries(Object.entries(rssRun.result.peak).map(([k, v]) => [k, mb(v)])),
      rssBreakdownAtEndMB: rssRun.result.breakdown,
      functionMemoryMB: 128,
      fits128MB: rssRun.result.maxRssKb / 1024 < 128,
      invocationMs: Math.round(rssRun.result.ms),
      failures: rssRun.result.failures,
      summary: {
        delivered: batchLog.delivered,
        suppressed: batchLog.suppressed,
        requeued: batchLog.requeued,
        deadLettered: batchLog.deadLettered,
      },
      received: { ...rssRun.received },
      largestEvent: rssFull && {
        eventMB: round(fullRecords.bytes / 2 ** 20, 2),
        findings: fullRecords.records.length,
        maxRssMB: round(rssFull.result.maxRssKb / 1024, 1),
        fits128MB: rssFull.result.maxRssKb / 1024 < 128,
        invocationMs: Math.round(rssFull.result.ms),
        delivered: rssFull.logs.find((l) => l.message === 'batch processed')?.delivered,
      },
      withStateTable: {
        maxRssMB: round(rssState.result.maxRssKb / 1024, 1),
        fits128MB: rssState.result.maxRssKb / 1024 < 128,
        rssAfterImportMB: mb(rssState.result.rssAfterImport),
        peaksMB: Object.fromEntries(Object.entries(rssState.result.peak).map(([k, v]) => [k, mb(v)])),
        invocationMs: Math.round(rssState.result.ms),
        failures: rssState.result.failures,
        delivered: rssState.logs.find((l) => l.message === 'batch processed')?.delivered,
        received: { ...rssState.received },
        tableItemsWritten: stateItems.length,
        tableItemKinds: Object.fromEntries(
          [...new Set(stateItems.map((item) => String(item.sk).split('#')[0]))].map((kind) => [
            kind,
            stateItems.filter((item) => String(item.sk).split('#')[0] === kind).length,
          ]),
        ),
        stateUnavailableWarnings: rssState.logs.filter((l) => String(l.message).startsWith('state table unavailable'))
          .length,
        // Fail-open at work: every outage's first failure (the rest of an outage is skipped, then counted).
        stateOutages: rssState.logs
          .filter((l) => String(l.message).startsWith('state table unavailable'))
          .map((l) => ({
            operation: l.operation,
            reason: l.reason,
            error: `${l.errorName}: ${String(l.errorMessage).slice(0, 160)}`,
          })),
        loadAverage: { before: stateLoadBefore, after: loadAverage() },
        note: 'GDN_STATE_TABLE set to a moto DynamoDB table (pk/sk, TTL on expiresAt); same records, flags and channels as the stateless figure; the item count is read back from the table',
      },
      note: "the committed bundle (handler/dist/lambda.zip) in a fresh process (scripts/bench/lambda-child.mjs) with the V8 limits Lambda derives for 128 MB; maxRSS from process.resourceUsage() includes Node itself and the records; the second figure is the same run with Node's default limits; largestEvent is a 6 MB event, the most Lambda hands one invocation",
    };
    say(
      `peak RSS ${memory.maxRssMB} MB for ${memoryFindings.toLocaleString('en')} findings × ${memory.channels} channels with Lambda's 128 MB V8 limits (${memory.nodeFlags}) → ${memory.fits128MB ? 'fits' : 'does NOT fit'} a 128 MB function`,
    );
    say(
      `  with Node's default V8 limits: ${memory.maxRssMBWithNodeDefaults} MB · after import: ${memory.rssAfterImportMB} MB · heap used at the end ${memory.heapUsedAtEndMB} MB`,
    );
    say(
      `  peaks sampled every 20 ms (MB): ${Object.entries(memory.peaksMB)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ')}`,
    );
    if (memory.rssBreakdownAtEndMB)
      say(
        `  resident at the end (MB): ${Object.entries(memory.rssBreakdownAtEndMB)
          .map(([k, v]) => `${k} ${v}`)
          .join(' · ')}`,
      );
    say(
      `  invocation ${(memory.invocationMs / 1000).toFixed(1)} s · pairs delivered ${memory.summary.delivered} · PagerDuty received ${memory.received.pagerduty}, webhook ${memory.received.webhook}`,
    );
    {
      const st = memory.withStateTable;
      say(
        `with the state table on (GDN_STATE_TABLE, moto DynamoDB): ${st.stateOutages.map((o) => `outage: ${o.operation} ${o.reason} ${o.error}`).join(' · ')} peak RSS ${st.maxRssMB} MB → ${st.fits128MB ? 'fits' : 'does NOT fit'} a 128 MB function (stateless: ${memory.maxRssMB} MB) · ${(st.invocationMs / 1000).toFixed(1)} s · pairs delivered ${st.delivered} · ${st.tableItemsWritten} items in the table ${JSON.stringify(st.tableItemKinds)} · ${st.stateUnavailableWarnings} "state table unavailable" warnings · load ${st.loadAverage.before.join(' / ')}`,
      );
    }
    if (memory.largestEvent) {
      const l = memory.largestEvent;
      say(
        `largest event Lambda delivers (${l.eventMB} MB, ${l.findings.toLocaleString('en')} findings): peak RSS ${l.maxRssMB} MB → ${l.fits128MB ? 'fits' : 'does NOT fit'} a 128 MB function · ${(l.invocationMs / 1000).toFixed(1)} s · pairs delivered ${l.delivered}`,
      );
    }
  }

  // --- Burst against Slack's rate limit ---------------------------------------------------

  let burstResult = null;
  if (wanted('burst')) {
    heading("Burst: 500 findings, Slack's 1 message/s per webhook, SQS event source mapping");
    const variables = readFileSync(
      join(
        root,
        existsSync(join(root, 'modules/notifier/variables.tf')) ? 'modules/notifier/variables.tf' : 'variables.tf',
      ),
      'utf8',
    );
    const batchMatch = /variable\s+"event_source_batch_size"\s*\{[\s\S]*?default\s*=\s*(\d+)/.exec(variables);
    const moduleBatchSize = batchMatch ? Number(batchMatch[1]) : 100;
    const batchNote = batchMatch
      ? 'default of event_source_batch_size in modules/notifier/variables.tf'
      : 'event_source_batch_size not found; 100 assumed';
    // Slack's stand-in enforcing its documented one message per second per webhook (429 + Retry-After: 1).
    const slack = await startReceiver(slackWebhook({ rateLimit: true }));
    cleanups.push(() => slack.close());
    const BURST = 500;

    /** One burst run: `count` findings queued, then played through a fresh container until drained. */
    async function burst({ label, count, batchSize, digestThreshold }) {
      slack.reset();
      slack.fallback = slackWebhook({ rateLimit: true }); // a fresh rate window per run
      const q = await queues();
      const config = {
        channels: [
          {
            name: 'slack',
            type: 'slack',
            webhookUrl: slack.url('/services/T0/B0/burst'),
            ...(digestThreshold === undefined ? {} : { digestThreshold }),
          },
        ],
      };
      const bodies = freshBodies(count);
      const ids = new Set(bodies.map((b) => JSON.parse(b).detail.id));
      await put(q.main, bodies);
      const wallStart = performance.now();
      const deadlineMs = 30_000 + count * 1_500;
      const run = await lambdaChild(
        ['burst', bundleDir],
        lambdaEnv(await secret(config), q, {
          GDN_BENCH_QUEUE_URL: q.main,
          GDN_BENCH_BATCH_SIZE: String(batchSize),
          GDN_BENCH_DEADLINE_MS: String(deadlineMs),
        }),
        deadlineMs + 30_000,
      );
      const wallMs = performance.now() - wallStart;
      // What Slack accepted: single findings by id, digests by the count in their text.
      const seen = new Map();
      let digests = 0;
      let representedByDigests = 0;
      for (const m of accepted(slack)) {
        const digest = /GuardDuty digest:\**\s*(\d+) findings?/.exec(m.body);
        if (digest) {
          digests += 1;
          representedByDigests += Number(digest[1]);
          continue;
        }
        const id = [...ids].find((x) => m.body.includes(x));
        if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      // Digest members by id from the handler's own "delivered" log, checked against the counts Slack saw.
      const loggedDigestIds = run.logs
        .filter((l) => l.message === 'delivered' && l.channel === 'slack' && l.findings.length > 1)
        .flatMap((l) => l.findings);
      for (const id of loggedDigestIds) seen.set(id, (seen.get(id) ?? 0) + 1);
      const dlq = await depth(q.dlq);
      const left = await depth(q.main);
      const messages = accepted(slack).length;
      const seconds = run.result.ms / 1000;
      return {
        label,
        findings: count,
        batchSize,
        digestThreshold: digestThreshold === undefined ? 'default (10 for Slack)' : digestThreshold,
        invocations: run.result.invocations,
        slackMessages: messages,
        digests,
        rateLimited429: slack.requests.filter((r) => r.status === 429).length,
        represented: [...seen.keys()].filter((id) => ids.has(id)).length,
        duplicates: [...seen.values()].filter((n) => n > 1).length,
        lost: [...ids].filter((id) => !seen.has(id)).length - dlq,
        deadLettered: dlq,
        leftInQueue: left,
        accountingConsistent: representedByDigests === loggedDigestIds.length,
        seconds: round(seconds, 1),
        wallSecondsWithColdStart: round(wallMs / 1000, 1),
        rateLimitMinimumSeconds: messages,
        efficiency: messages > 0 ? round(Math.min(1, messages / seconds), 2) : null,
      };
    }

    const project = (run, total) => ({
      ...run,
      projectedFor: total,
      projectedSeconds: Math.round((run.seconds / run.findings) * total),
      projectedSlackMessages: Math.round((run.slackMessages / run.findings) * total),
    });
    const fmt = (r) =>
      `${String(r.findings).padStart(3)} findings, batch ${String(r.batchSize).padStart(3)}: ${String(r.slackMessages).padStart(3)} Slack messages (${r.digests} digests), ${r.invocations} invocations, ` +
      `${r.seconds} s (limit minimum ${r.rateLimitMinimumSeconds} s), 429s ${r.rateLimited429}, represented ${r.represented}/${r.findings}, duplicates ${r.duplicates}, lost ${r.lost}, DLQ ${r.deadLettered}`;

    const digestWouldForm = (batch) => batch > 10;
    const sample = QUICK ? 12 : 40;
    const baselineSample = QUICK ? 12 : 60;
    const runs = {};
    // 1. The module's defaults, as deployed.
    if (digestWouldForm(moduleBatchSize)) {
      runs.moduleDefaults = await burst({
        label: `module defaults (batch ${moduleBatchSize}, digests on)`,
        count: QUICK ? 100 : BURST,
        batchSize: moduleBatchSize,
      });
    } else {
      runs.moduleDefaults = project(
        await burst({
          label: `module defaults (batch ${moduleBatchSize}, digests on)`,
          count: sample,
          batchSize: moduleBatchSize,
        }),
        BURST,
      );
    }
    say(`module defaults (${batchNote}): ${fmt(runs.moduleDefaults)}`);
    if (runs.moduleDefaults.projectedSeconds)
      say(
        `  → PROJECTED for ${BURST}: ${runs.moduleDefaults.projectedSeconds} s, ${runs.moduleDefaults.projectedSlackMessages} messages (batch ${moduleBatchSize} ≤ digest threshold 10: no digest can form)`,
      );
    // 2. When the module's batches are too small for a digest, also show batches that are.
    if (!digestWouldForm(moduleBatchSize)) {
      runs.digestBatches = await burst({
        label: 'batch 100 (batching window), digests on (default threshold)',
        count: QUICK ? 100 : BURST,
        batchSize: 100,
      });
      say(`batch 100, digests: ${fmt(runs.digestBatches)}`);
    }
    // 3. Naive baseline: one message per finding, measured on a smaller burst and projected.
    runs.naiveBaseline = project(
      await burst({
        label: 'naive: digests off, one message per finding',
        count: baselineSample,
        batchSize: moduleBatchSize,
        digestThreshold: null,
      }),
      BURST,
    );
    say(`naive baseline: ${fmt(runs.naiveBaseline)}`);
    say(
      `  → PROJECTED for ${BURST}: ${runs.naiveBaseline.projectedSeconds} s (${(runs.naiveBaseline.projectedSeconds / 60).toFixed(1)} min), ${runs.naiveBaseline.projectedSlackMessages} messages`,
    );
    burstResult = {
      findings: BURST,
      moduleBatchSize,
      moduleBatchSizeSource: batchNote,
      rateLimit: '1 message/s per webhook; faster gets 429 with Retry-After: 1 (20 ms tolerance for timer resolution)',
      runs,
      ratioNaiveToModuleDefaults: round(
        runs.naiveBaseline.projectedSeconds / (runs.moduleDefaults.projectedSeconds ?? runs.moduleDefaults.seconds),
        1,
      ),
      ...(runs.digestBatches
        ? { ratioNaiveToDigestBatches: round(runs.naiveBaseline.projectedSeconds / runs.digestBatches.seconds, 1) }
        : {}),
      note: 'projected figures scale a measured smaller burst linearly (the run is bound by the 1 message/s limit); one container plays the mapping, so the per-container pacer sees every message',
    };
    say(
      `ratio: naive (projected for ${BURST}) / module defaults = ${burstResult.ratioNaiveToModuleDefaults}×${burstResult.ratioNaiveToDigestBatches ? ` · naive / batch-100 digests = ${burstResult.ratioNaiveToDigestBatches}×` : ''}`,
    );
  }

  // --- The weekly report at 10,000 findings ------------------------------------------------

  let report = null;
  if (wanted('report')) {
    heading('Report: a 10,000-finding period, 128 MB');
    report = await measureReport();
    say(
      `${report.findings} findings: ${report.totalMs} ms (normalise ${report.normaliseMs}, aggregate ${report.buildMs}), peak RSS ${report.maxRssMB} MB · fits ${report.fitsTimeout ? '' : 'NOT '}the 120 s timeout, ${report.fits128MB ? '' : 'NOT '}128 MB`,
    );
  }

  // --- Results ------------------------------------------------------------------------------

  const results = {
    generatedBy: 'make bench (scripts/bench.mjs)',
    date: new Date().toISOString(),
    quick: QUICK,
    machine,
    source,
    bundle,
    coldStart,
    throughput,
    clicks,
    memory,
    burst: burstResult,
    report,
    benchSeconds: Math.round((Date.now() - benchStarted) / 1000),
  };
  const resultsFile = join(root, 'bench/results.json');
  if (RECORD_PARTIAL && existsSync(resultsFile)) {
    const previous = JSON.parse(readFileSync(resultsFile, 'utf8'));
    const measured = { bundle, coldStart, throughput, clicks, memory, burst: burstResult };
    const fresh = Object.fromEntries(Object.entries(measured).filter(([, value]) => value !== null));
    const stamp = { date: results.date, commit: source.commit, machine, loadAverageAtEnd: loadAverage() };
    const merged = {
      ...previous,
      ...fresh,
      updatedSections: {
        ...previous.updatedSections,
        ...Object.fromEntries(Object.keys(fresh).map((key) => [key, stamp])),
      },
    };
    writeFileSync(resultsFile, `${JSON.stringify(merged, null, 2)}\n`);
    say(`\nupdated ${Object.keys(fresh).join(', ')} in bench/results.json (the other sections are unchanged)`);
  } else if (PARTIAL) {
    say(`\nquick/partial run: bench/results.json left unchanged`);
  } else {
    mkdirSync(join(root, 'bench'), { recursive: true });
    writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    say(`\nwrote bench/results.json (${results.benchSeconds} s)`);
  }
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
}
