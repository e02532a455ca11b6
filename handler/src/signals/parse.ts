import { KIND_READERS } from './kinds.js';
import { type ParseSignalOptions, type ParseSignalResult, parseSignalWith } from './dispatch.js';

/*
 * The dispatcher with every kind reader bound: for the CLI and tests. The
 * function's batch path uses `parseSignalWith` with readers it loads lazily.
 */

export {
  type FindingReader,
  type FindingReadResult,
  findingSignal,
  loadKindReaders,
  otherSignal,
  type ParseSignalOptions,
  type ParseSignalResult,
  parseSignalWith,
  readFindingEvent,
} from './dispatch.js';

/**
 * Reads any event the module's rules put on the queue into a {@link Signal}.
 * Pure. Refuses only what is not a GuardDuty event (`source` other than
 * "aws.guardduty", or not a JSON object with a `detail-type`).
 *
 * @example parseSignal(JSON.parse(body), { expectedPrincipals: ['arn:aws:iam::111122223333:role/terraform-ci'] })
 */
export function parseSignal(event: unknown, options: ParseSignalOptions = {}): ParseSignalResult {
  return parseSignalWith(event, KIND_READERS, options);
}
