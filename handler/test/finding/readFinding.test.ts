import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFindingEvent } from '../../src/batch/envelope.js';
import { NormalisedFindingSchema, type NormalisedFinding } from '../../src/finding/model.js';
import { normaliseFinding } from '../../src/finding/normalise.js';
import { FIXTURES_DIR, rawFixture } from '../helpers/fixtures.js';

/** A real-shaped finding with one mutation applied to its `detail`, parsed and normalised as the handler does. */
function mutated(fixture: string, mutate: (detail: Record<string, any>) => void): NormalisedFinding {
  const event = structuredClone(rawFixture(fixture)) as { detail: Record<string, any> };
  mutate(event.detail);
  const parsed = parseFindingEvent(event);
  if (!parsed.ok) throw new Error(`refused: ${parsed.reason}`);
  const finding = normaliseFinding(parsed.event);
  expect(NormalisedFindingSchema.safeParse(finding).success).toBe(true);
  return finding;
}

const huge = 'A'.repeat(100_000);

describe('a finding is never refused for the shape of one field', () => {
  it.each<[string, string, (d: Record<string, any>) => void, string]>([
    [
      'service.action null (seen on a malware finding)',
      'ebs-malware',
      (d) => (d.service.action = null),
      'could not read: service.action (null)',
    ],
    [
      'service.additionalInfo null',
      'ec2-ssh-bruteforce',
      (d) => (d.service.additionalInfo = null),
      'could not read: service.additionalInfo (null)',
    ],
    [
      'an account id that is not 12 digits',
      'ec2-ssh-bruteforce',
      (d) => (d.accountId = '12345'),
      'could not read: accountId ("12345", not a 12-digit account id)',
    ],
    [
      'a placeholder region',
      'ec2-ssh-bruteforce',
      (d) => (d.region = '<region>'),
      'could not read: region ("<region>", not an AWS region)',
    ],
    ['a severity word', 'ec2-ssh-bruteforce', (d) => (d.severity = 'high'), 'could not read: severity ("high")'],
    ['severity "NaN"', 'ec2-ssh-bruteforce', (d) => (d.severity = 'NaN'), 'could not read: severity ("NaN")'],
    [
      'severity "Infinity"',
      'ec2-ssh-bruteforce',
      (d) => (d.severity = 'Infinity'),
      'could not read: severity ("Infinity")',
    ],
    [
      'severity above 10',
      'ec2-ssh-bruteforce',
      (d) => (d.severity = 11),
      'could not read: severity (11, outside 0-10)',
    ],
    ['severity null', 'ec2-ssh-bruteforce', (d) => (d.severity = null), 'could not read: severity (null)'],
    ['a negative count', 'ec2-ssh-bruteforce', (d) => (d.service.count = -3), 'could not read: service.count (-3)'],
    ['a fractional count', 'ec2-ssh-bruteforce', (d) => (d.service.count = 2.5), 'could not read: service.count (2.5)'],
    [
      'an array where the resource object is expected',
      'ec2-ssh-bruteforce',
      (d) => (d.resource = [1, 2]),
      'could not read: resource (an array)',
    ],
    [
      'a string where the service object is expected',
      'ec2-ssh-bruteforce',
      (d) => (d.service = 'svc'),
      'could not read: service ("svc")',
    ],
    [
      'an object where the title string is expected',
      'ec2-ssh-bruteforce',
      (d) => (d.title = { a: 1 }),
      'could not read: title (an object)',
    ],
    [
      'an array where the region string is expected',
      'ec2-ssh-bruteforce',
      (d) => (d.region = ['us-east-1']),
      'could not read: region (an array)',
    ],
    [
      'a numeric actionType',
      'ec2-ssh-bruteforce',
      (d) => (d.service.action.actionType = 7),
      'could not read: service.action.actionType (7)',
    ],
    [
      'archived as a word',
      'ec2-ssh-bruteforce',
      (d) => (d.service.archived = 'maybe'),
      'could not read: service.archived ("maybe")',
    ],
    ['no account id', 'ec2-ssh-bruteforce', (d) => delete d.accountId, 'could not read: accountId (missing)'],
    [
      'a huge string as the resource type',
      'ec2-ssh-bruteforce',
      (d) => (d.resource.resourceType = { x: huge }),
      'could not read: resource.resourceType (an object)',
    ],
    [
      'a huge unreadable severity',
      'ec2-ssh-bruteforce',
      (d) => (d.severity = huge),
      `could not read: severity ("${'A'.repeat(39)}…")`,
    ],
  ])('%s', (_name, fixture, mutate, expectedNote) => {
    const f = mutated(fixture, mutate);
    expect(f.readNotes).toContain(expectedNote);
    expect(f.title.length).toBeGreaterThan(0);
  });

  it('uses a number given as a string, without a note', () => {
    const f = mutated('ec2-ssh-bruteforce', (d) => {
      d.severity = '8.0';
      d.service.count = '4';
      d.service.archived = 'true';
    });
    expect(f.severity).toEqual({ score: 8, raw: 8, band: 'HIGH' });
    expect(f.occurrences.count).toBe(4);
    expect(f.archived).toBe(true);
    expect(f.readNotes).toEqual([]);
  });

  it('reads the odd-shapes fixture (a severity word), formerly refused', () => {
    const json = JSON.parse(readFileSync(join(FIXTURES_DIR, 'odd-shapes', 'severity-string.json'), 'utf8'));
    const parsed = parseFindingEvent(json);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(normaliseFinding(parsed.event).readNotes[0]).toMatch(/^could not read: severity \(/);
  });

  it('cleans attacker text in notes and keeps them short', () => {
    const f = mutated('ec2-ssh-bruteforce', (d) => (d.severity = `\u202E<!channel>\u0007${huge}`));
    const [note] = f.readNotes;
    expect(note).toMatch(/^could not read: severity \("\[U\+202E\]<!channel>A+…"\)$/);
    expect(note!.length).toBeLessThan(80);
  });

  it('caps the notes of a finding whose every field is wrong', () => {
    const f = mutated('ec2-ssh-bruteforce', (d) => {
      for (const key of [
        'accountId',
        'region',
        'partition',
        'title',
        'description',
        'createdAt',
        'updatedAt',
        'severity',
        'arn',
        'schemaVersion',
        'resource',
        'service',
      ])
        d[key] = [key];
    });
    expect(f.readNotes).toHaveLength(10);
    expect(f.readNotes.at(-1)).toBe('… and 3 more fields could not be read');
  });

  it('keeps a finding without timestamps, using the event time', () => {
    const f = mutated('ec2-ssh-bruteforce', (d) => {
      delete d.createdAt;
      delete d.updatedAt;
    });
    expect(f.createdAt).toBe(rawFixture('ec2-ssh-bruteforce').time);
  });
});

describe('what is refused: only an event that is not a GuardDuty finding at all', () => {
  const base = () => structuredClone(rawFixture('ec2-ssh-bruteforce')) as Record<string, any>;
  it.each<[string, (e: Record<string, any>) => void, RegExp]>([
    ['a wrong source', (e) => (e.source = 'aws.ec2'), /not a GuardDuty finding event: .*source "aws.ec2"/],
    ['a wrong detail-type', (e) => (e['detail-type'] = 'Other'), /detail-type "Other"/],
    ['no detail', (e) => delete e.detail, /detail/],
    ['a detail that is an array', (e) => (e.detail = []), /detail/],
    ['no finding id', (e) => delete e.detail.id, /detail\.id/],
    ['an empty finding id', (e) => (e.detail.id = ''), /detail\.id/],
    ['no finding type', (e) => delete e.detail.type, /detail\.type/],
    ['a finding type that is not text', (e) => (e.detail.type = { a: 1 }), /detail\.type/],
  ])('refuses %s, with the reason', (_name, mutate, reason) => {
    const e = base();
    mutate(e);
    const parsed = parseFindingEvent(e);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
