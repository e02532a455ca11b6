import { startMoto as startMotoServer, type Moto } from '../../../harness/moto.mjs';
import { onCleanup, stopChild } from './proc.js';

/**
 * Starts harness/moto_launcher.py (moto's server with the emulator gaps
 * closed) on a free 127.0.0.1 port and waits until it answers; its output
 * goes to `logFile`.
 */
export function startMoto(logFile: string): Promise<Moto> {
  return startMotoServer({
    logFile,
    // Stopped by the harness's cleanup, by process group like everything it starts.
    ownProcessGroup: true,
    track: (child) => onCleanup(() => stopChild(child, 3_000)),
    // Several runs start their emulators at once: more time, and a new port when one is taken.
    startTimeoutMs: 60_000,
    attempts: 3,
  });
}
