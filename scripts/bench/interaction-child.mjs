// A fresh "Lambda container" of the interaction endpoint for the bench: imports
// the committed bundle's interaction.mjs (unzipped) with the environment the
// Terraform module sets, then plays the function URL events of <events.json>
// one after another, as Slack's clicks arrive. Outside Lambda the entry's
// handler is the buffered form: it returns after the action and its
// response_url follow-up are done, so each timing is click → response + follow-up.
// Usage: node scripts/bench/interaction-child.mjs <bundleDir> <events.json>
// The handler's own log lines go to stdout; the result is the last line,
// a JSON object with "bench": true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [bundleDir, eventsFile] = process.argv.slice(2);
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));

const importStarted = performance.now();
const { handler } = await import(pathToFileURL(join(bundleDir, 'interaction.mjs')).href);
const importMs = performance.now() - importStarted;

const clicks = [];
for (const event of events) {
  const started = performance.now();
  const response = await handler(event);
  clicks.push({ ms: performance.now() - started, status: response.statusCode });
}
process.stdout.write(
  `${JSON.stringify({ bench: true, kind: 'clicks', importMs, clicks, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
