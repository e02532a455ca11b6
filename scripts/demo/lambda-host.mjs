// Runs an unzipped Lambda bundle the way the Node.js runtime does: one process
// whose environment is the function's, the module imported once (cold start),
// then `handler(event, context)` per invocation. Events arrive over IPC; each
// result is written to stdout as one marker line after everything the handler
// logged, so the parent reads logs, EMF metrics and results in order.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TIMEOUT_MS = 60_000;
const { handler } = await import(pathToFileURL(join(process.argv[2], 'index.mjs')).href);

process.on('message', async ({ id, event }) => {
  const deadline = Date.now() + TIMEOUT_MS;
  const context = {
    functionName: 'guardduty-notify-demo',
    awsRequestId: `demo-${id}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let line;
  try {
    line = { demoInvocation: id, result: await handler(event, context) };
  } catch (error) {
    line = { demoInvocation: id, error: String(error?.stack ?? error) };
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ demoReady: true })}\n`);
