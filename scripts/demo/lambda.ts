import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { extractZip } from '../../harness/unzip.mjs';

/*
 * The committed bundle, run as the deployed function would be: unzipped to a
 * temp dir and imported in its own Node process with the environment the
 * Terraform module sets. Everything the handler writes to stdout (JSON logs,
 * EMF metric lines) is collected per invocation.
 */

const HOST = join(dirname(fileURLToPath(import.meta.url)), 'lambda-host.mjs');

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, never>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface Invocation {
  result: { batchItemFailures: Array<{ itemIdentifier: string }> };
  /** Parsed JSON lines the handler wrote: logs (`level`) and EMF metrics (`_aws`). */
  lines: Array<Record<string, unknown>>;
  ms: number;
}

export interface LambdaHost {
  invoke(records: SqsRecord[]): Promise<Invocation>;
  /** Stops the process and removes the unzipped bundle. */
  stop(): Promise<void>;
}

/**
 * Unzips `zipPath` and starts it in a child process with `env` (plus PATH);
 * `track` gets the process as soon as it exists.
 *
 * @example const lambda = await startLambda('handler/dist/lambda.zip', { GDN_CONFIG_SECRET_ARN: arn, … })
 */
export async function startLambda(
  zipPath: string,
  env: Record<string, string>,
  track: (child: ChildProcess) => void = () => {},
): Promise<LambdaHost> {
  const dir = mkdtempSync(join(tmpdir(), 'gdn-demo-bundle-'));
  extractZip(readFileSync(zipPath), dir);
  const child: ChildProcess = fork(HOST, [dir], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [],
  });
  track(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let pending: Array<Record<string, unknown>> = [];
  const waiters = new Map<number, { done: (line: Record<string, unknown>) => void; fail: (error: Error) => void }>();
  child.on('exit', (code) => {
    for (const waiter of waiters.values()) waiter.fail(new Error(`the bundle's process exited (${code}): ${stderr}`));
    waiters.clear();
  });
  let ready: (() => void) | undefined;
  const readyPromise = new Promise<void>((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) =>
      reject(new Error(`the bundle's process exited (${code}) before it was ready: ${stderr}`)),
    );
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      line = { level: 'RAW', message: text };
    }
    if (line.demoReady) ready?.();
    else if (typeof line.demoInvocation === 'number') waiters.get(line.demoInvocation)?.done(line);
    else pending.push(line);
  });
  await readyPromise;
  let next = 0;
  return {
    invoke(records) {
      const id = next++;
      const started = Date.now();
      return new Promise<Invocation>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`invocation ${id} did not finish within 60 s: ${stderr}`)),
          60_000,
        );
        waiters.set(id, {
          fail: (error) => {
            clearTimeout(timer);
            reject(error);
          },
          done: (line) => {
            clearTimeout(timer);
            waiters.delete(id);
            const lines = pending;
            pending = [];
            if (typeof line.error === 'string') reject(new Error(`handler threw: ${line.error}`));
            else resolve({ result: line.result as Invocation['result'], lines, ms: Date.now() - started });
          },
        });
        child.send({ id, event: { Records: records } });
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}
