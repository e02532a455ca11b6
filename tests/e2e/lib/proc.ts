import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';

/*
 * Processes and their cleanup. Everything the harness starts is registered
 * here and stopped in `finally` blocks, on SIGINT/SIGTERM and on an uncaught
 * error, by its own process id (or its own process group, for engines that
 * start provider plugins) — never by name.
 */

type Cleanup = () => Promise<void> | void;
const live = new Map<number, Cleanup>();
let nextId = 1;

/** appendFileSync that never throws (the log directory goes away when an interrupted run is cleaned up). */
export function appendLog(file: string, data: string | Buffer): void {
  try {
    appendFileSync(file, data);
  } catch {
    /* the run's directory is gone */
  }
}

/** Registers a cleanup; returns a function that runs it once and unregisters it. */
export function onCleanup(fn: Cleanup): () => Promise<void> {
  const id = nextId++;
  live.set(id, fn);
  return async () => {
    if (!live.delete(id)) return;
    await fn();
  };
}

let cleaning: Promise<void> | undefined;

/** Runs every registered cleanup (newest first), ignoring errors; concurrent callers share one pass. */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    while (live.size > 0) {
      const fns = [...live.entries()].reverse();
      live.clear();
      for (const [, fn] of fns) {
        try {
          await fn();
        } catch {
          /* best effort */
        }
      }
    }
  })().finally(() => {
    cleaning = undefined;
  });
  return cleaning;
}

/** Set once SIGINT/SIGTERM/SIGHUP arrived: the run ends with status 130 after cleaning up. */
export let interrupted = false;

let handlersInstalled = false;
export function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      interrupted = true;
      process.stderr.write(`\ne2e: ${signal}: stopping everything the harness started\n`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }
}

/** Sends a signal to a process group (negative pid), falling back to the process. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Stops a child: SIGTERM to its group, SIGKILL after `graceMs`; resolves when it has exited. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Output is appended here as it arrives (the run's log). */
  logFile: string;
  /** Label written to the log before the output. */
  label: string;
}

/** Runs a command in its own process group, with a timeout that kills the whole group. */
export function run(cmd: string, args: string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  appendLog(options.logFile, `\n$ ${options.label}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const release = onCleanup(() => stopChild(child));
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      appendLog(options.logFile, d);
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      appendLog(options.logFile, d);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      void stopChild(child);
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      void release();
      reject(new Error(`${options.label}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      void release();
      if (timedOut)
        return reject(
          new Error(
            `${options.label}: timed out after ${Math.round(options.timeoutMs / 1000)} s (see ${options.logFile})`,
          ),
        );
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: performance.now() - started });
    });
  });
}
