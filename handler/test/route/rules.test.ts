import { describe, expect, it } from 'vitest';
import { ChannelSchema, type Config } from '../../src/config/schema.js';
import { decide, effectiveRules } from '../../src/route/rules.js';
import { createSeverityMemory } from '../../src/route/history.js';
import { compileTypePatterns } from '../../src/route/match.js';
import { normalisedFixture } from '../helpers/fixtures.js';

const slack = (extra: Record<string, unknown> = {}) =>
  ChannelSchema.parse({ name: 's', type: 'slack', webhookUrl: 'https://hooks.slack.com/services/A/B/C', ...extra });
const none: Config['defaults'] = {};
const noHistory = { previousScore: () => undefined };

describe('compileTypePatterns', () => {
  it('treats * as a wildcard and everything else literally', () => {
    const match = compileTypePatterns(['Recon:*', '*:EC2/C&CActivity.B', 'Policy:S3/Bucket?']);
    expect(match('Recon:EC2/PortProbeUnprotectedPort')).toBe(true);
    expect(match('Backdoor:EC2/C&CActivity.B')).toBe(true);
    expect(match('Backdoor:EC2/C&CActivityXB')).toBe(false);
    expect(match('Policy:S3/BucketX')).toBe(false);
    expect(match('XRecon:EC2/Portscan')).toBe(false);
  });
});

describe('effectiveRules', () => {
  it('prefers the channel value, then defaults, then built-ins', () => {
    expect(effectiveRules({ minSeverity: 'HIGH' }, slack()).minSeverity).toBe('HIGH');
    expect(effectiveRules({ minSeverity: 'HIGH' }, slack({ minSeverity: 'LOW' })).minSeverity).toBe('LOW');
    expect(effectiveRules(none, slack())).toMatchObject({
      minSeverity: 'LOW',
      notifyOn: 'escalations',
      includeSamples: true,
      digestThreshold: 10,
    });
  });

  it('keeps digests off for PagerDuty and webhooks unless asked', () => {
    const pd = ChannelSchema.parse({ name: 'p', type: 'pagerduty', routingKey: 'R0UT1NGKEY0000000000000000000000' });
    expect(effectiveRules(none, pd).digestThreshold).toBeNull();
    expect(effectiveRules({ digestThreshold: 50 }, pd).digestThreshold).toBe(50);
    expect(effectiveRules({ digestThreshold: 50 }, slack({ digestThreshold: null })).digestThreshold).toBeNull();
  });
});

describe('decide', () => {
  const rules = (extra: Record<string, unknown> = {}) => effectiveRules(none, slack(extra));

  it('applies the severity floor by band', () => {
    expect(decide(normalisedFixture('ec2-ssh-bruteforce'), rules({ minSeverity: 'MEDIUM' }), noHistory)).toEqual({
      notify: false,
      reason: 'severity',
    });
    expect(decide(normalisedFixture('rds-brute-force'), rules({ minSeverity: 'CRITICAL' }), noHistory)).toEqual({
      notify: true,
    });
  });

  it('includes and excludes by type, account and region', () => {
    const f = normalisedFixture('ec2-port-probe');
    expect(decide(f, rules({ exclude: { types: ['Recon:*'] } }), noHistory)).toEqual({ notify: false, reason: 'type' });
    expect(decide(f, rules({ include: { types: ['UnauthorizedAccess:*'] } }), noHistory)).toEqual({
      notify: false,
      reason: 'type',
    });
    expect(decide(f, rules({ include: { accounts: ['999999999999'] } }), noHistory)).toEqual({
      notify: false,
      reason: 'account',
    });
    expect(decide(f, rules({ include: { regions: [f.region] } }), noHistory)).toEqual({ notify: true });
    expect(decide(f, rules({ exclude: { types: ['Recon:*'], regions: ['ap-south-1'] } }), noHistory)).toEqual({
      notify: true,
    });
  });

  it('drops samples when asked and archived findings by default', () => {
    expect(decide(normalisedFixture('sample-finding'), rules({ includeSamples: false }), noHistory)).toEqual({
      notify: false,
      reason: 'sample',
    });
    expect(decide(normalisedFixture('archived-finding'), rules({ notifyOn: 'all' }), noHistory)).toEqual({
      notify: false,
      reason: 'archived',
    });
    expect(decide(normalisedFixture('archived-finding'), rules({ notifyOn: 'all' }), noHistory, true)).toEqual({
      notify: true,
    });
  });

  it('applies the update policy', () => {
    const update = normalisedFixture('update-finding');
    expect(decide(update, rules({ notifyOn: 'all' }), noHistory)).toEqual({ notify: true });
    expect(decide(update, rules({ notifyOn: 'new' }), noHistory)).toEqual({ notify: false, reason: 'update' });
    expect(decide(update, rules({ notifyOn: 'escalations' }), noHistory)).toEqual({ notify: false, reason: 'update' });
  });

  it('notifies an update whose severity rose above what this container saw', () => {
    const history = createSeverityMemory();
    const first = normalisedFixture('ec2-port-probe');
    const escalated = normalisedFixture('escalated-update');
    expect(decide(first, rules(), history)).toEqual({ notify: true });
    history.remember(first.id, first.severity.score);
    expect(decide(escalated, rules(), history)).toEqual({ notify: true });
    history.remember(escalated.id, escalated.severity.score);
    expect(decide(escalated, rules(), history)).toEqual({ notify: false, reason: 'update' });
  });
});

describe('createSeverityMemory', () => {
  it('is bounded and evicts the least recently seen', () => {
    const memory = createSeverityMemory(2);
    memory.remember('a', 1);
    memory.remember('b', 2);
    memory.remember('a', 3);
    memory.remember('c', 4);
    expect(memory.size).toBe(2);
    expect(memory.previousScore('b')).toBeUndefined();
    expect(memory.previousScore('a')).toBe(3);
  });
});
