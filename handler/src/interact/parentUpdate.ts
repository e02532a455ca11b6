import { callSlack } from '../deliver/slackWebApi.js';
import type { HttpDeps } from '../deliver/http.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../observe/logger.js';
import type { StateStore } from '../state/store.js';
import { isGone, parentSummary, slackCallOptions, statusEdit } from '../channels/slackApp.js';
import type { ActionDeps } from './actions.js';

/*
 * After a click acknowledged or archived a finding: record who and when on the
 * finding (so the notifier's later edits keep it), then edit the status line
 * of the finding's parent in every Slack app channel that posted one. A
 * failure here is logged only: the action itself has happened.
 */

type LifecycleChange = Parameters<NonNullable<ActionDeps['onLifecycle']>>[0];

export interface ParentUpdateDeps {
  config: () => Promise<Config>;
  state: StateStore;
  logger: Pick<Logger, 'warn' | 'info'>;
  httpDeps?: HttpDeps;
}

/** Slack answers within a few seconds; the interaction's follow-up has Lambda's time, not Slack's 3 s. */
const POLICY = { timeoutMs: 5_000, attempts: 2, maxRetryAfterSeconds: 3 };

/**
 * The endpoint's `onLifecycle`: records the change and edits each Slack app
 * parent of the finding (reference from the state table).
 *
 * @example deps.onLifecycle = updateParents({ config: () => source.get(), state, logger })
 */
export function updateParents(deps: ParentUpdateDeps): NonNullable<ActionDeps['onLifecycle']> {
  return async (change: LifecycleChange) => {
    if (!deps.state.enabled) return;
    await deps.state.setLifecycle(change.findingId, { action: change.status, by: change.by, at: change.at });
    const [config, record] = await Promise.all([deps.config(), deps.state.findingRecord(change.findingId)]);
    const lifecycle =
      change.status === 'archived' ? { action: 'archived' as const, by: change.by, at: change.at } : null;
    const summary = parentSummary(record ?? null, { score: null, count: null, lifecycle });
    const apps = config.channels.filter((c) => c.type === 'slack' && c.enabled && c.botToken !== undefined);
    await Promise.all(
      apps.map(async (channel) => {
        const ref = await deps.state.messageRef(change.findingId, channel.name);
        if (ref?.service !== 'slack') return;
        try {
          await callSlack(
            'chat.update',
            { channel: ref.channel, ts: ref.ts, ...statusEdit(change.findingId, summary) },
            slackCallOptions(channel, { http: POLICY, ...(deps.httpDeps ? { httpDeps: deps.httpDeps } : {}) }),
          );
          deps.logger.info('parent message updated', { channel: channel.name, findingId: change.findingId });
        } catch (error) {
          deps.logger.warn(isGone(error) ? 'parent message gone' : 'parent message not updated', {
            channel: channel.name,
            findingId: change.findingId,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }),
    );
  };
}
