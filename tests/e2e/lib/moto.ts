import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort, onCleanup, stopChild } from './proc.js';

const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), '..', 'moto_launcher.py');

/** The moto venv's interpreter (`make python-deps`), or MOTO_PYTHON. */
export function motoPython(): string {
  const fromServer = process.env.MOTO_SERVER ? join(dirname(process.env.MOTO_SERVER), 'python') : undefined;
  const path =
    process.env.MOTO_PYTHON ??
    fromServer ??
    join(process.env.GDN_CACHE ?? join(homedir(), '.cache', 'guardduty-notify'), 'venv-moto', 'bin', 'python');
  if (!existsSync(path)) throw new Error(`the moto venv's python is not at ${path}: run \`make python-deps\` (or set MOTO_PYTHON)`);
  return path;
}

export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts tests/e2e/moto_launcher.py (moto's server with the emulator gaps
 * closed) on a free 127.0.0.1 port and waits until it answers.
 */
export async function startMoto(logFile: string): Promise<MotoServer> {
  const python = motoPython();
  for (let attempt = 1; ; attempt++) {
    const port = await closedPort();
    const log = createWriteStream(logFile, { flags: 'a' });
    log.on('error', () => undefined); // the run's directory may be gone after an interrupt
    const child = spawn(python, [LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const stop = onCleanup(async () => {
      await stopChild(child, 3_000);
      log.end();
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
        if (res.status < 500) {
          up = true;
          break;
        }
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (up) return { endpoint, stop };
    await stop();
    // A port taken between closedPort() and the bind: try another one.
    if (attempt >= 3) throw new Error(`the moto launcher did not start (see ${logFile})`);
  }
}
