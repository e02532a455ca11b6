import type { ChildProcess } from 'node:child_process';

export interface Moto {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** Environment for AWS SDK clients (and the function) pointed at this emulator: fake keys, us-east-1. */
  env: Record<string, string>;
  /** SIGTERM, SIGKILL after 3 s; resolves once the server has exited. */
  stop(): Promise<void>;
}

export interface MotoOptions {
  /** Append the server's stdout and stderr to this file; without it only the end of stderr is kept, for the error. */
  logFile?: string;
  /**
   * Start the server in its own process group and signal the group: a Ctrl-C
   * at the terminal then reaches only the caller, which stops it in order.
   */
  ownProcessGroup?: boolean;
  /** How long one start may take before it counts as failed (default 30 s). */
  startTimeoutMs?: number;
  /** Starts to try, each on a new port, since another process can take the port before moto binds it (default 1). */
  attempts?: number;
  /** Gets each server process as soon as it exists, so the caller can stop it on an exit that interrupts the start. */
  track?: (child: ChildProcess) => void;
}

/** Where `make python-deps` installs moto_server, or MOTO_SERVER; throws if it is not there. */
export declare function motoServerPath(): string;

/** The moto venv's interpreter: MOTO_PYTHON, else the python beside MOTO_SERVER, else the one `make python-deps` installs. */
export declare function motoPython(): string;

/** Starts moto (harness/moto_launcher.py: moto_server with its fidelity gaps closed) on a free 127.0.0.1 port and waits until it answers. */
export declare function startMoto(options?: MotoOptions): Promise<Moto>;
