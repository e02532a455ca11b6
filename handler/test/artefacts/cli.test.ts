import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNEL_TYPES } from '../../src/channels/registry.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';

/* The CLI as users run it: the committed, prebuilt bin with plain Node. */
const BIN = join(FIXTURES_DIR, '..', '..', '..', '..', 'bin', 'guardduty-notify.mjs');
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });

describe('guardduty-notify CLI', () => {
  it('renders the exact payload for each channel type', () => {
    for (const type of CHANNEL_TYPES) {
      const result = run(['render', '--channel', type, join(FIXTURES_DIR, 'ec2-ssh-bruteforce.json')]);
      expect(result.status, `${type}: ${result.stderr}`).toBe(0);
      expect(() => JSON.parse(result.stdout)).not.toThrow();
    }
    const email = JSON.parse(
      run(['render', '--channel', 'email', join(FIXTURES_DIR, 'ec2-ssh-bruteforce.json')]).stdout,
    );
    expect(Object.keys(email)).toEqual(expect.arrayContaining(['subject', 'text', 'html']));
  });

  it('reads the event from stdin and uses a configured channel by name', () => {
    const config = join(FIXTURES_DIR, '..', 'configs', 'full.json');
    const event = run(
      ['render', '--channel', 'sec-slack', '--config', config],
      readFileSync(join(FIXTURES_DIR, 'rds-brute-force.json'), 'utf8'),
    );
    expect(event.status, event.stderr).toBe(0);
    expect(JSON.parse(event.stdout).text).toContain('<!subteam^S0123ABC>');
  });

  it('validates configs with path-named errors and a non-zero exit', () => {
    const ok = run(['validate-config', join(FIXTURES_DIR, '..', 'configs', 'full.json')]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 7 channel\(s\)/);
    const bad = run(
      ['validate-config'],
      '{"channels":[{"name":"x","type":"slack","webhookUrl":"http://evil.example/hook"}]}',
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('channels[0].webhookUrl: expected an https:// URL');
    const notJson = run(['validate-config'], '{nope');
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toMatch(/not valid JSON/);
  });

  it('lists the report command in its usage and renders a report from event files', () => {
    const help = run(['help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('guardduty-notify report --channel <type|name>');
    expect(help.stdout).toMatch(/Types: slack, teams, googleChat, email, sns, webhook\./);
    const report = run(['report', '--channel', 'webhook', join(FIXTURES_DIR, 'ec2-ssh-bruteforce.json')]);
    expect(report.status, report.stderr).toBe(0);
    const body = JSON.parse(JSON.parse(report.stdout).body);
    expect(body.kind).toBe('report');
    expect(body.report.totals.findings).toBe(1);
    const pager = run(['report', '--channel', 'pagerduty', join(FIXTURES_DIR, 'ec2-ssh-bruteforce.json')]);
    expect(pager.status).toBe(2);
    expect(pager.stderr).toMatch(/PagerDuty receives no report/);
  });

  it('rejects events that are not GuardDuty findings and unknown commands', () => {
    const wrong = run(['render', '--channel', 'sns', join(FIXTURES_DIR, 'invalid', 'wrong-detail-type.json')]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/not a GuardDuty event: detail-type "EC2 Instance State-change Notification"/);
    expect(run(['render', '--channel', 'discord', join(FIXTURES_DIR, 'minimal.json')]).stderr).toMatch(
      /unknown channel "discord"/,
    );
    expect(run(['frob']).status).toBe(2);
    expect(run(['render', join(FIXTURES_DIR, 'minimal.json')]).stderr).toMatch(/--channel/);
  });

  it('prints the config JSON Schema', () => {
    const schema = JSON.parse(run(['schema']).stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(JSON.stringify(schema)).toContain('"googleChat"');
  });
});
