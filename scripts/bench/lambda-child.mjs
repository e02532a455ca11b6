// A fresh "Lambda container" for the bench: imports the committed bundle's
// handler (handler/dist/lambda.zip, unzipped) with the environment the
// Terraform module sets, then either
//   rss   <bundleDir> <records.json>  runs one invocation with the given records,
//                                     sampling memory every 20 ms (peaks reported;
//                                     GDN_BENCH_TIMELINE=<file> appends the samples);
//   burst <bundleDir>                 plays the SQS event source mapping over
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
  const { SQSClient, ReceiveMessageCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand } = await import(
    '@aws-sdk/client-sqs'
  );
  const sqs = new SQSClient({});
  const queueUrl = process.env.GDN_BENCH_QUEUE_URL;
  const batchSize = Number(process.env.GDN_BENCH_BATCH_SIZE ?? 10);
  const deadline = Date.now() + Number(process.env.GDN_BENCH_DEADLINE_MS ?? 240_000);
  const depth = async () => {
    const a = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return Object.values(a.Attributes ?? {}).reduce((n, v) => n + Number(v), 0);
  };
  const started = performance.now();
  let invocations = 0;
  let records = 0;
  let returned = 0;
  let drained = false;
  while (Date.now() < deadline) {
    // The event source mapping's batching: receives of up to 10 until the batch is full or nothing is visible.
    const messages = [];
    while (messages.length < batchSize) {
      const r = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, batchSize - messages.length),
          VisibilityTimeout: 60,
        }),
      );
      if (!r.Messages?.length) break;
      messages.push(...r.Messages);
    }
    if (messages.length === 0) {
      if ((await depth()) === 0) {
        drained = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    invocations += 1;
    records += messages.length;
    const { batchItemFailures } = await handler({
      Records: messages.map((m) => toRecord({ messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body })),
    });
    const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
    returned += failed.size;
    const done = messages.filter((m) => !failed.has(m.MessageId));
    for (let i = 0; i < done.length; i += 10) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
  }
  result({ kind: 'burst', ms: performance.now() - started, invocations, records, returned, drained, rssAfterImport });
} else {
  throw new Error(`unknown mode ${mode}`);
}
