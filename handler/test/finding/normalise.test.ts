import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NormalisedFindingSchema } from '../../src/finding/model.js';
import { FindingEventSchema } from '../../src/finding/schema.js';
import { normaliseFinding } from '../../src/finding/normalise.js';
import { FIXTURES_DIR, fixtureEvent, fixtureNames, normalisedFixture, rawFixture } from '../helpers/fixtures.js';

describe('normaliseFinding', () => {
  it.each(fixtureNames())('produces a valid view model for %s', (name) => {
    const finding = normalisedFixture(name);
    expect(NormalisedFindingSchema.safeParse(finding).success).toBe(true);
    expect(finding.title.length).toBeGreaterThan(0);
  });

  it('covers every resource kind and action type across the fixtures', () => {
    const all = fixtureNames().map(normalisedFixture);
    expect(new Set(all.map((f) => f.resource.kind))).toEqual(
      new Set([
        'instance',
        'accessKey',
        's3Bucket',
        's3Object',
        'eksCluster',
        'ecsCluster',
        'container',
        'rdsInstance',
        'lambda',
        'other',
      ]),
    );
    expect(new Set(all.map((f) => f.action.type))).toEqual(
      new Set([
        'NETWORK_CONNECTION',
        'PORT_PROBE',
        'DNS_REQUEST',
        'AWS_API_CALL',
        'KUBERNETES_API_CALL',
        'RDS_LOGIN_ATTEMPT',
        null,
      ]),
    );
  });

  it('summarises an EC2 network connection with the remote actor', () => {
    const f = normalisedFixture('ec2-ssh-bruteforce');
    expect(f.resource).toMatchObject({ kind: 'instance', label: 'EC2 instance', id: 'i-0a1b2c3d4e5f60718' });
    expect(f.action.label).toBe('Inbound network connection');
    expect(f.actor.ip).toBe('198.51.100.23');
    expect(f.actor.country).toBe('Netherlands');
    expect(f.type).toEqual({
      full: 'UnauthorizedAccess:EC2/SSHBruteForce',
      threatPurpose: 'UnauthorizedAccess',
      resourceType: 'EC2',
      family: 'SSHBruteForce',
      variant: null,
      artifact: null,
    });
    expect(f.account).toEqual({ id: '111122223333', name: 'prod-payments' });
  });

  it('splits detection mechanism and artifact from the family', () => {
    expect(normalisedFixture('ec2-dns-bitcoin').type).toMatchObject({
      threatPurpose: 'CryptoCurrency',
      family: 'BitcoinTool',
      variant: 'B',
      artifact: 'DNS',
    });
    expect(normalisedFixture('ec2-dns-bitcoin').actor.domain).toMatch(/coinmine/);
  });

  it("reads RDS login attempts with GuardDuty's capitalised LoginAttributes key", () => {
    const f = normalisedFixture('rds-brute-force');
    expect(f.severity.band).toBe('CRITICAL');
    expect(f.action.fields.map((x) => x.label)).toEqual(
      expect.arrayContaining(['Users', 'Failed logins', 'Successful logins']),
    );
  });

  it('lists EBS malware threats and S3 malware objects', () => {
    expect(normalisedFixture('ebs-malware').resource.fields.find((x) => x.label === 'Malware')?.value).toBeTruthy();
    const s3 = normalisedFixture('s3-malware-object');
    expect(s3.resource.kind).toBe('s3Object');
    expect(s3.resource.fields.find((x) => x.label === 'Object')?.value).toBeTruthy();
  });

  it('maps severity scores to bands at the documented boundaries', () => {
    const event = fixtureEvent('minimal');
    const band = (severity: number) =>
      normaliseFinding({ ...event, detail: { ...event.detail, severity } }).severity.band;
    expect([1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(band)).toEqual([
      'LOW',
      'LOW',
      'MEDIUM',
      'MEDIUM',
      'HIGH',
      'HIGH',
      'CRITICAL',
      'CRITICAL',
    ]);
  });

  it('bands on the raw score as EventBridge compares it, keeping the raw score beside the displayed one', () => {
    const event = fixtureEvent('minimal');
    const severity = (s: number) => normaliseFinding({ ...event, detail: { ...event.detail, severity: s } }).severity;
    expect(severity(6.95)).toEqual({ score: 7, raw: 6.95, band: 'MEDIUM' });
    expect(severity(8.99999)).toEqual({ score: 9, raw: 8.99999, band: 'HIGH' });
    expect(severity(3.96)).toEqual({ score: 4, raw: 3.96, band: 'LOW' });
    expect(severity(9)).toEqual({ score: 9, raw: 9, band: 'CRITICAL' });
  });

  it('tells new findings from updates by the first-publish window, not by count alone', () => {
    expect(normalisedFixture('ec2-ssh-bruteforce')).toMatchObject({ isUpdate: false, occurrences: { count: 3 } });
    expect(normalisedFixture('update-finding')).toMatchObject({ isUpdate: true, occurrences: { count: 17 } });
    expect(normalisedFixture('update-finding').id).toBe(normalisedFixture('ec2-ssh-bruteforce').id);
  });

  it('flags sample and archived findings', () => {
    expect(normalisedFixture('sample-finding').isSample).toBe(true);
    expect(normalisedFixture('ec2-ssh-bruteforce').isSample).toBe(false);
    expect(normalisedFixture('archived-finding').archived).toBe(true);
  });

  it('builds partition-aware console links from validated ids only', () => {
    expect(normalisedFixture('ec2-ssh-bruteforce').consoleUrl).toMatch(
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/guardduty\/home\?region=us-east-1#\/findings\?macros=current&fId=[0-9a-f]{32}$/,
    );
    expect(normalisedFixture('govcloud-instance').consoleUrl).toMatch(
      /^https:\/\/console\.amazonaws-us-gov\.com\/guardduty\/home\?region=us-gov-west-1#/,
    );
    expect(normalisedFixture('china-instance').consoleUrl).toMatch(
      /^https:\/\/console\.amazonaws\.cn\/guardduty\/home\?region=cn-north-1#/,
    );
    const event = fixtureEvent('minimal');
    // An id with unusual characters is percent-encoded, never dropped and never able to leave the fragment.
    expect(normaliseFinding({ ...event, detail: { ...event.detail, id: 'x"><script>&a=b' } }).consoleUrl).toMatch(
      /&fId=x%22%3E%3Cscript%3E%26a%3Db$/,
    );
    const iso = normaliseFinding({ ...event, detail: { ...event.detail, partition: 'aws-iso' } });
    expect(iso).toMatchObject({
      consoleUrl: null,
      consoleUrlUnavailable: 'no public GuardDuty console for this partition',
    });
    expect(normaliseFinding({ ...event, detail: { ...event.detail, region: '<region>' } })).toMatchObject({
      consoleUrl: null,
      consoleUrlUnavailable: 'the finding names no valid AWS region',
    });
    expect(normalisedFixture('minimal').consoleUrlUnavailable).toBeNull();
  });

  it('replaces invisible and direction-changing characters and strips controls', () => {
    const f = normalisedFixture('hostile');
    const all = JSON.stringify(f);
    expect(all).not.toMatch(/[\u200B\u202E\u0000-\u0008]/);
    expect(f.resource.id).toContain('<!channel>'); // still raw markup: escaping is each renderer's job
  });

  it('keeps a zero-width joiner only inside an emoji sequence', () => {
    const event = fixtureEvent('minimal');
    const label = (resourceType: string) =>
      normaliseFinding({ ...event, detail: { ...event.detail, resource: { ...event.detail.resource, resourceType } } })
        .resource.label;
    // 👩‍💻, 🏳️‍🌈 (variation selector before the joiner), 👍🏽‍🔥 (skin tone before it): one emoji each.
    expect(label('dev 👩\u200D💻 flag 🏳\uFE0F\u200D🌈 x 👍🏽\u200D🔥')).toBe(
      'dev 👩\u200D💻 flag 🏳\uFE0F\u200D🌈 x 👍🏽\u200D🔥',
    );
    // Between letters, at an edge, doubled, or half an emoji: shown, as every other invisible mark.
    expect(label('ad\u200Dmin')).toBe('ad[U+200D]min');
    expect(label('\u200D👩 👩\u200D')).toBe('[U+200D]👩 👩[U+200D]');
    expect(label('👩\u200D\u200D💻')).toBe('👩[U+200D][U+200D]💻');
    expect(label('👩\u200Dx a\u200D💻')).toBe('👩[U+200D]x a[U+200D]💻');
    // The non-joiner never builds an emoji.
    expect(label('👩\u200C💻')).toBe('👩[U+200C]💻');
  });

  it('cleans an unknown resource type, which it shows verbatim as the resource type and label', () => {
    const event = fixtureEvent('minimal');
    const withType = (resourceType: string) =>
      normaliseFinding({ ...event, detail: { ...event.detail, resource: { ...event.detail.resource, resourceType } } })
        .resource;
    const hostile = withType(`Weird\u202Etype\r\n<!channel>\u0007${'x'.repeat(300)}`);
    expect(hostile).toMatchObject({ kind: 'other', type: hostile.label });
    expect(hostile.label).toHaveLength(128);
    expect(hostile.label).toMatch(/^Weird\[U\+202E\]type <!channel>x+…$/); // one line, no controls; markup is each renderer's job
    expect(withType('\u0007\r\n')).toMatchObject({ kind: 'other', type: 'Unknown', label: 'Unknown' });
    // Names of Object.prototype members are unknown types too, not lookups into the prototype.
    expect(withType('constructor')).toMatchObject({ kind: 'other', type: 'constructor', label: 'constructor' });
    expect(withType('__proto__')).toMatchObject({ kind: 'other', type: '__proto__', label: '__proto__' });
    expect(withType('Instance')).toMatchObject({ kind: 'instance', type: 'Instance', label: 'EC2 instance' });
  });

  it('keeps long attacker strings bounded', () => {
    const f = normalisedFixture('hostile');
    expect(f.actor.userAgent!.length).toBeLessThanOrEqual(2000);
    expect(f.actor.userAgent!.endsWith('…')).toBe(true);
  });
});

describe('FindingEventSchema', () => {
  const invalidDir = join(FIXTURES_DIR, 'invalid');
  it.each(readdirSync(invalidDir).filter((f) => f.endsWith('.json')))('rejects %s', (file) => {
    const json = JSON.parse(readFileSync(join(invalidDir, file), 'utf8'));
    expect(FindingEventSchema.safeParse(json).success).toBe(false);
  });

  it('passes unknown extra fields through', () => {
    const raw = rawFixture('minimal');
    const parsed = FindingEventSchema.parse({ ...raw, detail: { ...(raw.detail as object), futureField: { x: 1 } } });
    expect((parsed.detail as Record<string, unknown>).futureField).toEqual({ x: 1 });
  });
});
