import type { ChildProcess } from 'node:child_process';

export interface LambdaHostOptions {
  /** The unzipped deployment package, or */
  taskRoot?: string;
  /** the zip to unzip into a temporary directory (removed by `stop`). */
  zipPath?: string;
  /** The function's environment (PATH is added; LAMBDA_TASK_ROOT and _HANDLER are set). */
  env: Record<string, string>;
  /** The handler setting, "<module>.<export>" (default "index.handler"). */
  handler?: string;
  /** Network sandbox for the end-to-end run: "host:port" → local port; everything else non-loopback is refused. */
  routes?: Record<string, number>;
  /** Invocation timeout (default 60 s), what getRemainingTimeInMillis counts down from. */
  timeoutMs?: number;
  /** The Node binary the function runs on (default: this one). */
  nodePath?: string;
  /** Start the process in its own process group (stopped as a group). */
  detached?: boolean;
  /** Gets the process as soon as it exists. */
  track?: (child: ChildProcess) => void;
  /** Every chunk the process writes to stdout or stderr. */
  onOutput?: (chunk: Buffer) => void;
}

export interface InvokeOutcome {
  kind: 'result' | 'error' | 'timeout' | 'crash';
  result?: unknown;
  error?: unknown;
  ms: number;
  /** Destinations the network sandbox refused during the invocation. */
  refused: unknown[];
  /** The lines the handler wrote during the invocation (logs, EMF metrics), in order. */
  lines: string[];
}

export interface LambdaHost {
  /** Cold start: how long the module took to import, and which file. */
  init: { ms: number; file: string };
  child: ChildProcess;
  invoke(
    event: unknown,
    options?: { requestId?: string; timeoutMs?: number; functionArn?: string },
  ): Promise<InvokeOutcome>;
  /** SIGTERM (SIGKILL after 2 s); removes an unzipped package. */
  stop(): Promise<void>;
}

/**
 * Runs a Lambda bundle as the Node.js runtime does: its own process with the
 * function's environment, one warm container, invocations one at a time.
 *
 * @example const fn = await startLambdaHost({ zipPath: 'handler/dist/lambda.zip', env: { ...moto.env, GDN_CONFIG_SECRET_ARN } });
 */
export declare function startLambdaHost(options: LambdaHostOptions): Promise<LambdaHost>;
