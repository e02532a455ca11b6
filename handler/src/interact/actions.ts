import { at } from '../finding/read.js';
import type { Logger } from '../observe/logger.js';
import type { Authorisation } from './authorise.js';
import type { ButtonName, ButtonValue } from './buttons.js';
import type { InteractionAction, SlackAppConfig } from './config.js';
import { proposeSuppression } from './suppress.js';

/*
 * What each button does, once the request is authenticated and the user
 * authorised. Every action is idempotent: a second click (or Slack's retry)
 * finds the first one's record and says so instead of acting again.
 */

/** GuardDuty in the administrator account, in this function's region. */
export interface GuardDutyActions {
  /** The administrator's own detector (ListDetectors); only it can archive members' findings. */
  detectorId(): Promise<string>;
  /** The finding as GetFindings returns it, or null when this detector does not have it. */
  getFinding(detectorId: string, findingId: string): Promise<unknown | null>;
  archive(detectorId: string, findingIds: string[]): Promise<void>;
  feedback(detectorId: string, findingIds: string[], feedback: 'USEFUL' | 'NOT_USEFUL'): Promise<void>;
}

export type Claim =
  | { claimed: true }
  | { claimed: false; by: string; at: string }
  /** The state table could not be reached: the action goes ahead (GuardDuty's own calls are idempotent). */
  | { claimed: 'unknown' };

/** The state table's part in interactions: one conditional write per (finding, action). */
export interface InteractionState {
  claim(findingId: string, action: string, by: string, atIso: string): Promise<Claim>;
}

export interface Replier {
  /** A message only the clicking user sees (through the interaction's response_url). */
  ephemeral(text: string): Promise<void>;
}

export type AuthorisationCheck = (
  action: InteractionAction,
  userId: string,
  app: SlackAppConfig,
) => Promise<Authorisation>;

export interface ActionDeps {
  guardduty: GuardDutyActions;
  state: InteractionState;
  /** The region this function (and the administrator's detector it uses) runs in. */
  region: string;
  now: () => Date;
  replier: (responseUrl: string | undefined, app: SlackAppConfig) => Replier;
  /** Called after a finding was acknowledged or archived from Slack: time-to-respond metrics. */
  onResponse?: (change: { findingId: string; action: 'acknowledge' | 'archive'; at: string }) => Promise<void>;
  /** Called after a finding was acknowledged or archived, to update the parent message. */
  onLifecycle?: (change: {
    findingId: string;
    status: 'acknowledged' | 'archived';
    by: string;
    at: string;
  }) => Promise<void>;
}

interface RunDeps extends ActionDeps {
  reply: Replier;
  logger: Logger;
  authorised: AuthorisationCheck;
  count: (metric: 'InteractionNotAllowed' | 'InteractionDone' | 'InteractionFailed', reason: string) => void;
}

export interface Actor {
  userId: string;
  teamId: string;
  name?: string | undefined;
  message?: string | undefined;
}

const PERMISSION: Record<ButtonName, InteractionAction> = {
  acknowledge: 'acknowledge',
  archive: 'archive',
  useful: 'feedback',
  notUseful: 'feedback',
  suppress: 'suppress',
};

/** Slack mention of a user id (ids are checked to be [A-Z0-9], so this cannot inject). */
const mention = (userId: string) => `<@${userId}>`;

async function acknowledge(target: ButtonValue, actor: Actor, deps: RunDeps): Promise<string> {
  const at = deps.now().toISOString();
  const claim = await deps.state.claim(target.f, 'acknowledge', actor.userId, at);
  if (claim.claimed === false) return `Already acknowledged by ${mention(claim.by)} at ${claim.at}.`;
  await deps.onLifecycle?.({ findingId: target.f, status: 'acknowledged', by: actor.userId, at });
  if (claim.claimed === true) await deps.onResponse?.({ findingId: target.f, action: 'acknowledge', at });
  return claim.claimed === 'unknown'
    ? `Acknowledged by ${mention(actor.userId)} (not recorded: the state table is unavailable).`
    : `Acknowledged by ${mention(actor.userId)}.`;
}

async function archive(target: ButtonValue, actor: Actor, deps: RunDeps, why = 'Archived'): Promise<string> {
  const detectorId = await deps.guardduty.detectorId();
  const finding = await deps.guardduty.getFinding(detectorId, target.f);
  if (finding === null) return "That finding is not in this account's GuardDuty detector; nothing was changed.";
  if (at(finding, 'service', 'archived') === true) return 'That finding is already archived.';
  const now = deps.now().toISOString();
  const claim = await deps.state.claim(target.f, 'archive', actor.userId, now);
  if (claim.claimed === false) return `Already archived by ${mention(claim.by)} at ${claim.at}.`;
  await deps.guardduty.archive(detectorId, [target.f]);
  await deps.onLifecycle?.({ findingId: target.f, status: 'archived', by: actor.userId, at: now });
  if (claim.claimed === true) await deps.onResponse?.({ findingId: target.f, action: 'archive', at: now });
  return `${why} by ${mention(actor.userId)}.`;
}

async function feedback(target: ButtonValue, actor: Actor, deps: RunDeps, app: SlackAppConfig, useful: boolean) {
  const detectorId = await deps.guardduty.detectorId();
  const finding = await deps.guardduty.getFinding(detectorId, target.f);
  if (finding === null) return "That finding is not in this account's GuardDuty detector; nothing was changed.";
  const label = useful ? 'useful' : 'not useful';
  const claim = await deps.state.claim(
    target.f,
    `feedback-${useful ? 'useful' : 'not-useful'}`,
    actor.userId,
    deps.now().toISOString(),
  );
  if (claim.claimed === false) return `Already marked ${label} by ${mention(claim.by)} at ${claim.at}.`;
  await deps.guardduty.feedback(detectorId, [target.f], useful ? 'USEFUL' : 'NOT_USEFUL');
  if (!useful && app.archiveOnNotUseful) {
    return `Marked not useful. ${await archive(target, actor, deps, 'Archived as not useful')}`;
  }
  return `Marked ${label} by ${mention(actor.userId)}; GuardDuty uses feedback to tune detections.`;
}

async function suppress(target: ButtonValue, deps: RunDeps): Promise<string> {
  const detectorId = await deps.guardduty.detectorId();
  const finding = await deps.guardduty.getFinding(detectorId, target.f);
  if (finding === null) return "That finding is not in this account's GuardDuty detector.";
  const proposal = proposeSuppression(finding, detectorId);
  if (!proposal) return 'No safe suppression rule can be proposed for this finding; review it in the console.';
  return [
    'A suppression rule for findings like this one, *for review* — nothing was created',
    '(creating archive rules is an attacker technique; the tamper alerts report it):',
    '```',
    proposal.terraform,
    '```',
    'or with the AWS CLI:',
    '```',
    proposal.cli,
    '```',
  ].join('\n');
}

/**
 * Runs one pressed button for an authenticated request: authorises the user
 * for it (nobody else causes a GuardDuty call), performs it idempotently,
 * writes an audit log line and answers the user.
 */
export async function runAction(
  button: { name: ButtonName; target: ButtonValue },
  actor: Actor,
  app: SlackAppConfig,
  deps: RunDeps,
): Promise<void> {
  const permission = PERMISSION[button.name];
  const audit = {
    audit: true,
    action: button.name,
    user: actor.userId,
    team: actor.teamId,
    findingId: button.target.f,
  };
  const decision = await deps.authorised(permission, actor.userId, app);
  if (!decision.allowed) {
    deps.count('InteractionNotAllowed', permission);
    deps.logger.warn('interaction not allowed', { ...audit, outcome: 'not-allowed', reason: decision.reason });
    await deps.reply.ephemeral(`Sorry, you are not allowed to ${permission} GuardDuty findings here.`);
    return;
  }
  if (button.target.r !== deps.region && button.name !== 'acknowledge') {
    deps.count('InteractionFailed', 'region');
    deps.logger.warn('interaction for a finding of another region', {
      ...audit,
      outcome: 'other-region',
      region: button.target.r,
    });
    await deps.reply.ephemeral(`That finding is in ${button.target.r}; this endpoint acts in ${deps.region} only.`);
    return;
  }
  let answer: string;
  try {
    switch (button.name) {
      case 'acknowledge':
        answer = await acknowledge(button.target, actor, deps);
        break;
      case 'archive':
        answer = await archive(button.target, actor, deps);
        break;
      case 'useful':
      case 'notUseful':
        answer = await feedback(button.target, actor, deps, app, button.name === 'useful');
        break;
      case 'suppress':
        answer = await suppress(button.target, deps);
        break;
      default: {
        const unhandled: never = button.name;
        throw new Error(`unhandled button ${String(unhandled)}`);
      }
    }
  } catch (error) {
    deps.count('InteractionFailed', button.name);
    deps.logger.error('interaction failed', { ...audit, outcome: 'failed', error });
    await deps.reply.ephemeral('Sorry, that did not work; nothing may have changed. Try again in a minute.');
    return;
  }
  deps.count('InteractionDone', button.name);
  deps.logger.info('interaction done', { ...audit, outcome: 'done', via: decision.via });
  await deps.reply.ephemeral(answer);
}
