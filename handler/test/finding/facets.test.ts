import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFindingEvent } from '../../src/batch/envelope.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { NEXT_STEP_URLS, NEXT_STEPS_BY_TYPE_RESOURCE, nextStepsFor } from '../../src/finding/nextSteps.js';
import { normaliseFinding } from '../../src/finding/normalise.js';
import { parseFindingType } from '../../src/finding/type.js';
import { FIXTURES_DIR, fixtureNames, normalisedFixture, rawFixture } from '../helpers/fixtures.js';

const facet = (f: NormalisedFinding, key: string) => f.facets.find((x) => x.key === key);
const value = (f: NormalisedFinding, key: string, label: string) =>
  facet(f, key)?.fields.find((x) => x.label === label)?.value;

function normalised(event: unknown): NormalisedFinding {
  const parsed = parseFindingEvent(event);
  if (!parsed.ok) throw new Error(parsed.reason);
  return normaliseFinding(parsed.event);
}

describe('facets: every fact the finding carries, whatever its resourceType', () => {
  it('shows the host EC2 instance and the process, parent and runtime context of a container runtime finding', () => {
    const f = normalisedFixture('container-runtime');
    expect(f.resource.kind).toBe('container');
    expect(value(f, 'hostInstance', 'Instance')).toBe('i-0b2c3d4e5f6a7b8c9');
    expect(value(f, 'hostInstance', 'Name')).toBe('legacy-docker-host');
    expect(value(f, 'process', 'Executable')).toBe('/var/tmp/payload');
    expect(value(f, 'process', 'SHA-256')).toMatch(/^[0-9a-f]{64}$/);
    expect(value(f, 'parentProcess', 'Name')).toBe('sh');
    expect(facet(f, 'runtimeContext')?.fields.length).toBeGreaterThan(0);
  });

  it('has no host-instance facet on an instance finding (the headline resource already is the instance)', () => {
    expect(facet(normalisedFixture('ec2-ssh-bruteforce'), 'hostInstance')).toBeUndefined();
  });

  it('shows malware scan results for every resource type, an ECS finding included', () => {
    const ebs = rawFixture('ebs-malware') as { detail: { service: Record<string, unknown> } };
    const ecs = structuredClone(rawFixture('ecs-runtime-crypto')) as { detail: { service: Record<string, unknown> } };
    ecs.detail.service.ebsVolumeScanDetails = ebs.detail.service.ebsVolumeScanDetails;
    const f = normalised(ecs);
    expect(f.resource.kind).toBe('ecsCluster');
    const infected = value(f, 'malwareScan', 'Infected files');
    expect(infected).toBeTruthy();
    expect(value(normalisedFixture('ebs-malware'), 'malwareScan', 'Infected files')).toBe(infected);
    expect(value(f, 'malwareScan', 'Threats')).toBeTruthy();
  });

  it('shows the bucket and its PUBLIC permission on an access-key finding, and makes the bucket the target', () => {
    const event = structuredClone(rawFixture('iam-api-tor')) as { detail: Record<string, any> };
    event.detail.type = 'Policy:S3/BucketPublicAccessGranted';
    event.detail.resource.s3BucketDetails = [
      {
        name: 'payments-exports',
        arn: 'arn:aws:s3:::payments-exports',
        type: 'Destination',
        publicAccess: { effectivePermission: 'PUBLIC' },
        tags: [{ key: 'team', value: 'payments' }],
      },
    ];
    const f = normalised(event);
    expect(f.resource.kind).toBe('accessKey');
    expect(value(f, 's3Buckets', 'Bucket')).toBe('payments-exports');
    expect(value(f, 's3Buckets', 'Effective permission')).toBe('PUBLIC');
    expect(f.target).toEqual({ label: 'S3 bucket', id: 'payments-exports' });
    expect(f.resource.tags).toEqual([{ key: 'team', value: 'payments' }]);
  });

  it('shows threat-intelligence evidence and older IAM unusual behaviour', () => {
    const event = structuredClone(rawFixture('ec2-c2-network')) as { detail: Record<string, any> };
    event.detail.service.evidence = {
      threatIntelligenceDetails: [{ threatListName: 'ProofPoint', threatNames: ['Trojan.Generic', 'Botnet'] }],
    };
    event.detail.service.additionalInfo = {
      unusualBehavior: { isp: 'Example ISP', apis: ['ListBuckets', 'GetObject'] },
      anomalies: { anomalousAPIs: 'ListBuckets' },
    };
    const f = normalised(event);
    expect(value(f, 'threatIntelligence', 'Threat list')).toBe('ProofPoint');
    expect(value(f, 'threatIntelligence', 'Threat names')).toBe('Trojan.Generic, Botnet');
    expect(facet(f, 'iamAnomalies')?.fields).toEqual(
      expect.arrayContaining([
        { label: 'Anomalies anomalous apis', value: 'ListBuckets' },
        { label: 'Unusual behavior apis', value: 'ListBuckets, GetObject' },
      ]),
    );
  });

  it('shows an unknown actionType with its scalar fields instead of dropping the action', () => {
    const event = structuredClone(rawFixture('ec2-c2-network')) as { detail: Record<string, any> };
    event.detail.service.action = {
      actionType: 'QUANTUM_TUNNEL',
      quantumTunnelAction: { tunnelId: 'qt-7', remoteIpDetails: { ipAddressV4: '203.0.113.9' }, depth: 3 },
    };
    const f = normalised(event);
    expect(f.action.label).toBe('QUANTUM_TUNNEL');
    expect(f.action.fields).toEqual(
      expect.arrayContaining([
        { label: 'Tunnel id', value: 'qt-7' },
        { label: 'Depth', value: '3' },
      ]),
    );
    expect(f.actor.ip).toBe('203.0.113.9');
  });

  it('leaves out an unknown ASN (-1)', () => {
    const f = normalisedFixture('sample-finding');
    expect(f.actor.asn).toBeNull();
    expect(JSON.stringify(f.action.fields)).not.toContain('AS-1');
  });

  it.each(fixtureNames())('gives %s a next step, only fixed AWS documentation links', (name) => {
    const f = normalisedFixture(name);
    expect(f.nextSteps.length).toBeGreaterThanOrEqual(2);
    for (const step of f.nextSteps) expect(NEXT_STEP_URLS.has(step.url)).toBe(true);
    for (const step of f.nextSteps)
      expect(step.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/guardduty\/latest\/ug\/[a-z0-9_-]+\.html$/);
  });
});

describe('next steps table', () => {
  const list = JSON.parse(
    readFileSync(join(FIXTURES_DIR, '..', 'finding-types', 'guardduty-finding-types.json'), 'utf8'),
  ) as { types: string[] };

  it('covers every resource family of GuardDuty finding-type list', () => {
    const families = new Set(list.types.map((t) => parseFindingType(t).resourceType));
    const missing = [...families].filter((r) => !Object.hasOwn(NEXT_STEPS_BY_TYPE_RESOURCE, r));
    expect(missing).toEqual([]);
    expect(families.size).toBeGreaterThanOrEqual(10);
  });

  it('never falls back to the general pages for a listed type', () => {
    const general = nextStepsFor(parseFindingType('Unheard:Of/Thing'));
    for (const t of list.types) expect(nextStepsFor(parseFindingType(t))).not.toEqual(general);
  });

  it('sends malware findings to the malware docs and the guide for where the file was', () => {
    expect(nextStepsFor(parseFindingType('Execution:ECS/MaliciousFile')).map((s) => s.url)).toEqual([
      'https://docs.aws.amazon.com/guardduty/latest/ug/findings-malware-protection.html',
      'https://docs.aws.amazon.com/guardduty/latest/ug/compromised-ecs.html',
    ]);
    expect(nextStepsFor(parseFindingType('Execution:EC2/MaliciousFile!Snapshot'))[1]?.url).toMatch(
      /compromised-snapshot\.html$/,
    );
    expect(nextStepsFor(parseFindingType('Object:S3/MaliciousFile'))[1]?.url).toMatch(/compromised-s3object/);
  });
});
