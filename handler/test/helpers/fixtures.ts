import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FindingEventSchema, type FindingEvent } from '../../src/finding/schema.js';
import { normaliseFinding } from '../../src/finding/normalise.js';
import type { NormalisedFinding } from '../../src/finding/model.js';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'events');

/** Names (without .json) of the valid GuardDuty event fixtures, sorted. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** The raw JSON of one fixture event. */
export function rawFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export function fixtureEvent(name: string): FindingEvent {
  return FindingEventSchema.parse(rawFixture(name));
}

/** A fixture normalised, with an account name when the fixture's account is 111122223333. */
export function normalisedFixture(name: string): NormalisedFinding {
  const event = fixtureEvent(name);
  return normaliseFinding(event, event.detail.accountId === '111122223333' ? 'prod-payments' : null);
}
