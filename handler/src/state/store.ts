import type { Logger } from '../observe/logger.js';
import type { DynamoBackendOptions } from './dynamo.js';
import { type FailOpenHooks, failOpen } from './failOpen.js';
import { STATE_OPERATIONS } from './operations.js';
import type {
  AcceptedDelivery,
  DeliveryKey,
  FindingRecord,
  LifecycleChange,
  MessageRef,
  Observation,
  PipelineRecord,
  Sighting,
  SignalEntry,
} from './types.js';

/**
 * The memory behind idempotent delivery and exact escalations. A backend may
 * throw (throttling, network, timeouts); the store the pipeline uses never
 * does: see `StateStore`.
 */
export interface StateBackend {
  /**
   * Loads the SDK and builds the client without a request. Call it (not
   * awaited) when a batch starts, so the import overlaps the config read
   * instead of delaying the first `observe` of a container.
   */
  prepare(): Promise<void>;
  /**
   * Records each sighting and tells, per sighting (same order), whether it is
   * the finding's first and whether it raised the finding's highest severity.
   * Conditional writes decide, so concurrent containers agree: of two
   * sightings that raise the same finding, exactly one is the escalation. The
   * answer for one occurrence is stable: a redelivered record gets the answer
   * its first delivery got, so a crash between deciding and sending never
   * loses the alert (receipts then keep channels that accepted from a repeat).
   */
  observe(sightings: readonly Sighting[]): Promise<Observation[]>;
  /** Whether each (occurrence, channel) was already accepted by its receiver (same order). */
  accepted(keys: readonly DeliveryKey[]): Promise<boolean[]>;
  /** Records receivers' acceptances, with the message reference the service returned, if any. */
  recordAccepted(entries: readonly AcceptedDelivery[]): Promise<void>;
  /** The channels that accepted any occurrence of a finding (its delivery receipts), for archive-sync notes. */
  announcedOn(findingId: string): Promise<string[]>;
  /** The latest message reference of a finding on a channel; null when none. */
  messageRef(findingId: string, channel: string): Promise<MessageRef | null>;
  /** Records a lifecycle change; false when a later change of that kind is already recorded. */
  setLifecycle(findingId: string, change: LifecycleChange): Promise<boolean>;
  /** The finding's record; null when the memory has none. */
  findingRecord(findingId: string): Promise<FindingRecord | null>;
  /** The records of up to 100 findings in one BatchGetItem (same order; null where none), for the report. */
  findingRecords(findingIds: readonly string[]): Promise<Array<FindingRecord | null>>;
  /** Advances the pipeline's last processed event time (never moves it back). */
  recordProcessed(eventTime: string): Promise<void>;
  /** The pipeline's last processed event; null before the first. */
  lastProcessed(): Promise<PipelineRecord | null>;
  /** Keeps tamper alerts and coverage changes for the report (a redelivered one overwrites itself). */
  recordSignals(entries: readonly SignalEntry[]): Promise<void>;
  /** The signals kept for [start, end), oldest first. */
  signalsBetween(start: Date, end: Date): Promise<SignalEntry[]>;
}

type Answer<T> = T extends Promise<infer R> ? Promise<(R extends void ? true : R) | undefined> : never;

/**
 * The store the pipeline uses: the backend's operations, where `undefined`
 * means "the memory could not answer (or record)": the caller then behaves
 * exactly as the stateless code does (container memory for escalations, no
 * receipts). It never throws and never waits longer than its short timeout.
 *
 * @example
 * const state = createStateStore(process.env, { logger, onUnavailable: (f) => stateMetrics.unavailable(f.operation) });
 * const seen = await state.observe(sightings); // undefined: decide statelessly
 */
export type StateStore = { readonly enabled: boolean } & {
  [K in keyof StateBackend]: (...args: Parameters<StateBackend[K]>) => Answer<ReturnType<StateBackend[K]>>;
};

/** The store without a table: every answer is "unknown", so the pipeline stays stateless. */
export function createNullStateStore(): StateStore {
  const unknown = async () => undefined;
  return { enabled: false, ...Object.fromEntries(STATE_OPERATIONS.map((op) => [op, unknown])) } as StateStore;
}

/**
 * The DynamoDB backend with its module loaded on the first call, together
 * with the SDK it imports then: a cold start pays for neither.
 */
function lazyDynamoBackend(options: DynamoBackendOptions): StateBackend {
  let backend: Promise<StateBackend> | undefined;
  const load = () => {
    backend ??= import('./dynamo.js').then((dynamo) => dynamo.createDynamoBackend(options));
    return backend;
  };
  const call =
    (op: keyof StateBackend) =>
    async (...args: unknown[]) =>
      ((await load())[op] as (...a: unknown[]) => Promise<unknown>)(...args);
  return Object.fromEntries(STATE_OPERATIONS.map((op) => [op, call(op)])) as unknown as StateBackend;
}

export const DEFAULT_TTL_DAYS = 90;

export interface StateEnvironment {
  GDN_STATE_TABLE?: string | undefined;
  GDN_STATE_TTL_DAYS?: string | undefined;
}

/** Reads the TTL in days; a missing or unreadable value means the default (the module validates it). */
export function ttlDaysFrom(value: string | undefined): number {
  const days = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isInteger(days) && days > 0 ? days : DEFAULT_TTL_DAYS;
}

export interface StateStoreOptions extends Omit<FailOpenHooks, 'logger' | 'now'> {
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Overrides for the DynamoDB backend (tests point it at an emulator or a fault proxy). */
  dynamo?: DynamoBackendOptions['client'];
  now?: () => number;
}

/**
 * The state store for this environment: with `GDN_STATE_TABLE`, DynamoDB
 * behind the fail-open wrapper; without, the null store. Performs no I/O.
 */
export function createStateStore(env: StateEnvironment, options: StateStoreOptions): StateStore {
  const tableName = env.GDN_STATE_TABLE?.trim();
  if (!tableName) return createNullStateStore();
  const { logger, onUnavailable, cooldownMs, dynamo, now } = options;
  // The backend and the SDK are imported on the first call: cold start stays lean.
  const backend = lazyDynamoBackend({
    tableName,
    ttlDays: ttlDaysFrom(env.GDN_STATE_TTL_DAYS),
    ...(dynamo ? { client: dynamo } : {}),
    ...(now ? { now } : {}),
  });
  return failOpen(backend, {
    logger,
    ...(onUnavailable ? { onUnavailable } : {}),
    ...(cooldownMs !== undefined ? { cooldownMs } : {}),
  });
}
