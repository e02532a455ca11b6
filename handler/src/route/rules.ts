import type { Channel, Config } from '../config/schema.js';
import type { NormalisedFinding } from '../finding/model.js';
import { bandRank, type SeverityBand } from '../finding/severity.js';
import { settingsFor } from '../channels/settings/index.js';
import { compileTagFilter, compileTypePatterns } from './match.js';

type Filter = NonNullable<Config['defaults']['include']>;

/** The rules one channel applies, after merging `defaults` and built-in defaults. */
export interface EffectiveRules {
  minSeverity: SeverityBand;
  notifyOn: 'new' | 'escalations' | 'all';
  includeSamples: boolean;
  includeArchived: boolean;
  /** Quiet signals (clean scan results) reach this channel. */
  includeQuiet: boolean;
  include: CompiledFilter | null;
  exclude: CompiledFilter | null;
  /** Digest when more findings than this reach the channel in one batch; null = never. */
  digestThreshold: number | null;
}

interface CompiledFilter {
  types: ((type: string) => boolean) | null;
  accounts: ReadonlySet<string> | null;
  regions: ReadonlySet<string> | null;
  tags: ((tags: NormalisedFinding['resource']['tags']) => boolean) | null;
  kinds: ReadonlySet<string> | null;
}

function compileFilter(filter: Filter | undefined): CompiledFilter | null {
  if (!filter) return null;
  return {
    types: filter.types ? compileTypePatterns(filter.types) : null,
    accounts: filter.accounts ? new Set(filter.accounts) : null,
    regions: filter.regions ? new Set(filter.regions) : null,
    tags: filter.tags ? compileTagFilter(filter.tags) : null,
    kinds: filter.kinds ? new Set(filter.kinds) : null,
  };
}

/** Resolves a channel's rules: its own value, else `defaults`, else the built-in default. */
export function effectiveRules(defaults: Config['defaults'], channel: Channel): EffectiveRules {
  const pick = <K extends keyof Config['defaults']>(key: K): Config['defaults'][K] => channel[key] ?? defaults[key];
  const digest = channel.digestThreshold !== undefined ? channel.digestThreshold : defaults.digestThreshold;
  return {
    minSeverity: pick('minSeverity') ?? 'LOW',
    notifyOn: pick('notifyOn') ?? 'escalations',
    includeSamples: pick('includeSamples') ?? true,
    includeArchived: pick('includeArchived') ?? false,
    includeQuiet: pick('includeQuiet') ?? false,
    include: compileFilter(pick('include')),
    exclude: compileFilter(pick('exclude')),
    // The channel type's default (its descriptor): digests for chat-like channels, none where each finding stands alone.
    digestThreshold: digest === undefined ? settingsFor(channel).defaults.digestThreshold : digest,
  };
}

export type SuppressReason =
  | 'severity'
  | 'type'
  | 'account'
  | 'region'
  | 'tags'
  | 'kind'
  | 'sample'
  | 'archived'
  | 'update'
  | 'quiet'
  | 'lifecycle';

export type Decision = { notify: true } | { notify: false; reason: SuppressReason };

/** What the escalation policy needs to know about earlier sightings of a finding. */
export interface SeverityHistory {
  /** Highest score seen before for this finding id, or undefined when unknown. */
  previousScore(findingId: string): number | undefined;
}

function matchesFilter(filter: CompiledFilter, f: NormalisedFinding): { ok: boolean; failed: SuppressReason | null } {
  if (filter.types && !filter.types(f.type.full)) return { ok: false, failed: 'type' };
  if (filter.accounts && !filter.accounts.has(f.account.id)) return { ok: false, failed: 'account' };
  if (filter.regions && !filter.regions.has(f.region)) return { ok: false, failed: 'region' };
  if (filter.tags && !filter.tags(f.resource.tags)) return { ok: false, failed: 'tags' };
  if (filter.kinds && !filter.kinds.has(f.kind)) return { ok: false, failed: 'kind' };
  return { ok: true, failed: null };
}

/** Which dimension an exclude filter matched on (every listed dimension must match to exclude). */
function excludedBy(filter: CompiledFilter, f: NormalisedFinding): SuppressReason | null {
  const checks: Array<[boolean | null, SuppressReason]> = [
    [filter.types ? filter.types(f.type.full) : null, 'type'],
    [filter.accounts ? filter.accounts.has(f.account.id) : null, 'account'],
    [filter.regions ? filter.regions.has(f.region) : null, 'region'],
    [filter.tags ? filter.tags(f.resource.tags) : null, 'tags'],
    [filter.kinds ? filter.kinds.has(f.kind) : null, 'kind'],
  ];
  const listed = checks.filter(([result]) => result !== null);
  const first = listed[0];
  if (first === undefined || listed.some(([result]) => result === false)) return null;
  return first[1];
}

/**
 * An archive or unarchive of a finding (the archive sync): a channel that acts
 * on archiving (PagerDuty) resolves on an archive, whatever its filters; any
 * other channel gets a short note only if it announced the finding before
 * (the state table knows; unknown = no note) and takes `activity` signals.
 */
function decideLifecycle(
  f: NormalisedFinding,
  rules: EffectiveRules,
  allowArchived: boolean,
  announced: boolean | undefined,
): Decision {
  if (allowArchived)
    return f.lifecycle?.action === 'archived' ? { notify: true } : { notify: false, reason: 'lifecycle' };
  if (announced !== true) return { notify: false, reason: 'lifecycle' };
  if (rules.include?.kinds && !rules.include.kinds.has('activity')) return { notify: false, reason: 'kind' };
  if (rules.exclude?.kinds?.has('activity')) return { notify: false, reason: 'kind' };
  return { notify: true };
}

/**
 * Decides whether one view (a finding or another GuardDuty signal) notifies
 * one channel. Pure; the severity history is only consulted for finding
 * updates under the `escalations` policy.
 *
 * @param allowArchived lets a channel that acts on archiving (PagerDuty resolve) see archived findings.
 * @param announced whether this channel announced the finding before (for archive-sync notes); undefined when unknown.
 */
export function decide(
  f: NormalisedFinding,
  rules: EffectiveRules,
  history: SeverityHistory,
  allowArchived = false,
  announced?: boolean,
): Decision {
  if (f.lifecycle) return decideLifecycle(f, rules, allowArchived, announced);
  // Coverage restored closes the lost alert's incident, whatever the channel's severity floor.
  if (f.kind !== 'finding' && f.resolves && allowArchived) return { notify: true };
  if (f.delivery === 'quiet' && !rules.includeQuiet) return { notify: false, reason: 'quiet' };
  if (bandRank(f.severity.band) < bandRank(rules.minSeverity)) return { notify: false, reason: 'severity' };
  if (f.isSample && !rules.includeSamples) return { notify: false, reason: 'sample' };
  if (f.archived && !rules.includeArchived && !allowArchived) return { notify: false, reason: 'archived' };
  if (rules.include) {
    const { ok, failed } = matchesFilter(rules.include, f);
    if (!ok && failed) return { notify: false, reason: failed };
  }
  if (rules.exclude) {
    const reason = excludedBy(rules.exclude, f);
    if (reason) return { notify: false, reason };
  }
  if (f.kind === 'finding' && f.isUpdate && !f.archived) {
    if (rules.notifyOn === 'new') return { notify: false, reason: 'update' };
    if (rules.notifyOn === 'escalations') {
      const previous = history.previousScore(f.id);
      if (previous === undefined || f.severity.score <= previous) return { notify: false, reason: 'update' };
    }
  }
  return { notify: true };
}
