// The weekly report at scale: 10,000 findings of one period, from GetFindings'
// shape through normalisation, aggregation and every channel's renderer, in a
// fresh Node process with the V8 limits Lambda derives for a 128 MB function.
// Prints one JSON object (time per stage, peak RSS, verdicts); the parent
// process builds the entry like the Lambda bundle (esbuild, minified).
//
//   node scripts/bench/report.mjs            → build, run the child, print the result
//   import { measureReport } from './report.mjs' → the same figures as an object (make bench's "report" section)
//   GDN_BENCH_REPORT_FINDINGS=20000 node …   → another size
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const FINDINGS = Number(process.env.GDN_BENCH_REPORT_FINDINGS ?? 10_000);
const PERIOD_END = new Date('2026-11-30T08:00:00Z');
/** The module's default function timeout (variables.tf lambda_timeout) and smallest memory size. */
const TIMEOUT_S = 120;
const MEMORY_MB = 128;
// As scripts/bench.mjs: Lambda's Node.js bootstrap sizes V8 from the function memory.
const lambdaFlags = (mb) => [
  `--max-semi-space-size=${Math.floor(mb / 20)}`,
  `--max-old-space-size=${mb - Math.floor(mb / 10)}`,
];

const TYPES = [
  ['Recon:EC2/PortProbeUnprotectedPort', 2],
  ['UnauthorizedAccess:EC2/SSHBruteForce', 5],
  ['Backdoor:EC2/C&CActivity.B', 8],
  ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 9.2],
  ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 8.5],
  ['Discovery:S3/MaliciousIPCaller', 5.5],
];

async function child(entryFile) {
  const template = JSON.parse(
    readFileSync(join(root, 'handler/test/fixtures/events/ec2-ssh-bruteforce.json'), 'utf8'),
  ).detail;
  const { runReportBench } = await import(pathToFileURL(entryFile).href);
  const page = (start, size) => {
    const out = [];
    for (let i = start; i < start + size; i++) {
      const [type, severity] = TYPES[i % TYPES.length];
      const updated = PERIOD_END.getTime() - ((i * 60_000) % (7 * 86_400_000)) - 1;
      out.push({
        ...template,
        id: `bench${String(i).padStart(27, '0')}`,
        type,
        severity,
        accountId: ['111122223333', '444455556666', '777788889999'][i % 3],
        createdAt: new Date(updated - (i % 20) * 86_400_000).toISOString(),
        updatedAt: new Date(updated).toISOString(),
        resource: {
          ...template.resource,
          instanceDetails: {
            ...template.resource.instanceDetails,
            instanceId: `i-${(i % 400).toString(16).padStart(17, '0')}`,
          },
        },
        service: { ...template.service, archived: i % 4 === 0, count: 1 + (i % 9) },
      });
    }
    return out;
  };
  const t0 = performance.now();
  const result = runReportBench(FINDINGS, PERIOD_END, page);
  const totalMs = performance.now() - t0;
  process.stdout.write(`${JSON.stringify({ ...result, totalMs, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

/**
 * Builds the entry like the Lambda bundle, runs the child with Lambda's
 * 128 MB V8 limits and returns its figures (throws when the child fails).
 */
export async function measureReport() {
  const { buildLikeLambda } = await import('./build.mjs');
  const out = mkdtempSync(join(tmpdir(), 'gdn-bench-report-'));
  try {
    await buildLikeLambda(root, [join(here, 'entries', 'report.ts')], out);
    const run = spawnSync(
      process.execPath,
      [...lambdaFlags(MEMORY_MB), fileURLToPath(import.meta.url), 'child', join(out, 'report.mjs')],
      {
        encoding: 'utf8',
        timeout: TIMEOUT_S * 1000 * 2,
        maxBuffer: 16 * 2 ** 20,
      },
    );
    if (run.status !== 0) throw new Error(`report bench child failed (${run.status}): ${run.stderr}`);
    const r = JSON.parse(run.stdout.trim().split('\n').at(-1));
    const round = (ms) => Math.round(ms);
    const summary = {
      findings: r.findings,
      totalMs: round(r.totalMs),
      normaliseMs: round(r.normaliseMs),
      buildMs: round(r.buildMs),
      renderMs: Object.fromEntries(Object.entries(r.renderMs).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      payloadBytes: r.bytes,
      maxRssMB: Math.round((r.maxRssKb / 1024) * 10) / 10,
      nodeFlags: lambdaFlags(MEMORY_MB).join(' '),
      fitsTimeout: r.totalMs < TIMEOUT_S * 1000,
      fits128MB: r.maxRssKb / 1024 < MEMORY_MB,
      note: `${FINDINGS.toLocaleString('en')} findings as GetFindings returns them (page by page), normalised, aggregated and rendered for every channel in a fresh process with Lambda's V8 limits for ${MEMORY_MB} MB; GuardDuty's own latency is not included (see the reader's deadline); maxRSS from process.resourceUsage() includes Node itself`,
    };
    return summary;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function parent() {
  const summary = await measureReport();
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  if (!summary.fitsTimeout || !summary.fits128MB) process.exitCode = 1;
}

// Run as a script (not when make bench imports measureReport).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === 'child') await child(process.argv[3]);
  else await parent();
}
