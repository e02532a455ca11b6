import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../helpers/fixtures.js';

const ROOT = join(FIXTURES_DIR, '..', '..', '..', '..');
const ZIP = join(ROOT, 'handler', 'dist', 'lambda.zip');

describe('the committed Lambda bundle', () => {
  it('is byte-identical to a fresh build of the sources', () => {
    const check = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), '--check'], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    expect(check.status, check.stderr).toBe(0);
  });

  it('matches its manifest (the CodeSha256 Lambda will report)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'handler', 'dist', 'manifest.json'), 'utf8'));
    expect(createHash('sha256').update(readFileSync(ZIP)).digest('base64')).toBe(manifest.lambdaZipSha256);
  });

  it('unzips to an index.mjs whose handler keeps every record when the config cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdn-bundle-'));
    const unzip = spawnSync('python3', ['-m', 'zipfile', '-e', ZIP, dir], { encoding: 'utf8' });
    expect(unzip.status, unzip.stderr).toBe(0);
    // A fresh process, as Lambda would start it: no secret ARN, so the config is unreadable.
    const script = `const m = await import(${JSON.stringify(join(dir, 'index.mjs'))});
      const r = await m.handler({ Records: [{ messageId: 'm1', body: '{}' }] });
      console.log(JSON.stringify(r));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(lines.some((l) => l.includes('GDN_CONFIG_SECRET_ARN is not set'))).toBe(true);
  });

  it('keeps AWS SDK clients and nodemailer out of the entry chunk (loaded on first use)', () => {
    const list = spawnSync('python3', ['-m', 'zipfile', '-l', ZIP], { encoding: 'utf8' }).stdout;
    expect(list).toMatch(/index\.mjs/);
    expect(list).toMatch(/chunks\/nodemailer-/);
  });
});
