import { ACTIVITY_DETAIL_TYPE, type ActivityOptions, readActivity } from './activity.js';
import type { Envelope } from './common.js';
import { readCoverage } from './coverage.js';
import type { CoverageSignal, Signal } from './model.js';
import { readScan, SCAN_DETAIL_TYPE } from './scan.js';

/** Readers of the GuardDuty events that are not findings: API calls, S3 malware scans, coverage changes. */
export interface KindReaders {
  /** The reader of each detail-type that has one of its own. */
  byDetailType: Readonly<Record<string, (envelope: Envelope, options: ActivityOptions) => Signal>>;
  /** Coverage changes come under several detail-types; null when the event is not one. */
  coverage(envelope: Envelope): CoverageSignal | null;
}

export const KIND_READERS: KindReaders = {
  byDetailType: {
    [ACTIVITY_DETAIL_TYPE]: (envelope, options) => readActivity(envelope, options),
    [SCAN_DETAIL_TYPE]: (envelope) => readScan(envelope),
  },
  coverage: readCoverage,
};
