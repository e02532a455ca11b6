import { describe, expect, it } from 'vitest';
import { matchExpectedPrincipal, principalOf } from '../../src/signals/principal.js';

const ACCOUNT = '111122223333';

function assumed(role: string, session: string) {
  return principalOf({
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, userName: role } },
  });
}

describe('principalOf', () => {
  it('reads an assumed role: role ARN, session name, display', () => {
    expect(assumed('terraform-ci', 'apply-42')).toMatchObject({
      type: 'AssumedRole',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/terraform-ci`,
      sessionName: 'apply-42',
      display: `role arn:aws:iam::${ACCOUNT}:role/terraform-ci (session apply-42)`,
    });
  });

  it('reads anything at all without throwing', () => {
    for (const identity of [undefined, null, 'x', 42, [], { type: 7 }, { sessionContext: 'x' }]) {
      expect(principalOf(identity).display.length).toBeGreaterThan(0);
    }
    expect(principalOf(undefined).type).toBe('Unknown');
  });
});

describe('matchExpectedPrincipal', () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/terraform-ci`;

  it('matches the role ARN exactly, whatever the session', () => {
    expect(matchExpectedPrincipal(assumed('terraform-ci', 'anything'), [role])).toBe(role);
  });

  it('does not let a session name stand in for the role', () => {
    // An attacker's own role, assumed with a session named after the pipeline.
    const attacker = assumed('attacker', 'terraform-ci');
    expect(matchExpectedPrincipal(attacker, [role])).toBeNull();
    expect(matchExpectedPrincipal(attacker, [`arn:aws:sts::${ACCOUNT}:assumed-role/terraform-ci/*`])).toBeNull();
    // …which is why the README warns against a `*` in the role-name position.
    expect(matchExpectedPrincipal(attacker, ['*terraform-ci*'])).toBe('*terraform-ci*');
  });

  it('matches the whole identifier, `*` for any run of characters', () => {
    expect(matchExpectedPrincipal(assumed('terraform-ci', 's'), [`arn:aws:iam::${ACCOUNT}:role/terraform`])).toBeNull();
    expect(matchExpectedPrincipal(assumed('terraform-ci', 's'), [`arn:aws:iam::${ACCOUNT}:role/terraform-*`])).toBe(
      `arn:aws:iam::${ACCOUNT}:role/terraform-*`,
    );
    expect(matchExpectedPrincipal(assumed('terraform-ci', 's'), ['arn:aws:iam::*:role/terraform-ci'])).toBe(
      'arn:aws:iam::*:role/terraform-ci',
    );
  });

  it('treats every other character literally', () => {
    const dotted = principalOf({ type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/a.b` });
    expect(matchExpectedPrincipal(dotted, [`arn:aws:iam::${ACCOUNT}:user/a?b`])).toBeNull();
    const other = principalOf({ type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/aXb` });
    expect(matchExpectedPrincipal(other, [`arn:aws:iam::${ACCOUNT}:user/a.b`])).toBeNull();
  });

  it('returns the first pattern that matches, and null for an empty list', () => {
    expect(matchExpectedPrincipal(assumed('terraform-ci', 's'), ['nope', '*:role/terraform-ci', '*'])).toBe(
      '*:role/terraform-ci',
    );
    expect(matchExpectedPrincipal(assumed('terraform-ci', 's'), [])).toBeNull();
  });
});
