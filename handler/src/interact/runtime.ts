import { readSecretString } from '../config/secretsManager.js';
import { secretValues } from '../config/parse.js';
import { createConfigSource } from '../config/source.js';
import { severityBand } from '../finding/severity.js';
import { createLogger, parseLogLevel } from '../observe/logger.js';
import { cachedGroupMembers, authorise } from './authorise.js';
import { createDynamoClaims } from './claims.js';
import type { InteractionState } from './actions.js';
import type { EndpointDeps } from './endpoint.js';
import { createGuardDutyActions } from './guardduty.js';
import { responseUrlReplier, slackGroupMembers } from './slackWeb.js';
import type { GroupMembers } from './authorise.js';
import { updateParents } from './parentUpdate.js';
import { createStateStore } from '../state/store.js';

/** Environment the interaction function reads (set by the Terraform module). */
export const INTERACTION_ENV = {
  configSecretArn: 'GDN_CONFIG_SECRET_ARN',
  stateTable: 'GDN_STATE_TABLE',
  stateTtlDays: 'GDN_STATE_TTL_DAYS',
  metricsNamespace: 'GDN_METRICS_NAMESPACE',
  logLevel: 'GDN_LOG_LEVEL',
} as const;

/** Without a state table, claims are unknown: actions still run once per click (GuardDuty's calls are idempotent). */
const statelessClaims: InteractionState = { claim: async () => ({ claimed: 'unknown' }) };

/**
 * The interaction function's dependencies, from the environment. No I/O here:
 * the config secret is read on the first request.
 */
export function createInteractionRuntime(env: NodeJS.ProcessEnv = process.env): EndpointDeps {
  const logger = createLogger(parseLogLevel(env[INTERACTION_ENV.logLevel]));
  const secretArn = env[INTERACTION_ENV.configSecretArn];
  const config = createConfigSource({
    read: async () => {
      if (!secretArn) throw new Error(`${INTERACTION_ENV.configSecretArn} is not set`);
      return readSecretString(secretArn);
    },
    refreshMs: 300_000,
    onLoaded: (loaded) => logger.addSecrets(secretValues(loaded)),
    onStaleConfig: (error) =>
      logger.error('config refresh failed; still using the last good config', { error: error.message }),
  });
  const namespace = env[INTERACTION_ENV.metricsNamespace] || 'GuardDutyNotify';
  const table = env[INTERACTION_ENV.stateTable];
  const ttlDays = Number(env[INTERACTION_ENV.stateTtlDays]) || 90;
  let members: { token: string; read: GroupMembers } | undefined;
  const claims = table
    ? createDynamoClaims({
        tableName: table,
        ttlDays,
        onUnavailable: (error) => logger.warn('state table unavailable; acting without a claim', { error }),
      })
    : undefined;
  /** One CloudWatch embedded-metric line (no API call). */
  const emit = (name: string, unit: 'Count' | 'Seconds', value: number, dimensions: Record<string, string>) =>
    process.stdout.write(
      `${JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            { Namespace: namespace, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: name, Unit: unit }] },
          ],
        },
        ...dimensions,
        [name]: value,
      })}\n`,
    );
  // The same table as the claims: GetItem/UpdateItem only, which the endpoint's role already has.
  const state = table
    ? createStateStore({ GDN_STATE_TABLE: table, GDN_STATE_TTL_DAYS: env[INTERACTION_ENV.stateTtlDays] }, { logger })
    : null;
  return {
    ...(state ? { onLifecycle: updateParents({ config: () => config.get(), state, logger }) } : {}),
    slackApp: async () => (await config.get()).slackApp ?? null,
    nowSeconds: () => Date.now() / 1000,
    now: () => new Date(),
    logger,
    region: env.AWS_REGION ?? 'us-east-1',
    count: (metric, reason) => emit(metric, 'Count', 1, { Reason: reason }),
    guardduty: createGuardDutyActions(),
    state: claims ?? statelessClaims,
    onResponse: async ({ findingId, action, at }) => {
      // Time from the notifier's first sighting to the team's response, by the finding's severity band.
      const alert = await claims?.alertOf(findingId);
      if (!alert) return;
      const seconds = Math.max(0, (Date.parse(at) - Date.parse(alert.firstSeenAt)) / 1000);
      if (!Number.isFinite(seconds)) return;
      const metric = action === 'acknowledge' ? 'TimeToAcknowledge' : 'TimeToArchive';
      emit(metric, 'Seconds', seconds, { Severity: severityBand(alert.highestSeverity) });
    },
    replier: (responseUrl, app) =>
      responseUrlReplier(responseUrl, {
        allowedPrefix: app.responseUrlPrefix,
        onDropped: (why) => logger.warn('reply not sent', { why }),
      }),
    authorised: (action, userId, app) => {
      if (app.botToken && members?.token !== app.botToken) {
        members = { token: app.botToken, read: cachedGroupMembers(slackGroupMembers(app.botToken, app.apiBaseUrl)) };
      }
      const read: GroupMembers = members && app.botToken ? members.read : async () => [];
      return authorise(action, userId, app, read);
    },
  };
}
