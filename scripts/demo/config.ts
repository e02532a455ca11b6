import { SANDBOX_ACCOUNT } from './findings.js';

/*
 * The config secret the demo writes to (emulated) Secrets Manager: one channel
 * of every type pointing at the local receivers, plus two that show routing.
 * Credentials here are demo values for local servers; real ones belong only in
 * the secret.
 */

export interface DemoEndpoints {
  slack: string;
  slackOncall: string;
  slackSandbox: string;
  teams: string;
  googleChat: string;
  pagerduty: string;
  webhook: string;
  smtp: { port: number; user: string; pass: string };
  topicArn: string;
}

export const DEMO_ROUTING_KEY = 'DEMO0ROUTING0KEY0000000000000000';
export const DEMO_HMAC_SECRET = 'demo-webhook-signing-secret';
export const PROD_ACCOUNTS = ['111122223333', '444455556666'];

/*
 * Chat channels get `minIntervalMs: 0` and `digestThreshold: null`. In
 * production, pacing (Slack and Google Chat webhooks take about one message a
 * second) and digests (one summary instead of a flood) are what you want; the
 * demo's receivers have no rate limit and the gallery wants one message per
 * finding, so both are off there. `sandbox-digest` keeps a digest on purpose.
 */
const ONE_MESSAGE_PER_FINDING = { minIntervalMs: 0, digestThreshold: null };

export function demoConfig(e: DemoEndpoints): Record<string, unknown> {
  return {
    defaults: {
      minSeverity: 'LOW',
      // The module's default noise policy: an update notifies only when its severity rose.
      notifyOn: 'escalations',
      // Production accounts only; the sandbox account's findings go to sandbox-digest alone.
      include: { accounts: PROD_ACCOUNTS },
    },
    accountNames: { '111122223333': 'prod-payments', '444455556666': 'prod-data', [SANDBOX_ACCOUNT]: 'sandbox' },
    // No AWS Organizations here; names come from accountNames.
    lookupAccountNames: false,
    delivery: { timeoutMs: 5000, attempts: 2, maxRetryAfterSeconds: 1 },
    channels: [
      { name: 'sec-slack', type: 'slack', webhookUrl: e.slack, ...ONE_MESSAGE_PER_FINDING },
      { name: 'sec-teams', type: 'teams', webhookUrl: e.teams, ...ONE_MESSAGE_PER_FINDING },
      { name: 'sec-chat', type: 'googleChat', webhookUrl: e.googleChat, ...ONE_MESSAGE_PER_FINDING },
      {
        name: 'sec-email',
        type: 'email',
        smtp: { host: '127.0.0.1', port: e.smtp.port, user: e.smtp.user, pass: e.smtp.pass, requireTls: true },
        from: 'GuardDuty Notify <guardduty@example.com>',
        to: ['security@example.com'],
        cc: ['soc-lead@example.com'],
        subjectPrefix: 'SECURITY',
        digestThreshold: null,
      },
      // Audit trail and SIEM want every occurrence, archived ones too.
      { name: 'audit-sns', type: 'sns', topicArn: e.topicArn, notifyOn: 'all', includeArchived: true },
      {
        name: 'siem',
        type: 'webhook',
        url: e.webhook,
        headers: { Authorization: 'Bearer demo-siem-token' },
        hmacSecret: DEMO_HMAC_SECRET,
        notifyOn: 'all',
        includeArchived: true,
      },
      // Pages only for HIGH and CRITICAL.
      {
        name: 'oncall-pagerduty',
        type: 'pagerduty',
        routingKey: DEMO_ROUTING_KEY,
        eventsUrl: e.pagerduty,
        minSeverity: 'HIGH',
      },
      // Routing: the on-call Slack channel hears only HIGH+ and no reconnaissance, with @here.
      {
        name: 'slack-oncall',
        type: 'slack',
        webhookUrl: e.slackOncall,
        mention: '<!here>',
        minSeverity: 'HIGH',
        exclude: { types: ['Recon:*'] },
        ...ONE_MESSAGE_PER_FINDING,
      },
      // Digest: the sandbox account's findings, summarised when more than 5 arrive in one batch.
      {
        name: 'sandbox-digest',
        type: 'slack',
        webhookUrl: e.slackSandbox,
        include: { accounts: [SANDBOX_ACCOUNT] },
        minIntervalMs: 0,
        digestThreshold: 5,
      },
    ],
  };
}
