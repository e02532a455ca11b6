import { describe, expect, it } from 'vitest';
import { DIGEST_TOP, DigestSchema, buildDigest } from '../../src/route/digest.js';
import { fixtureNames, normalisedFixture } from '../helpers/fixtures.js';

describe('buildDigest', () => {
  const findings = fixtureNames().map(normalisedFixture);

  it('lists the id of every finding, sorted and unique, beyond the few it shows in full', () => {
    const digest = buildDigest([...findings].reverse());
    const ids = [...new Set(findings.map((f) => f.id))].sort();
    expect(digest.findingIds).toEqual(ids);
    expect(digest.top).toHaveLength(DIGEST_TOP);
    expect(digest.findingIds.length).toBeGreaterThan(DIGEST_TOP);
    expect(DigestSchema.parse(digest)).toEqual(digest);
  });

  it('counts an update and its original finding twice but lists their id once', () => {
    const original = normalisedFixture('ec2-ssh-bruteforce');
    const update = normalisedFixture('update-finding');
    expect(update.id).toBe(original.id);
    const digest = buildDigest([update, original]);
    expect(digest.total).toBe(2);
    expect(digest.findingIds).toEqual([original.id]);
  });

  it('has no ids when empty', () => {
    expect(buildDigest([]).findingIds).toEqual([]);
  });
});
