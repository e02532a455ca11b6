import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { findingEvent } from './fixtures.js';
import { busySpecs } from './sample.js';

/* `guardduty-notify report` through the CLI's entry, with events written to files as a user would have them. */

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const sink = (into: string[]) => ({
    write(text: string) {
      into.push(text);
      return true;
    },
  });
  const code = main(args, sink(stdout) as typeof process.stdout, sink(stderr) as typeof process.stderr);
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

const dir = mkdtempSync(join(tmpdir(), 'gdn-report-cli-'));
const specs = busySpecs();
// Half the findings as one array file, the rest one event per file.
const arrayFile = join(dir, 'many.json');
writeFileSync(arrayFile, JSON.stringify(specs.slice(0, 13).map(findingEvent)));
const singleFiles = specs.slice(13).map((s, i) => {
  const file = join(dir, `one-${i}.json`);
  writeFileSync(file, JSON.stringify(findingEvent(s)));
  return file;
});
const files = [arrayFile, ...singleFiles];
const END = ['--end', '2026-11-30T08:00:00Z'];

describe('guardduty-notify report', () => {
  it('renders the report for every channel type from event files', () => {
    for (const type of ['slack', 'teams', 'googleChat', 'email', 'sns', 'webhook']) {
      const result = run(['report', '--channel', type, ...END, ...files]);
      expect(result.code, `${type}: ${result.stderr}`).toBe(0);
      expect(() => JSON.parse(result.stdout)).not.toThrow();
    }
  });

  it('counts every finding of the files once (the webhook body carries the numbers)', () => {
    const result = run(['report', '--channel', 'webhook', ...END, ...files]);
    const { report } = JSON.parse(JSON.parse(result.stdout).body);
    expect(report.totals.findings).toBe(specs.length);
    let critical = 0;
    for (const s of specs) if ((s.severity as number) >= 9) critical++;
    expect(report.bySeverity.CRITICAL).toBe(critical);
    expect(report.heartbeat.queueDepth).toBeNull();
  });

  it('uses a configured channel by name with its options', () => {
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        channels: [
          {
            name: 'sec-mail',
            type: 'email',
            smtp: { host: 'smtp.example.invalid' },
            from: 'gd@example.invalid',
            to: ['sec@example.invalid'],
            subjectPrefix: 'ACME-SEC',
          },
        ],
      }),
    );
    const result = run(['report', '--channel', 'sec-mail', '--config', config, ...END, ...files]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).subject).toMatch(/^\[ACME-SEC\] GuardDuty report/);
  });

  it('ends the period at the latest update when --end is not given', () => {
    const result = run(['report', '--channel', 'webhook', ...files]);
    const { report } = JSON.parse(JSON.parse(result.stdout).body);
    expect(report.totals.findings).toBe(specs.length);
  });

  it('explains PagerDuty, unknown channels, bad files and missing arguments with exit code 2', () => {
    const pd = run(['report', '--channel', 'pagerduty', ...files]);
    expect(pd.code).toBe(2);
    expect(pd.stderr).toContain('PagerDuty receives no report');
    expect(run(['report', '--channel', 'discord', ...files]).stderr).toMatch(/unknown channel "discord"/);
    expect(run(['report', '--channel', 'slack']).stderr).toMatch(/at least one events file/);
    expect(run(['report', files[0] as string]).stderr).toMatch(/--channel/);
    const missing = run(['report', '--channel', 'slack', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' }));
    expect(run(['report', '--channel', 'slack', bad]).stderr).toMatch(/not a GuardDuty finding event/);
  });
});
