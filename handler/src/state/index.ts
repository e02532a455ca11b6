// The state store's public surface (issue 17): what the batch processor wires in.
export { type StateUnavailable, type UnavailableReason, failOpen } from './failOpen.js';
export { deliveryId, occurrenceOf } from './keys.js';
export { createStateMetrics, type StateMetrics } from './metrics.js';
export {
  createNullStateStore,
  createStateStore,
  DEFAULT_TTL_DAYS,
  type StateBackend,
  type StateEnvironment,
  type StateStore,
  type StateStoreOptions,
} from './store.js';
export type * from './types.js';
