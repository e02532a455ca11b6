import type { StateBackend } from './store.js';

/** Every operation of a {@link StateBackend}, as a record so that a missing or an extra one does not compile. */
const EVERY_OPERATION: Readonly<Record<keyof StateBackend, true>> = {
  prepare: true,
  observe: true,
  accepted: true,
  recordAccepted: true,
  announcedOn: true,
  messageRef: true,
  setLifecycle: true,
  findingRecord: true,
  findingRecords: true,
  recordProcessed: true,
  lastProcessed: true,
  recordSignals: true,
  signalsBetween: true,
};

/** The operations the null store, the lazy backend and the fail-open wrapper each provide, one for one. */
export const STATE_OPERATIONS = Object.keys(EVERY_OPERATION) as ReadonlyArray<keyof StateBackend>;
