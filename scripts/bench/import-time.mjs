// Child process for the cold-start measurement: imports one module in a fresh
// Node process and prints how long the import (module evaluation) took.
// Usage: node scripts/bench/import-time.mjs <file.mjs>
import { pathToFileURL } from 'node:url';

const started = performance.now();
await import(pathToFileURL(process.argv[2]).href);
const importMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ importMs, sinceProcessStartMs: performance.now() })}\n`);
