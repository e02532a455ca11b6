// The moto AWS emulator, from the venv `make python-deps` installs, on a free
// loopback port: for the vitest suites, `make demo`, `make bench` and `make e2e`.
// Always through moto_launcher.py beside this file, so every harness gets the
// same emulator with moto's fidelity gaps closed (design.md §7).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort } from './http.mjs';

const REGION = 'us-east-1';
const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'moto_launcher.py');
const STOP_GRACE_MS = 3_000;

/** @param {string} name */
function venvBin(name) {
  return join(process.env.GDN_CACHE ?? join(homedir(), '.cache', 'guardduty-notify'), 'venv-moto', 'bin', name);
}

export function motoServerPath() {
  const path = process.env.MOTO_SERVER ?? venvBin('moto_server');
  if (!existsSync(path))
    throw new Error(`moto_server not found at ${path}: run \`make python-deps\` (or set MOTO_SERVER)`);
  return path;
}

export function motoPython() {
  const besideServer = process.env.MOTO_SERVER ? join(dirname(process.env.MOTO_SERVER), 'python') : undefined;
  const path = process.env.MOTO_PYTHON ?? besideServer ?? venvBin('python');
  if (!existsSync(path))
    throw new Error(`the moto venv's python is not at ${path}: run \`make python-deps\` (or set MOTO_PYTHON)`);
  return path;
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} signal
 * @param {boolean} group
 */
function send(child, signal, group) {
  if (group && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      /* the group is gone: fall back to the process */
    }
  }
  child.kill(signal);
}

/**
 * @param {string[]} argv
 * @param {{ logFile?: string, ownProcessGroup: boolean }} options
 */
function spawnServer([command, ...args], { logFile, ownProcessGroup }) {
  const child = spawn(/** @type {string} */ (command), args, {
    stdio: ['ignore', logFile ? 'pipe' : 'ignore', 'pipe'],
    detached: ownProcessGroup,
    // Unbuffered, so the log holds everything moto said when a run is interrupted.
    env: logFile ? { ...process.env, PYTHONUNBUFFERED: '1' } : process.env,
  });
  let stderrTail = '';
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  if (log) {
    log.on('error', () => undefined); // the caller's log directory may be gone after an interrupt
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  } else {
    child.stderr?.on('data', (d) => (stderrTail = (stderrTail + d).slice(-2000)));
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const kill = setTimeout(() => send(child, 'SIGKILL', ownProcessGroup), STOP_GRACE_MS);
      kill.unref();
      send(child, 'SIGTERM', ownProcessGroup);
      await exited;
      clearTimeout(kill);
    }
    log?.end();
  };
  return { child, stop, output: () => (logFile ? `see ${logFile}` : stderrTail) };
}

/**
 * @param {string} endpoint
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} timeoutMs
 * @returns {Promise<string | undefined>} why it is not up, or undefined once it answers
 */
async function waitUntilAnswering(endpoint, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return 'exited';
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (res.status < 500) return undefined;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) return `did not start within ${timeoutMs / 1000} s`;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * @param {import('./moto.d.mts').MotoOptions} [options]
 * @returns {Promise<import('./moto.d.mts').Moto>}
 */
export async function startMoto(options = {}) {
  const { logFile, ownProcessGroup = false, startTimeoutMs = 30_000, attempts = 1, track = () => {} } = options;
  motoServerPath(); // the launcher runs moto's server: say so when the venv is missing
  const what = 'the moto launcher';
  const command = [motoPython(), LAUNCHER];
  for (let attempt = 1; ; attempt++) {
    const port = await closedPort();
    const server = spawnServer([...command, '-H', '127.0.0.1', '-p', String(port)], { logFile, ownProcessGroup });
    track(server.child);
    const endpoint = `http://127.0.0.1:${port}`;
    const failure = await waitUntilAnswering(endpoint, server.child, startTimeoutMs);
    if (failure === undefined) {
      return {
        endpoint,
        env: {
          AWS_ENDPOINT_URL: endpoint,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_REGION: REGION,
          AWS_DEFAULT_REGION: REGION,
        },
        stop: server.stop,
      };
    }
    await server.stop();
    if (attempt >= attempts) throw new Error(`${what} ${failure}: ${server.output()}`);
  }
}
