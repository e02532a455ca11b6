// The one Lambda host of every harness (demo, end-to-end; the bench keeps its
// own one-shot child for memory figures): the bundle runs in its own plain
// Node process (harness/lambda/runtime.mjs) with the function's environment,
// is imported once (cold start), then handles one invocation at a time. Each
// outcome carries the lines the handler wrote meanwhile (JSON logs, EMF).
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { extractZip } from './unzip.mjs';

const RUNTIME = join(dirname(fileURLToPath(import.meta.url)), 'lambda', 'runtime.mjs');

/**
 * @param {import('./lambdaHost.d.mts').LambdaHostOptions} options
 * @returns {Promise<import('./lambdaHost.d.mts').LambdaHost>}
 */
export async function startLambdaHost(options) {
  const { env, handler = 'index.handler', routes, timeoutMs = 60_000, detached = false } = options;
  let taskRoot = options.taskRoot;
  let unzipped;
  if (!taskRoot) {
    if (!options.zipPath) throw new Error('startLambdaHost needs taskRoot or zipPath');
    unzipped = mkdtempSync(join(tmpdir(), 'gdn-lambda-'));
    extractZip(readFileSync(options.zipPath), unzipped);
    taskRoot = unzipped;
  }
  const child = fork(RUNTIME, [], {
    cwd: taskRoot,
    env: {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      ...env,
      LAMBDA_TASK_ROOT: taskRoot,
      _HANDLER: handler,
    },
    execPath: options.nodePath ?? process.execPath,
    execArgv: [], // not the caller's loader (tsx): the function runs on plain Node
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached,
  });
  options.track?.(child);

  /** @type {string[]} */
  let pending = [];
  /** @type {Map<string, (message: Record<string, unknown>) => void>} */
  const waiters = new Map();
  let stderr = '';
  child.stderr?.on('data', (d) => {
    options.onOutput?.(d);
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  child.stdout?.on('data', (d) => options.onOutput?.(d));
  createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) }).on('line', (text) => {
    /** @type {Record<string, unknown> | undefined} */
    let marker;
    if (text.startsWith('{"lambdaHost":')) {
      try {
        marker = JSON.parse(text);
      } catch {
        marker = undefined;
      }
    }
    if (!marker) {
      if (text.length > 0) pending.push(text);
      return;
    }
    const key = /** @type {string} */ (marker.requestId ?? marker.lambdaHost);
    const lines = pending;
    pending = [];
    waiters.get(key)?.({ ...marker, lines });
  });
  child.once('exit', (code, signal) => {
    for (const w of waiters.values())
      w({ lambdaHost: 'crash', error: `the function's process exited (${signal ?? code}): ${stderr}` });
    waiters.clear();
  });

  /**
   * @param {string[]} keys
   * @param {number} ms
   * @returns {Promise<Record<string, unknown>>}
   */
  const waitFor = (keys, ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const k of keys) waiters.delete(k);
        resolve({ lambdaHost: 'timeout', lines: [] });
      }, ms);
      for (const k of keys)
        waiters.set(k, (m) => {
          clearTimeout(timer);
          for (const key of keys) waiters.delete(key);
          resolve(m);
        });
    });

  const stop = () =>
    new Promise((resolve) => {
      const done = () => {
        if (unzipped) rmSync(unzipped, { recursive: true, force: true });
        resolve(undefined);
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      const signal = (/** @type {NodeJS.Signals} */ s) => {
        try {
          if (detached && child.pid) process.kill(-child.pid, s);
          else child.kill(s);
        } catch {
          child.kill(s);
        }
      };
      signal('SIGTERM');
      setTimeout(() => signal('SIGKILL'), 2_000).unref();
    });

  const booted = await waitFor(['booted'], 30_000);
  if (booted.lambdaHost !== 'booted') {
    await stop();
    throw new Error(`the Lambda runtime did not boot: ${String(booted.error ?? booted.lambdaHost)} ${stderr}`);
  }
  const readyWait = waitFor(['ready', 'init-error'], 30_000);
  child.send({ type: 'init', routes });
  const ready = await readyWait;
  if (ready.lambdaHost !== 'ready') {
    await stop();
    throw new Error(`the handler failed to initialise: ${String(ready.error ?? ready.lambdaHost)}`);
  }

  let next = 0;
  return {
    init: /** @type {{ ms: number, file: string }} */ (ready.init),
    child,
    async invoke(event, invokeOptions = {}) {
      const requestId = invokeOptions.requestId ?? `harness-${++next}`;
      const wait = waitFor([requestId], (invokeOptions.timeoutMs ?? timeoutMs) + 5_000);
      child.send({
        type: 'invoke',
        requestId,
        event,
        timeoutMs: invokeOptions.timeoutMs ?? timeoutMs,
        functionArn: invokeOptions.functionArn,
      });
      const m = await wait;
      const kind =
        m.lambdaHost === 'result'
          ? 'result'
          : m.lambdaHost === 'error'
            ? 'error'
            : m.lambdaHost === 'crash'
              ? 'crash'
              : 'timeout';
      return {
        kind,
        result: m.result,
        error: m.error,
        ms: typeof m.ms === 'number' ? m.ms : 0,
        refused: /** @type {unknown[]} */ (m.refused ?? []),
        lines: /** @type {string[]} */ (m.lines ?? []),
      };
    },
    stop,
  };
}
