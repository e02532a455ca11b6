import type { Logger } from '../observe/logger.js';
import { type AuthorisationCheck, runAction } from './actions.js';
import type { SlackAppConfig } from './config.js';
import { readButton } from './buttons.js';
import { authenticate, parseInteraction, type Refusal } from './request.js';
import type { ActionDeps } from './actions.js';

/*
 * The interaction endpoint's request path: authenticate, parse, check the
 * team, answer Slack at once, and do the work afterwards (results go to the
 * interaction's response_url). Pure apart from the injected edges.
 */

export interface EndpointDeps extends ActionDeps {
  /** The `slackApp` config section, or null when the config has none. */
  slackApp: () => Promise<SlackAppConfig | null>;
  nowSeconds: () => number;
  logger: Logger;
  /** Counts a refusal or an outcome (EMF metric per reason). */
  count: (
    metric: 'InteractionRefused' | 'InteractionNotAllowed' | 'InteractionDone' | 'InteractionFailed',
    reason: string,
  ) => void;
  authorised: AuthorisationCheck;
}

export interface EndpointResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** Work to run after the response was sent (the function keeps running until it settles). */
  followUp?: () => Promise<void>;
}

const plain = (statusCode: number, body = ''): EndpointResult => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
});

function refuse(deps: EndpointDeps, refusal: Refusal): EndpointResult {
  deps.count('InteractionRefused', refusal.reason);
  deps.logger.warn('interaction refused', { status: refusal.status, reason: refusal.reason });
  // The body says only the status: a prober learns nothing about why.
  return plain(refusal.status, refusal.status === 401 ? 'unauthorized' : 'bad request');
}

/**
 * Handles one function URL request from Slack. Every request is authenticated
 * (signature over the raw body) before anything else of it is read.
 */
export async function handleInteraction(event: unknown, deps: EndpointDeps): Promise<EndpointResult> {
  let app: SlackAppConfig | null;
  try {
    app = await deps.slackApp();
  } catch (error) {
    deps.logger.error('interaction endpoint: config unavailable', { error });
    return plain(503, 'unavailable');
  }
  if (!app) {
    deps.count('InteractionRefused', 'not-configured');
    deps.logger.warn('interaction refused: the config has no slackApp section');
    return plain(404, 'not found');
  }
  const auth = authenticate(event, app.signingSecret, deps.nowSeconds());
  if (!auth.ok) return refuse(deps, auth.refusal);
  const parsed = parseInteraction(auth.rawBody);
  if (!parsed.ok) return refuse(deps, parsed.refusal);
  const payload = parsed.payload;
  const actor = { userId: payload.user.id, teamId: payload.team.id, name: payload.user.username ?? payload.user.name };
  const reply = deps.replier(payload.response_url, app);

  if (payload.team.id !== app.teamId || (payload.user.team_id !== undefined && payload.user.team_id !== app.teamId)) {
    deps.count('InteractionNotAllowed', 'team');
    deps.logger.warn('interaction from another workspace', { audit: true, user: actor.userId, team: actor.teamId });
    return {
      ...plain(200),
      followUp: () => reply.ephemeral('Sorry, this workspace is not allowed to act on these findings.'),
    };
  }

  const pressed = payload.actions.map((action) => ({ action, button: readButton(action) }));
  return {
    ...plain(200),
    followUp: async () => {
      for (const { action, button } of pressed) {
        if (!button) {
          deps.count('InteractionRefused', 'unknown-action');
          deps.logger.warn('interaction with an unknown action or value', {
            audit: true,
            user: actor.userId,
            actionId: action.action_id.slice(0, 64),
          });
          await reply.ephemeral('Sorry, that button is not one this app understands.');
          continue;
        }
        await runAction(button, { ...actor, message: payload.container?.message_ts ?? payload.message?.ts }, app, {
          ...deps,
          reply,
        });
      }
    },
  };
}
