import type { NormalisedFinding } from '../finding/model.js';
import type { SeverityMemory } from '../route/history.js';
import type { SeverityHistory } from '../route/rules.js';
import { occurrenceOf } from '../state/keys.js';
import type { StateStore } from '../state/store.js';
import type { DeliveryKey, MessageRef } from '../state/types.js';
import { signalRecordOf } from '../report/signals.js';
import type { Prepared } from './deliverChannel.js';
import type { WorkItem } from './envelope.js';

/*
 * The batch's use of the state table (see state/): exact new-vs-update and
 * escalations across containers, receipts so a redelivered record is not sent
 * again to channels that accepted it, the archive sync's lifecycle, and which
 * channels announced a finding. Every step fails open: when the table cannot
 * answer, the batch behaves as the stateless code does (container memory, no
 * receipts, no archive notes to chat channels), and the store counts it.
 */

/** Whether a view is a sighting of a finding (the state records those; other kinds have no occurrences). */
const isSighting = (f: NormalisedFinding) => f.kind === 'finding' && f.lifecycle === null;

/**
 * Records every finding sighting and returns the severity history routing
 * reads for this batch. With the table's answer, "new" and "escalation" are
 * exact across containers: an update whose sighting raised the finding's
 * highest severity (the one conditional write that won) reads as an
 * escalation, any other update as not; the view's `isUpdate` becomes the
 * table's "not new". Without it, the container's own memory answers.
 */
export async function rememberSightings(
  prepared: Prepared[],
  state: StateStore,
  memory: SeverityMemory,
): Promise<SeverityHistory> {
  const sightings = prepared.filter((p) => isSighting(p.finding));
  if (!state.enabled || sightings.length === 0) return memory;
  const observed = await state.observe(
    sightings.map((p) => ({
      findingId: p.finding.id,
      score: p.finding.severity.raw,
      count: Math.max(0, Math.floor(p.finding.occurrences.count)),
      updatedAt: p.finding.updatedAt,
    })),
  );
  if (!observed) return memory;
  const escalated = new Map<string, boolean>();
  sightings.forEach((p, i) => {
    const answer = observed[i];
    if (!answer) return;
    // A copy only where the table changes the view's answer: 1,000 copies of the batch's views cost heap.
    if (p.finding.isUpdate === answer.isNew) p.finding = { ...p.finding, isUpdate: !answer.isNew };
    escalated.set(p.finding.id, (escalated.get(p.finding.id) ?? false) || answer.isEscalation);
  });
  return {
    // The policy compares the score with this: -Infinity lets the escalation through, +Infinity holds any other update.
    previousScore: (id) => {
      const known = escalated.get(id);
      return known === undefined
        ? memory.previousScore(id)
        : known
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY;
    },
  };
}

/** Records archive-sync changes (who archived or unarchived which finding, when) for the Slack app and the report. */
export async function recordLifecycle(prepared: readonly Prepared[], state: StateStore): Promise<void> {
  if (!state.enabled) return;
  await Promise.all(
    prepared.flatMap((p) => (p.finding.lifecycle ? [state.setLifecycle(p.finding.id, p.finding.lifecycle)] : [])),
  );
}

/**
 * For each finding an archive-sync view is about, the channels that announced
 * it (their receipts). Unknown (no table, or it cannot answer): absent, so chat
 * channels get no note, and PagerDuty still resolves.
 */
export async function lookupAnnounced(
  prepared: readonly Prepared[],
  state: StateStore,
): Promise<Map<string, ReadonlySet<string>>> {
  const announced = new Map<string, ReadonlySet<string>>();
  if (!state.enabled) return announced;
  const ids = [...new Set(prepared.filter((p) => p.finding.lifecycle).map((p) => p.finding.id))];
  await Promise.all(
    ids.map(async (id) => {
      const channels = await state.announcedOn(id);
      if (channels) announced.set(id, new Set(channels));
    }),
  );
  return announced;
}

/** The receipt key of one (view occurrence, channel) pair. */
export function deliveryKey(p: Prepared, channel: string): DeliveryKey {
  return {
    findingId: p.finding.id,
    occurrence: occurrenceOf({
      updatedAt: p.finding.updatedAt || p.finding.eventId,
      count: Math.max(0, Math.floor(p.finding.occurrences.count)),
    }),
    channel,
  };
}

/**
 * Leaves out what this channel's receiver already accepted (a redelivered
 * record after a crash or a timeout); returns what to send and how many were
 * held back. Unknown receipts hold nothing back.
 */
export async function withoutAccepted(
  channel: string,
  selected: Prepared[],
  state: StateStore,
): Promise<{ toSend: Prepared[]; alreadyAccepted: Prepared[] }> {
  if (!state.enabled || selected.length === 0) return { toSend: selected, alreadyAccepted: [] };
  const accepted = await state.accepted(selected.map((p) => deliveryKey(p, channel)));
  if (!accepted) return { toSend: selected, alreadyAccepted: [] };
  return {
    toSend: selected.filter((_, i) => accepted[i] !== true),
    alreadyAccepted: selected.filter((_, i) => accepted[i] === true),
  };
}

/** Records that a receiver accepted these views (one write per send: the unguarded window is one send wide). */
export async function recordAccepted(
  channel: string,
  members: readonly Prepared[],
  state: StateStore,
  ref?: MessageRef,
): Promise<void> {
  if (!state.enabled || members.length === 0) return;
  await state.recordAccepted(members.map((p) => ({ ...deliveryKey(p, channel), ...(ref ? { ref } : {}) })));
}

/**
 * Keeps the batch's tamper alerts and coverage changes for the weekly report
 * (`SIGNAL#<day>` items; a redelivery rewrites its own item). An event
 * without a readable time is left out: it has no day to file it under.
 */
export async function recordSignals(items: readonly WorkItem[], state: StateStore): Promise<void> {
  if (!state.enabled) return;
  const entries = items.flatMap((item) => {
    const entry = signalRecordOf(item.signal);
    return entry && !Number.isNaN(Date.parse(entry.at)) ? [entry] : [];
  });
  if (entries.length > 0) await state.recordSignals(entries);
}
