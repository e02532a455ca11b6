import type { ProcessorDeps } from './batch/process.js';
import { readSecretString } from './config/secretsManager.js';
import { secretValues } from './config/parse.js';
import { createConfigSource } from './config/source.js';
import { defaultHttpDeps } from './deliver/http.js';
import { createPacer } from './deliver/pacer.js';
import { sendMail } from './deliver/smtp.js';
import { snsPublish, snsPublishBatch } from './deliver/sns.js';
import { createSqsQueueWriter, queueDepth } from './deliver/sqs.js';
import { createAccountNamer } from './enrich/accounts.js';
import { describeAccountName } from './enrich/organizations.js';
import { createLogger, parseLogLevel } from './observe/logger.js';
import { createMetrics } from './observe/metrics.js';
import { createSeverityMemory } from './route/history.js';
import type { ReportDeps } from './report/deliver.js';
import { createStateMetrics } from './state/metrics.js';
import { createStateStore } from './state/store.js';

/** Environment variables the deployed function reads (set by the Terraform module). */
export const ENV = {
  configSecretArn: 'GDN_CONFIG_SECRET_ARN',
  configRefreshSeconds: 'GDN_CONFIG_REFRESH_SECONDS',
  retryQueueUrl: 'GDN_RETRY_QUEUE_URL',
  dlqUrl: 'GDN_DLQ_URL',
  maxRequeues: 'GDN_MAX_REQUEUES',
  metricsNamespace: 'GDN_METRICS_NAMESPACE',
  logLevel: 'GDN_LOG_LEVEL',
  /** The state table's name (createStateStore reads it); unset = stateless. */
  stateTable: 'GDN_STATE_TABLE',
  stateTtlDays: 'GDN_STATE_TTL_DAYS',
} as const;

function intFrom(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

/**
 * What the Lambda entry needs: the batch processor's dependencies and the
 * report's, except its GuardDuty client (the entry creates that with the
 * report's code, loaded on the weekly report only).
 */
export type Runtime = ProcessorDeps & Pick<ReportDeps, 'queues'>;

/**
 * Builds the processor's and the report's dependencies from the environment.
 * Called once per container; nothing here performs I/O (the secret is read on
 * first use).
 */
export function createRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  const logger = createLogger(parseLogLevel(env[ENV.logLevel]));
  const secretArn = env[ENV.configSecretArn];
  const config = createConfigSource({
    read: async () => {
      if (!secretArn) throw new Error(`${ENV.configSecretArn} is not set`);
      return readSecretString(secretArn);
    },
    refreshMs: intFrom(env[ENV.configRefreshSeconds], 300, 0, 86_400) * 1000,
    onLoaded: (loaded) => {
      logger.addSecrets(secretValues(loaded));
      logger.info('config loaded', {
        channels: loaded.channels.map((c) => ({ name: c.name, type: c.type, enabled: c.enabled })),
      });
    },
    onStaleConfig: (error) =>
      logger.error('config refresh failed; still using the last good config', { error: error.message }),
  });
  const namespace = env[ENV.metricsNamespace] || 'GuardDutyNotify';
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const channelMetrics = createMetrics(namespace, write);
  const stateMetrics = createStateMetrics(namespace, write);
  return {
    config,
    state: createStateStore(env, { logger, onUnavailable: (failure) => stateMetrics.unavailable(failure) }),
    accounts: createAccountNamer({
      describeAccount: describeAccountName,
      onError: (accountId, error) => logger.warn('account name lookup failed; using the id', { accountId, error }),
    }),
    history: createSeverityMemory(),
    send: { httpDeps: defaultHttpDeps, snsPublish, snsPublishBatch, sendMail },
    queue: createSqsQueueWriter(env[ENV.retryQueueUrl], env[ENV.dlqUrl]),
    pacer: createPacer(),
    logger,
    metrics: {
      ...channelMetrics,
      flush() {
        channelMetrics.flush();
        stateMetrics.flush();
      },
    },
    maxRequeues: intFrom(env[ENV.maxRequeues], 5, 0, 50),
    queues: { queueDepth, queueUrl: env[ENV.retryQueueUrl], dlqUrl: env[ENV.dlqUrl] },
  };
}
