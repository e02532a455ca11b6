import type { Principal } from './model.js';
import { str } from './common.js';

/*
 * Who made a GuardDuty API call, from CloudTrail's `userIdentity`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html),
 * and whether that principal is one whose changes are expected.
 */

/**
 * Summarises `userIdentity`. Everything here is shown as attacker-influenced
 * text (the role session name is chosen by whoever assumed the role).
 *
 * @example principalOf({ type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/Alice' }).display // 'IAM user arn:aws:iam::111122223333:user/Alice'
 */
export function principalOf(identity: unknown): Principal {
  const type = str(identity, ['type'], 64) ?? 'Unknown';
  const arn = str(identity, ['arn'], 512);
  const roleArn = str(identity, ['sessionContext', 'sessionIssuer', 'arn'], 512);
  const invokedBy = str(identity, ['invokedBy'], 256);
  const accountId = str(identity, ['accountId'], 32);
  const sessionName = type === 'AssumedRole' && arn ? sessionNameOf(arn) : null;
  return {
    type,
    arn,
    roleArn: type === 'AssumedRole' ? roleArn : null,
    sessionName,
    invokedBy,
    accountId,
    accessKeyId: str(identity, ['accessKeyId'], 128),
    display: displayOf(type, arn, roleArn, sessionName, invokedBy, accountId),
  };
}

/** An assumed-role ARN ends in "assumed-role/<role>/<session>". */
function sessionNameOf(arn: string): string | null {
  const match = /:assumed-role\/[^/]+\/(.+)$/.exec(arn);
  return match?.[1] ?? null;
}

function displayOf(
  type: string,
  arn: string | null,
  roleArn: string | null,
  sessionName: string | null,
  invokedBy: string | null,
  accountId: string | null,
): string {
  const via = invokedBy && type !== 'AWSService' ? ` via ${invokedBy}` : '';
  switch (type) {
    case 'Root':
      return `root user of account ${accountId ?? 'unknown'}${via}`;
    case 'AWSService':
      return `AWS service ${invokedBy ?? 'unknown'}`;
    case 'AssumedRole':
      return `role ${roleArn ?? arn ?? 'unknown'}${sessionName ? ` (session ${sessionName})` : ''}${via}`;
    case 'IAMUser':
      return `IAM user ${arn ?? 'unknown'}${via}`;
    default:
      return `${type} ${arn ?? accountId ?? 'unknown'}${via}`;
  }
}

/**
 * The pattern of `expected` that names this principal, or null.
 *
 * Rule: a pattern matches the whole of one of the principal's identifiers,
 * `*` standing for any run of characters (including `/` and `:`). The
 * identifiers tried are the role ARN (`sessionContext.sessionIssuer.arn`,
 * e.g. `arn:aws:iam::111122223333:role/terraform-ci`), the caller's ARN
 * (`userIdentity.arn`, for an assumed role `arn:aws:sts::…:assumed-role/<role>/<session>`),
 * and, only for `type: AWSService` (a service acting on its own, no human
 * behind it), the service principal in `invokedBy` (`securityir.amazonaws.com`).
 * Prefer role ARNs: the session part of an assumed-role ARN is chosen by
 * whoever assumes the role, so a pattern with `*` in the role-name position
 * (`*terraform*`) can be matched by any role assumed with a session named
 * "terraform".
 *
 * @example matchExpectedPrincipal(principal, ['arn:aws:iam::111122223333:role/terraform-ci']) // 'arn:aws:iam::111122223333:role/terraform-ci'
 */
export function matchExpectedPrincipal(principal: Principal, expected: readonly string[]): string | null {
  const candidates = [principal.roleArn, principal.arn, principal.type === 'AWSService' ? principal.invokedBy : null];
  for (const pattern of expected) {
    const regex = patternRegex(pattern);
    if (candidates.some((candidate) => candidate !== null && regex.test(candidate))) return pattern;
  }
  return null;
}

function patternRegex(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 's');
}
