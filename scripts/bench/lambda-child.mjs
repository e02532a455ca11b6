// A fresh "Lambda container" for the bench: imports the committed bundle's
// handler (handler/dist/lambda.zip, unzipped) with the environment the
// Terraform module sets, then either
//   rss   <bundleDir> <records.json>  runs one invocation with the given records;
//   burst <bundleDir>                 plays the SQS event source mapping over
//                                     $GDN_BENCH_QUEUE_URL until it is drained.
// The handler's own log lines go to stdout; the result is the last line,
// a JSON object with "bench": true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, bundleDir, recordsFile] = process.argv.slice(2);
const result = (fields) => process.stdout.write(`${JSON.stringify({ bench: true, ...fields })}\n`);
const toRecord = (m) => ({ messageId: m.messageId, receiptHandle: m.receiptHandle ?? m.messageId, body: m.body, eventSource: 'aws:sqs', attributes: {}, messageAttributes: {} });

const rssAtStart = process.memoryUsage().rss;
const { handler } = await import(pathToFileURL(join(bundleDir, 'index.mjs')).href);
const rssAfterImport = process.memoryUsage().rss;

if (mode === 'rss') {
  const records = JSON.parse(readFileSync(recordsFile, 'utf8'));
  const started = performance.now();
  const { batchItemFailures } = await handler({ Records: records.map(toRecord) });
  const ms = performance.now() - started;
  const memory = process.memoryUsage();
  result({ kind: 'rss', records: records.length, failures: batchItemFailures.length, ms, maxRssKb: process.resourceUsage().maxRSS, rssAtStart, rssAfterImport, rssAtEnd: memory.rss, heapUsed: memory.heapUsed });
} else if (mode === 'burst') {
  const { SQSClient, ReceiveMessageCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const sqs = new SQSClient({});
  const queueUrl = process.env.GDN_BENCH_QUEUE_URL;
  const batchSize = Number(process.env.GDN_BENCH_BATCH_SIZE ?? 10);
  const deadline = Date.now() + Number(process.env.GDN_BENCH_DEADLINE_MS ?? 240_000);
  const depth = async () => {
    const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }));
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
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: Math.min(10, batchSize - messages.length), VisibilityTimeout: 60 }));
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
    const { batchItemFailures } = await handler({ Records: messages.map((m) => toRecord({ messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body })) });
    const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
    returned += failed.size;
    const done = messages.filter((m) => !failed.has(m.MessageId));
    for (let i = 0; i < done.length; i += 10) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })) }));
    }
  }
  result({ kind: 'burst', ms: performance.now() - started, invocations, records, returned, drained, rssAfterImport });
} else {
  throw new Error(`unknown mode ${mode}`);
}
