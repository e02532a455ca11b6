import { describe, expect, it } from 'vitest';
import { ChannelSchema, type Config } from '../../src/config/schema.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { decide, effectiveRules } from '../../src/route/rules.js';
import { normalisedFixture } from '../helpers/fixtures.js';

const channel = (extra: Record<string, unknown>) =>
  ChannelSchema.parse({ name: 's', type: 'slack', webhookUrl: 'https://hooks.slack.com/services/T0/B0/x', ...extra });
const none: Config['defaults'] = {};
const noHistory = { previousScore: () => undefined };

/** A real fixture whose resource carries the given tags. */
function tagged(tags: Array<{ key: string; value: string }>): NormalisedFinding {
  const f = normalisedFixture('ec2-ssh-bruteforce');
  return { ...f, resource: { ...f.resource, tags } };
}

const decideFor = (f: NormalisedFinding, extra: Record<string, unknown>) =>
  decide(f, effectiveRules(none, channel({ minSeverity: 'LOW', ...extra })), noHistory);

describe('routing by owner tags', () => {
  const payments = tagged([
    { key: 'team', value: 'payments' },
    { key: 'env', value: 'prod' },
  ]);

  it('reads the tags the finding carries (instance tags of an EC2 finding)', () => {
    expect(normalisedFixture('ec2-ssh-bruteforce').resource.tags.length).toBeGreaterThan(0);
    expect(normalisedFixture('iam-api-tor').resource.tags).toEqual([]);
  });

  it('includes only findings whose resource carries the tag with that exact value', () => {
    expect(decideFor(payments, { include: { tags: { team: 'payments' } } })).toEqual({ notify: true });
    expect(decideFor(payments, { include: { tags: { team: 'Payments' } } })).toEqual({ notify: false, reason: 'tags' });
    expect(decideFor(tagged([]), { include: { tags: { team: 'payments' } } })).toEqual({
      notify: false,
      reason: 'tags',
    });
  });

  it('accepts a list of values (any of them) and "*" (any value), and needs every listed key', () => {
    expect(decideFor(payments, { include: { tags: { team: ['risk', 'payments'] } } })).toEqual({ notify: true });
    expect(decideFor(payments, { include: { tags: { team: '*' } } })).toEqual({ notify: true });
    expect(decideFor(tagged([{ key: 'owner', value: 'x' }]), { include: { tags: { team: '*' } } })).toMatchObject({
      notify: false,
    });
    expect(decideFor(payments, { include: { tags: { team: 'payments', env: 'stage' } } })).toMatchObject({
      notify: false,
      reason: 'tags',
    });
  });

  it('excludes by tag, combined with the other dimensions', () => {
    expect(decideFor(payments, { exclude: { tags: { env: 'prod' } } })).toEqual({ notify: false, reason: 'tags' });
    expect(decideFor(payments, { exclude: { tags: { env: 'dev' } } })).toEqual({ notify: true });
    expect(decideFor(payments, { exclude: { tags: { env: 'prod' }, regions: ['eu-west-1'] } })).toEqual({
      notify: true,
    });
  });

  it('rejects a malformed tag filter in config', () => {
    expect(() => channel({ include: { tags: { team: [] } } })).toThrow();
    expect(() => channel({ include: { tags: { '': 'x' } } })).toThrow();
    expect(() => channel({ include: { tags: { team: 5 } } })).toThrow();
  });
});
