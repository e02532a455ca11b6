import type { NormalisedFinding } from './model.js';

/*
 * A next step in every message: AWS's documentation for the finding type's
 * family and the matching remediation guide. Every URL is a fixed constant of
 * this table, never built from finding text. Source of the URLs: the GuardDuty
 * User Guide's table of contents (docs.aws.amazon.com/guardduty/latest/ug/,
 * "Remediating findings" and "GuardDuty finding types by potentially impacted resources").
 */

const UG = 'https://docs.aws.amazon.com/guardduty/latest/ug';

export interface NextStep {
  label: string;
  url: string;
}

const DOCS = {
  ec2: { label: 'EC2 finding types', url: `${UG}/guardduty_finding-types-ec2.html` },
  iam: { label: 'IAM finding types', url: `${UG}/guardduty_finding-types-iam.html` },
  s3: { label: 'S3 Protection finding types', url: `${UG}/guardduty_finding-types-s3.html` },
  eks: { label: 'EKS Protection finding types', url: `${UG}/guardduty-finding-types-eks-audit-logs.html` },
  runtime: { label: 'Runtime Monitoring finding types', url: `${UG}/findings-runtime-monitoring.html` },
  malwareEc2: { label: 'Malware Protection for EC2 finding types', url: `${UG}/findings-malware-protection.html` },
  malwareS3: {
    label: 'Malware Protection for S3 finding type',
    url: `${UG}/gdu-malware-protection-s3-finding-types.html`,
  },
  rds: { label: 'RDS Protection finding types', url: `${UG}/findings-rds-protection.html` },
  lambda: { label: 'Lambda Protection finding types', url: `${UG}/lambda-protection-finding-types.html` },
  attackSequence: { label: 'Attack sequence finding types', url: `${UG}/guardduty-attack-sequence-finding-types.html` },
  all: { label: 'GuardDuty finding types', url: `${UG}/guardduty_finding-types-active.html` },
} as const satisfies Record<string, NextStep>;

const REMEDIATE = {
  ec2: { label: 'Remediate a compromised EC2 instance', url: `${UG}/compromised-ec2.html` },
  creds: { label: 'Remediate compromised AWS credentials', url: `${UG}/compromised-creds.html` },
  s3: { label: 'Remediate a compromised S3 bucket', url: `${UG}/compromised-s3.html` },
  s3Object: { label: 'Remediate a malicious S3 object', url: `${UG}/compromised-s3object-malware-protection-gdu.html` },
  eks: { label: 'Remediate EKS Protection findings', url: `${UG}/guardduty-remediate-kubernetes.html` },
  runtime: { label: 'Remediate Runtime Monitoring findings', url: `${UG}/guardduty-remediate-runtime-monitoring.html` },
  ecs: { label: 'Remediate a compromised ECS cluster', url: `${UG}/compromised-ecs.html` },
  container: {
    label: 'Remediate a compromised standalone container',
    url: `${UG}/remediate-compromised-standalone-container.html`,
  },
  rds: { label: 'Remediate a compromised database', url: `${UG}/guardduty-remediate-compromised-database-rds.html` },
  lambda: {
    label: 'Remediate a compromised Lambda function',
    url: `${UG}/remediate-lambda-protection-finding-types.html`,
  },
  snapshot: { label: 'Remediate a compromised EBS snapshot', url: `${UG}/compromised-snapshot.html` },
  ami: { label: 'Remediate a compromised EC2 AMI', url: `${UG}/compromised-ami.html` },
  overview: { label: 'Remediating GuardDuty findings', url: `${UG}/guardduty_remediate.html` },
} as const satisfies Record<string, NextStep>;

/**
 * The table: the resource part of a finding type (`Threat:RESOURCE/Family`) →
 * its documentation page and remediation guide. Malware families are refined below.
 */
export const NEXT_STEPS_BY_TYPE_RESOURCE: Readonly<Record<string, readonly NextStep[]>> = {
  EC2: [DOCS.ec2, REMEDIATE.ec2],
  IAMUser: [DOCS.iam, REMEDIATE.creds],
  IAM: [DOCS.attackSequence, REMEDIATE.creds],
  S3: [DOCS.s3, REMEDIATE.s3],
  Kubernetes: [DOCS.eks, REMEDIATE.eks],
  EKS: [DOCS.attackSequence, REMEDIATE.eks],
  Runtime: [DOCS.runtime, REMEDIATE.runtime],
  ECS: [DOCS.runtime, REMEDIATE.ecs],
  Container: [DOCS.runtime, REMEDIATE.container],
  RDS: [DOCS.rds, REMEDIATE.rds],
  Lambda: [DOCS.lambda, REMEDIATE.lambda],
};

/** Malware findings (`…/MaliciousFile`, `…/SuspiciousFile`), by where the file was found. */
const MALWARE_BY_TYPE_RESOURCE: Readonly<Record<string, readonly NextStep[]>> = {
  EC2: [DOCS.malwareEc2, REMEDIATE.ec2],
  ECS: [DOCS.malwareEc2, REMEDIATE.ecs],
  Kubernetes: [DOCS.malwareEc2, REMEDIATE.eks],
  Container: [DOCS.malwareEc2, REMEDIATE.container],
  S3: [DOCS.malwareS3, REMEDIATE.s3Object],
};

/** Malware in a snapshot or AMI has its own guide (`Execution:EC2/MaliciousFile!Snapshot`). */
const MALWARE_BY_ARTIFACT: Readonly<Record<string, NextStep>> = { Snapshot: REMEDIATE.snapshot, AMI: REMEDIATE.ami };

/**
 * Links to AWS's documentation for the finding's type family and the matching
 * remediation guide. A type outside the table gets the general pages, so every
 * message carries a next step.
 *
 * @example nextStepsFor(parseFindingType('UnauthorizedAccess:EC2/SSHBruteForce'))
 * // [{ label: 'EC2 finding types', … }, { label: 'Remediate a compromised EC2 instance', … }]
 */
export function nextStepsFor(type: NormalisedFinding['type']): NextStep[] {
  const own = (table: Readonly<Record<string, readonly NextStep[]>>) =>
    Object.hasOwn(table, type.resourceType) ? table[type.resourceType] : undefined;
  const isMalware = type.family === 'MaliciousFile' || type.family === 'SuspiciousFile';
  const artifactGuide =
    isMalware && type.artifact && Object.hasOwn(MALWARE_BY_ARTIFACT, type.artifact)
      ? MALWARE_BY_ARTIFACT[type.artifact]
      : undefined;
  if (artifactGuide) return [DOCS.malwareEc2, artifactGuide];
  if (type.threatPurpose === 'AttackSequence') {
    const steps = own(NEXT_STEPS_BY_TYPE_RESOURCE);
    return [DOCS.attackSequence, steps?.[1] ?? REMEDIATE.overview];
  }
  const steps = (isMalware ? own(MALWARE_BY_TYPE_RESOURCE) : undefined) ?? own(NEXT_STEPS_BY_TYPE_RESOURCE);
  return steps ? [...steps] : [DOCS.all, REMEDIATE.overview];
}

/** Every URL a next step can carry: the only links besides the console's a message may contain. */
export const NEXT_STEP_URLS: ReadonlySet<string> = new Set(
  [...Object.values(DOCS), ...Object.values(REMEDIATE)].map((step) => step.url),
);
