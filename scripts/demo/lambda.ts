import type { ChildProcess } from 'node:child_process';
import { startLambdaHost } from '../../harness/lambdaHost.mjs';

/*
 * The committed bundle, run as the deployed function would be (harness/lambdaHost.mjs):
 * unzipped to a temp dir and imported in its own Node process with the environment the
 * Terraform module sets. Everything the handler writes to stdout (JSON logs,
 * EMF metric lines) is collected per invocation.
 */

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
  const host = await startLambdaHost({ zipPath, env, track });
  return {
    async invoke(records) {
      const outcome = await host.invoke({ Records: records });
      if (outcome.kind !== 'result')
        throw new Error(`handler ${outcome.kind}: ${JSON.stringify(outcome.error ?? null).slice(0, 500)}`);
      const lines = outcome.lines.map((text) => {
        try {
          return JSON.parse(text) as Record<string, unknown>;
        } catch {
          return { level: 'RAW', message: text };
        }
      });
      return { result: outcome.result as Invocation['result'], lines, ms: Math.round(outcome.ms) };
    },
    stop: host.stop,
  };
}
