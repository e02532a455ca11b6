import { FIXTURES_DIR, fixtureNames, rawFixture } from '../../../harness/fixtures.mjs';
import { FindingEventSchema, type FindingEvent } from '../../src/finding/schema.js';
import { normaliseFinding } from '../../src/finding/normalise.js';
import type { NormalisedFinding } from '../../src/finding/model.js';

export { FIXTURES_DIR, fixtureNames, rawFixture };

export function fixtureEvent(name: string): FindingEvent {
  return FindingEventSchema.parse(rawFixture(name));
}

/** A fixture normalised, with an account name when the fixture's account is 111122223333. */
export function normalisedFixture(name: string): NormalisedFinding {
  const event = fixtureEvent(name);
  return normaliseFinding(event, event.detail.accountId === '111122223333' ? 'prod-payments' : null);
}
