import { readFileSync } from 'node:fs';
import { createStateStore, type Sighting } from '../../src/state/index.js';

/*
 * One container of the notifier, as far as the memory goes: a separate Node
 * process that observes its sightings at an agreed moment and prints the
 * answers as JSON. Run by concurrency.test.ts, two at a time.
 * argv: <input.json> with { endpoint, table, startAt, sightings }.
 */
const input = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as {
  endpoint: string;
  table: string;
  startAt: number;
  sightings: Sighting[];
};
const state = createStateStore(
  { GDN_STATE_TABLE: input.table },
  {
    logger: { warn: (m) => process.stderr.write(`${m}\n`), info: () => undefined },
    dynamo: { endpoint: input.endpoint, operationTimeoutMs: 20_000, requestTimeoutMs: 10_000 },
  },
);
// Load the SDK and open connections first, so the race is decided at DynamoDB, not by start-up.
await state.lastProcessed();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, input.startAt - Date.now())));
const answers = await state.observe(input.sightings);
process.stdout.write(JSON.stringify(answers));
