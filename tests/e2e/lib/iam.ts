import { request as httpRequest } from 'node:http';
import { readBody, startServer } from '../../../harness/http.mjs';
import { queueArnFromUrl, REGION } from './aws.js';

/*
 * The function's AWS calls, recorded on their way to the emulator, and checked
 * against the IAM policy the module attached to the function's role. moto does
 * not enforce IAM resource scoping, so this is where "the IAM actions the HCL
 * grants are the ones the TypeScript uses" is proven: every call the deployed
 * code made must be allowed by the deployed policy for the resource it named.
 */

export interface AwsCall {
  service: string;
  /** IAM action, e.g. sqs:SendMessage (batch APIs map to their IAM action). */
  action: string;
  /** The API operation as sent, e.g. SendMessageBatch. */
  operation: string;
  resource: string;
  /** The Region the call was signed for (its SigV4 credential scope): IAM's aws:RequestedRegion. */
  region: string;
  status: number;
}

/** IAM action of an API operation where they differ. */
const IAM_ACTION: Record<string, string> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
  'sns:PublishBatch': 'sns:Publish',
};

/** The account moto serves (its default): the one in the ARNs it returns. */
const EMULATOR_ACCOUNT = '123456789012';

/** ARN of a DynamoDB table named in a request (TableName, or the one table of a batch's RequestItems). */
function dynamodbTableArn(params: Record<string, unknown>): string {
  const names =
    typeof params.TableName === 'string'
      ? [params.TableName]
      : Object.keys((params.RequestItems as Record<string, unknown> | undefined) ?? {});
  // A batch naming several tables is recorded as touching all of them: unknown to the policy check.
  if (names.length !== 1) return names.length === 0 ? '*' : `several tables: ${names.join(', ')}`;
  const name = names[0]!;
  return name.startsWith('arn:') ? name : `arn:aws:dynamodb:${REGION}:${EMULATOR_ACCOUNT}:table/${name}`;
}

/**
 * GuardDuty's REST-JSON operations the interaction endpoint uses, by method and
 * path (GuardDuty API reference); their IAM actions take no resource ("*").
 */
const GUARDDUTY_OPERATIONS: Array<[method: string, path: RegExp, operation: string]> = [
  ['GET', /^\/detector$/, 'ListDetectors'],
  ['POST', /^\/detector\/[^/]+\/findings\/get$/, 'GetFindings'],
  ['POST', /^\/detector\/[^/]+\/findings\/archive$/, 'ArchiveFindings'],
  ['POST', /^\/detector\/[^/]+\/findings\/unarchive$/, 'UnarchiveFindings'],
  ['POST', /^\/detector\/[^/]+\/findings\/feedback$/, 'UpdateFindingsFeedback'],
  ['POST', /^\/detector\/[^/]+\/findings$/, 'ListFindings'],
];

function describeCall(
  service: string,
  request: { method: string; path: string; target: string | undefined },
  body: string,
  orgArn: (accountId: string) => string,
): Omit<AwsCall, 'status' | 'region'> {
  const { target } = request;
  let operation = '';
  let params: Record<string, unknown> = {};
  if (service === 'guardduty') {
    const path = request.path.split('?')[0] ?? '';
    operation =
      GUARDDUTY_OPERATIONS.find(([m, p]) => m === request.method && p.test(path))?.[2] ??
      `unknown REST call ${request.method} ${path}`;
  } else if (target) {
    operation = target.split('.').pop() ?? '';
    try {
      params = JSON.parse(body || '{}') as Record<string, unknown>;
    } catch {
      params = {};
    }
  } else {
    const form = new URLSearchParams(body);
    operation = form.get('Action') ?? '';
    params = Object.fromEntries(form.entries());
  }
  const str = (k: string) => (typeof params[k] === 'string' ? (params[k] as string) : '');
  let resource = '*';
  switch (service) {
    case 'sqs':
      resource = str('QueueUrl') ? queueArnFromUrl(str('QueueUrl')) : '*';
      break;
    case 'secretsmanager':
      resource = str('SecretId') || '*';
      break;
    case 'sns':
      resource = str('TopicArn') || str('TargetArn') || '*';
      break;
    case 'organizations':
      resource = str('AccountId') ? orgArn(str('AccountId')) : '*';
      break;
    case 'dynamodb':
      resource = dynamodbTableArn(params);
      break;
  }
  const action = `${service}:${operation}`;
  return { service, operation, action: IAM_ACTION[action] ?? action, resource };
}

export interface RecordingProxy {
  endpoint: string;
  calls: AwsCall[];
  close(): Promise<void>;
}

/** A reverse proxy to the emulator that records every AWS call (service, action, resource). */
export async function startRecordingProxy(
  upstream: string,
  orgArn: (accountId: string) => string,
): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const calls: AwsCall[] = [];
  const server = await startServer(async (req, res) => {
    const body = await readBody(req);
    const auth = String(req.headers.authorization ?? '');
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(auth);
    const service = scope?.[2] ?? 'unknown';
    const call = {
      ...describeCall(
        service,
        {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          target: req.headers['x-amz-target'] as string | undefined,
        },
        body.toString('utf8'),
        orgArn,
      ),
      region: scope?.[1] ?? 'unknown',
    };
    const upstreamReq = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        calls.push({ ...call, status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstreamReq.on('error', (error) => {
      calls.push({ ...call, status: 502 });
      res.writeHead(502).end(String(error));
    });
    upstreamReq.end(body);
  });
  return { endpoint: server.url(''), calls, close: server.close };
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM wildcard match: `*` any run, `?` one character; actions case-insensitive. */
function wildcard(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    caseInsensitive ? 'i' : '',
  );
  return re.test(value);
}

function statementMatches(s: Statement, call: CheckedCall): boolean {
  const actionOk =
    s.Action !== undefined
      ? list(s.Action).some((a) => wildcard(a, call.action, true))
      : !list(s.NotAction).some((a) => wildcard(a, call.action, true));
  if (!actionOk) return false;
  return s.Resource !== undefined
    ? list(s.Resource).some((r) => wildcard(r, call.resource))
    : !list(s.NotResource).some((r) => wildcard(r, call.resource));
}

/** What a call is checked with: its action and resource, and the condition keys the harness knows for it. */
export type CheckedCall = Pick<AwsCall, 'action' | 'resource'> & { region?: string };

/**
 * Whether a statement's Condition holds for a call. Only what the harness
 * knows is evaluated: `StringEquals` on `aws:RequestedRegion` (the call's
 * signing Region). Any other operator or key is unknown, so the statement
 * does not count as allowing.
 */
function conditionHolds(condition: unknown, call: CheckedCall): boolean {
  if (condition === undefined) return true;
  const known: Record<string, string | undefined> = { 'aws:requestedregion': call.region };
  const operators = Object.entries(condition as Record<string, Record<string, string | string[]>>);
  return operators.every(
    ([operator, keys]) =>
      operator === 'StringEquals' &&
      Object.entries(keys).every(([key, values]) => {
        const value = known[key.toLowerCase()];
        return value !== undefined && list(values).includes(value);
      }),
  );
}

export interface Verdict {
  call: CheckedCall;
  allowedBy?: string;
  deniedBy?: string;
}

/**
 * Identity-policy evaluation for one call: allowed when an Allow statement
 * whose condition holds matches and no Deny does. (Conditions are evaluated
 * only as far as {@link conditionHolds} knows them: an Allow that depends on
 * an unknown one does not count, so the check errs towards "denied"; a Deny
 * counts whatever its condition.)
 */
export function evaluate(policies: Array<{ Statement: Statement | Statement[] }>, call: CheckedCall): Verdict {
  const statements = policies.flatMap((p) => (Array.isArray(p.Statement) ? p.Statement : [p.Statement]));
  const deny = statements.find((s) => s.Effect === 'Deny' && statementMatches(s, call));
  if (deny) return { call, deniedBy: deny.Sid ?? '(no Sid)' };
  const allow = statements.find(
    (s) => s.Effect === 'Allow' && conditionHolds(s.Condition, call) && statementMatches(s, call),
  );
  return allow ? { call, allowedBy: allow.Sid ?? '(no Sid)' } : { call };
}

/** The Organizations account ARN DescribeAccount is authorised on (ids of a placeholder organisation). */
export function placeholderOrgAccountArn(accountId: string): string {
  return `arn:aws:organizations::000000000000:account/o-e2eplaceholder/${accountId}`;
}

export { REGION };
