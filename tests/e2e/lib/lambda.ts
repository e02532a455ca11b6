import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendLog, onCleanup, stopChild } from './proc.js';

const BOOTSTRAP = join(dirname(fileURLToPath(import.meta.url)), '..', 'lambda', 'bootstrap.mjs');

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

/** Starts one warm container (cold start included) running the deployed handler. */
export async function startContainer(options: ContainerOptions): Promise<Container> {
  const env = lambdaEnvironment(options);
  const logLines: string[] = [];
  const child: ChildProcess = fork(BOOTSTRAP, [], {
    cwd: options.taskRoot,
    env,
    execPath: process.execPath,
    execArgv: [], // not the harness's tsx loader: the container runs plain Node
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  const release = onCleanup(() => stopChild(child, 2_000));
  let partial = '';
  const onOutput = (d: Buffer) => {
    appendLog(options.logFile, d);
    const text = partial + d.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    logLines.push(...lines.filter((l) => l.length > 0));
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);

  type Message = { type: string; requestId?: string; [k: string]: unknown };
  const waiters = new Map<string, (m: Message) => void>();
  let exited = false;
  child.on('message', (m: Message) => waiters.get(m.requestId ?? m.type)?.(m));
  child.once('exit', (code, signal) => {
    exited = true;
    for (const w of waiters.values()) w({ type: 'crash', error: `container exited (${signal ?? code})` });
  });
  const waitFor = (key: string, timeoutMs: number) =>
    new Promise<Message>((resolve) => {
      const timer = setTimeout(() => {
        waiters.delete(key);
        resolve({ type: 'timeout' });
      }, timeoutMs);
      waiters.set(key, (m) => {
        clearTimeout(timer);
        waiters.delete(key);
        resolve(m);
      });
    });

  const booted = await Promise.race([waitFor('booted', 30_000)]);
  if (booted.type !== 'booted') throw new Error(`the Lambda container did not boot: ${JSON.stringify(booted)}`);
  const readyWait = new Promise<Message>((resolve) => {
    const timer = setTimeout(() => resolve({ type: 'timeout' }), 30_000);
    const done = (m: Message) => {
      clearTimeout(timer);
      waiters.delete('ready');
      waiters.delete('init-error');
      resolve(m);
    };
    waiters.set('ready', done);
    waiters.set('init-error', done);
  });
  child.send({ type: 'init', routes: options.routes });
  const ready = await readyWait;
  if (ready.type !== 'ready') {
    await release();
    throw new Error(`the deployed handler failed to initialise: ${String(ready.error ?? ready.type)}`);
  }
  const init = ready.init as { ms: number; file: string };

  return {
    init,
    logLines,
    async invoke(event) {
      if (exited) return { kind: 'crash', error: 'container is gone', ms: 0, refused: [] };
      const requestId = randomUUID();
      const timeoutMs = options.fn.Timeout * 1000;
      const reply = waitFor(requestId, timeoutMs + 1_000);
      child.send({ type: 'invoke', requestId, event, timeoutMs, functionArn: options.fn.FunctionArn });
      const m = await reply;
      if (m.type === 'timeout') {
        // Lambda ends a timed-out invocation's sandbox.
        await release();
        return { kind: 'timeout', ms: timeoutMs, refused: [] };
      }
      if (m.type === 'crash') return { kind: 'crash', error: m.error, ms: 0, refused: [] };
      return {
        kind: m.type === 'result' ? 'result' : 'error',
        result: m.result,
        error: m.error,
        ms: Number(m.ms ?? 0),
        refused: (m.refused as unknown[]) ?? [],
      };
    },
    stop: release,
  };
}

/** base64 SHA-256 of a file, as Lambda reports CodeSha256. */
export async function codeSha256(path: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(readFileSync(path)).digest('base64');
}
