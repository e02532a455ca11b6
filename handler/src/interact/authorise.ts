import type { AllowList, InteractionAction, SlackAppConfig } from './config.js';

/** Members of a Slack user group (Slack's `usergroups.users.list`), injected so tests use a stand-in. */
export type GroupMembers = (groupId: string) => Promise<readonly string[]>;

export type Authorisation = { allowed: true; via: 'user' | `group:${string}` } | { allowed: false; reason: string };

/**
 * Decides whether a Slack user may perform an action: listed by user id, or a
 * member of a listed user group. An empty allow list allows nobody. A group
 * whose members cannot be read does not allow (fail closed: this gate guards
 * GuardDuty calls, unlike delivery, which fails open).
 */
export async function authorise(
  action: InteractionAction,
  userId: string,
  config: Pick<SlackAppConfig, 'allow'>,
  groupMembers: GroupMembers,
): Promise<Authorisation> {
  const list: AllowList = config.allow[action];
  if (list.users.includes(userId)) return { allowed: true, via: 'user' };
  for (const group of list.userGroups) {
    let members: readonly string[];
    try {
      members = await groupMembers(group);
    } catch {
      continue;
    }
    if (members.includes(userId)) return { allowed: true, via: `group:${group}` };
  }
  return { allowed: false, reason: `not on the allow list for ${action}` };
}

/** Caches group members per container for `ttlMs`, so a burst of clicks costs one Slack call per group. */
export function cachedGroupMembers(read: GroupMembers, ttlMs = 5 * 60_000, now: () => number = Date.now): GroupMembers {
  const cache = new Map<string, { at: number; members: Promise<readonly string[]> }>();
  return (groupId) => {
    const hit = cache.get(groupId);
    if (hit && now() - hit.at < ttlMs) return hit.members;
    const members = read(groupId);
    cache.set(groupId, { at: now(), members });
    members.catch(() => cache.delete(groupId));
    return members;
  };
}
