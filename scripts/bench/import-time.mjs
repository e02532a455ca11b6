// Child process for the cold-start measurement: imports one module in a fresh
// Node process and prints how long the import (module evaluation) took, in
// wall-clock time and in CPU time (user + system, all threads). On a shared
// machine the wall clock includes waiting for a core; the CPU time does not.
// Usage: node scripts/bench/import-time.mjs <file.mjs>
import { pathToFileURL } from 'node:url';

const cpuBefore = process.cpuUsage();
const started = performance.now();
await import(pathToFileURL(process.argv[2]).href);
const importMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({ importMs, importCpuMs: (cpu.user + cpu.system) / 1000, sinceProcessStartMs: performance.now() })}\n`,
);
