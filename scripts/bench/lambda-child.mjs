// A fresh "Lambda container" for the bench: imports the committed bundle's
// handler (handler/dist/lambda.zip, unzipped) with the environment the
// Terraform module sets, then either
//   rss   <bundleDir> <records.json>  runs one invocation with the given records,
//                                     sampling memory every 20 ms (peaks reported;
//                                     GDN_BENCH_TIMELINE=<file> appends the samples);
//   burst <bundleDir>                 plays the SQS event source mapping
//                                     (harness/eventSourceMapping.mjs) over
//                                     $GDN_BENCH_QUEUE_URL until it is drained.
// The handler's own log lines go to stdout; the result is the last line,
// a JSON object with "bench": true.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, bundleDir, recordsFile] = process.argv.slice(2);
const result = (fields) => process.stdout.write(`${JSON.stringify({ bench: true, ...fields })}\n`);
// Records given whole (with eventSource) are passed as they are; others get the fields the handler reads.
const toRecord = (m) =>
  m.eventSource
    ? m
    : {
        messageId: m.messageId,
        receiptHandle: m.receiptHandle ?? m.messageId,
        body: m.body,
        eventSource: 'aws:sqs',
        attributes: {},
        messageAttributes: {},
      };

/**
 * Where resident memory sits at the end of the invocation (Linux): the Node
 * binary's own pages (code and ICU data it touched), anonymous memory (the V8
 * heap, malloc arenas of V8's and libuv's threads), the brk heap and shared
 * libraries. Null where /proc/self/smaps does not exist.
 */
function rssBreakdownMB() {
  let text;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return null;
  }
  const kb = { nodeBinary: 0, anonymous: 0, brkHeap: 0, libraries: 0, other: 0 };
  let bucket = 'other';
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1];
      bucket =
        name === ''
          ? 'anonymous'
          : name === '[heap]'
            ? 'brkHeap'
            : name === process.execPath
              ? 'nodeBinary'
              : /\.so(\.|$)/.test(name)
                ? 'libraries'
                : 'other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) kb[bucket] += Number(rss[1]);
  }
  return Object.fromEntries(Object.entries(kb).map(([k, v]) => [k, Math.round(v / 102.4) / 10]));
}

const rssAtStart = process.memoryUsage().rss;
const { handler } = await import(pathToFileURL(join(bundleDir, 'index.mjs')).href);
const rssAfterImport = process.memoryUsage().rss;

if (mode === 'rss') {
  const records = JSON.parse(readFileSync(recordsFile, 'utf8'));
  const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const timeline = [];
  const t0 = performance.now();
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
    if (process.env.GDN_BENCH_TIMELINE)
      timeline.push([Math.round(performance.now() - t0), ...Object.keys(peak).map((k) => Math.round(m[k] / 2 ** 20))]);
  };
  const sampler = setInterval(sample, 20);
  const started = performance.now();
  const { batchItemFailures } = await handler({ Records: records.map(toRecord) });
  const ms = performance.now() - started;
  clearInterval(sampler);
  const breakdown = rssBreakdownMB();
  sample();
  if (process.env.GDN_BENCH_TIMELINE)
    writeFileSync(
      process.env.GDN_BENCH_TIMELINE,
      `${['ms\trss\theapTotal\theapUsed\texternal\tarrayBuffers', ...timeline.map((r) => r.join('\t'))].join('\n')}\n`,
      { flag: 'a' },
    );
  const memory = process.memoryUsage();
  result({
    kind: 'rss',
    records: records.length,
    failures: batchItemFailures.length,
    ms,
    maxRssKb: process.resourceUsage().maxRSS,
    rssAtStart,
    rssAfterImport,
    rssAtEnd: memory.rss,
    heapUsed: memory.heapUsed,
    peak,
    breakdown,
  });
} else if (mode === 'burst') {
  // The shared event source mapping player, imported only here so the rss mode's figures exclude it.
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const { drain } = await import('../../harness/eventSourceMapping.mjs');
  const sqs = new SQSClient({});
  const queueUrl = process.env.GDN_BENCH_QUEUE_URL;
  const started = performance.now();
  const { drained, log } = await drain(
    sqs,
    {
      queueUrl,
      queueArn: `arn:aws:sqs:${process.env.AWS_REGION ?? 'us-east-1'}:123456789012:${queueUrl.split('/').pop()}`,
      region: process.env.AWS_REGION ?? 'us-east-1',
      batchSize: Number(process.env.GDN_BENCH_BATCH_SIZE ?? 10),
      holdSeconds: 60,
    },
    async (event) => ({ kind: 'result', result: await handler(event) }),
    { deadlineMs: Number(process.env.GDN_BENCH_DEADLINE_MS ?? 240_000) },
  );
  const records = log.batchSizes.reduce((sum, n) => sum + n, 0);
  result({
    kind: 'burst',
    ms: performance.now() - started,
    invocations: log.invocations,
    records,
    returned: log.returned.length,
    drained,
    rssAfterImport,
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
