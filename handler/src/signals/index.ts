/*
 * The public surface of the event kinds: parse any queued EventBridge event
 * into a Signal, and what generic renderers and PagerDuty need from it.
 */
export {
  type ActivitySignal,
  type CoverageSignal,
  type Delivery,
  type FindingSignal,
  type OtherSignal,
  type Principal,
  type ScanSignal,
  type Signal,
  type SignalHeader,
  type SignalKind,
  SIGNAL_KINDS,
  SignalSchema,
} from './model.js';
export {
  type FindingReader,
  type FindingReadResult,
  findingSignal,
  type ParseSignalOptions,
  type ParseSignalResult,
  parseSignal,
  readFindingEvent,
} from './parse.js';
export { ACTIVITY_DETAIL_TYPE, type ActivityOptions, classifyActivity } from './activity.js';
export { CALL_RULES, classifyCall } from './activityCalls.js';
export { matchExpectedPrincipal } from './principal.js';
export { SCAN_DETAIL_TYPE } from './scan.js';
export { COVERAGE_DETAIL_TYPES } from './coverage.js';
export { KIND_LABEL, type PagerDutyIntent, pagerDutyIntents, signalPlainText, signalSummary } from './text.js';
