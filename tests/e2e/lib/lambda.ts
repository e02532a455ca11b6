import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startLambdaHost } from '../../../harness/lambdaHost.mjs';
import { appendLog, onCleanup, stopChild } from './proc.js';

/** What GetFunction reports, as far as the runtime needs it. */
export interface FunctionConfig {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Handler: string;
  MemorySize: number;
  Timeout: number;
  Version?: string;
  Environment?: { Variables?: Record<string, string> };
}

export interface InvokeOutcome {
  kind: 'result' | 'error' | 'timeout' | 'crash';
  result?: unknown;
  error?: unknown;
  ms: number;
  /** Destinations the sandbox refused during the invocation (should be none). */
  refused: unknown[];
}

export interface Container {
  init: { ms: number; file: string };
  invoke(event: unknown): Promise<InvokeOutcome>;
  /** Every line the function wrote (what CloudWatch Logs would hold). */
  logLines: string[];
  stop(): Promise<void>;
}

export interface ContainerOptions {
  taskRoot: string;
  fn: FunctionConfig;
  /** AWS API endpoint and the role session credentials the function runs with. */
  aws: { endpoint: string; accessKeyId: string; secretAccessKey: string; sessionToken: string; region: string };
  caFile: string;
  routes: Record<string, number>;
  logFile: string;
}

/**
 * The environment Lambda gives a Node.js function: its reserved variables,
 * the function's own variables (which cannot override the reserved ones), and
 * the role's session credentials. Two additions make it run here:
 * AWS_ENDPOINT_URL (the emulated region's API endpoint) and
 * NODE_EXTRA_CA_CERTS (the throwaway CA of the local receivers).
 */
export function lambdaEnvironment(options: ContainerOptions): Record<string, string> {
  const { fn, aws } = options;
  const reserved: Record<string, string> = {
    AWS_REGION: aws.region,
    AWS_DEFAULT_REGION: aws.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.Runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.FunctionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.MemorySize),
    AWS_LAMBDA_FUNCTION_VERSION: fn.Version ?? '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.FunctionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `e2e/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    AWS_ACCESS_KEY_ID: aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.secretAccessKey,
    AWS_SESSION_TOKEN: aws.sessionToken,
    LAMBDA_TASK_ROOT: options.taskRoot,
    _HANDLER: fn.Handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  };
  const own = fn.Environment?.Variables ?? {};
  const clash = Object.keys(own).filter((k) => k in reserved || k.startsWith('AWS_LAMBDA_'));
  if (clash.length > 0)
    throw new Error(`the function sets reserved environment variables Lambda refuses: ${clash.join(', ')}`);
  return { ...own, ...reserved, AWS_ENDPOINT_URL: aws.endpoint, NODE_EXTRA_CA_CERTS: options.caFile };
}

/** Starts one warm container (cold start included) running the deployed handler (harness/lambdaHost.mjs). */
export async function startContainer(options: ContainerOptions): Promise<Container> {
  const env = lambdaEnvironment(options);
  const logLines: string[] = [];
  let partial = '';
  let release: () => Promise<void> = async () => {};
  const timeoutMs = options.fn.Timeout * 1000;
  const host = await startLambdaHost({
    taskRoot: options.taskRoot,
    env,
    handler: options.fn.Handler,
    routes: options.routes,
    timeoutMs,
    detached: true,
    track: (child) => {
      release = onCleanup(() => stopChild(child, 2_000));
    },
    onOutput: (d) => {
      appendLog(options.logFile, d);
      const lines = (partial + d.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      // What CloudWatch Logs would hold: the function's lines, not the runtime's answers.
      logLines.push(...lines.filter((l) => l.length > 0 && !l.startsWith('{"lambdaHost":')));
    },
  });
  let gone = false;
  return {
    init: host.init,
    logLines,
    async invoke(event) {
      if (gone) return { kind: 'crash', error: 'container is gone', ms: 0, refused: [] };
      const outcome = await host.invoke(event, { requestId: randomUUID(), functionArn: options.fn.FunctionArn });
      if (outcome.kind === 'timeout') {
        // Lambda ends a timed-out invocation's sandbox.
        gone = true;
        await release();
        return { kind: 'timeout', ms: timeoutMs, refused: [] };
      }
      if (outcome.kind === 'crash') {
        gone = true;
        return { kind: 'crash', error: outcome.error, ms: 0, refused: [] };
      }
      return {
        kind: outcome.kind,
        result: outcome.result,
        error: outcome.error,
        ms: outcome.ms,
        refused: outcome.refused,
      };
    },
    stop: () => release(),
  };
}

/** base64 SHA-256 of a file, as Lambda reports CodeSha256. */
export async function codeSha256(path: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(readFileSync(path)).digest('base64');
}
