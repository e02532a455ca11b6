import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';

export type Engine = 'terraform' | 'tofu';

export interface Toolchain {
  engine: Engine;
  bin: string;
  version: string;
  cliConfig: string;
}

const cache = () => process.env.GDN_CACHE ?? join(homedir(), '.cache', 'guardduty-notify');

/** The engine binary: E2E_TERRAFORM / E2E_TOFU (set by mk/e2e.mk from mk/terraform.mk), else the usual places. */
export function engineBin(engine: Engine): string {
  if (engine === 'terraform') return process.env.E2E_TERRAFORM || 'terraform';
  if (process.env.E2E_TOFU) return process.env.E2E_TOFU;
  const tofuDir = join(cache(), 'tofu');
  const versions = existsSync(tofuDir)
    ? readdirSync(tofuDir)
        .filter((v) => existsSync(join(tofuDir, v, 'tofu')))
        .sort()
    : [];
  const candidates = [...versions.reverse().map((v) => join(tofuDir, v, 'tofu')), join(cache(), 'bin', 'tofu')];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(
      `no tofu binary (looked in ${tofuDir} and ${join(cache(), 'bin')}): run \`make tf-tools\` or set E2E_TOFU`,
    );
  return found;
}

export function engineVersion(bin: string): string {
  const out = execFileSync(bin, ['version', '-json'], {
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { terraform_version: string }).terraform_version;
}

/**
 * A CLI config serving hashicorp/aws from the filesystem mirror under both
 * registry host names (OpenTofu asks for registry.opentofu.org/…), through a
 * tree of symlinks in `dir`. Used when mk/terraform.mk's config is not passed
 * in (E2E_CLI_CONFIG), e.g. when the harness is run on its own.
 */
export function writeCliConfig(dir: string, mirror = process.env.E2E_PROVIDER_MIRROR || '/opt/tf-plugins'): string {
  const source = join(mirror, 'registry.terraform.io');
  if (!existsSync(source))
    throw new Error(
      `no provider mirror at ${source}: set E2E_CLI_CONFIG (make e2e passes mk/terraform.mk's) or E2E_PROVIDER_MIRROR`,
    );
  const links = join(dir, 'provider-mirror');
  const files = (readdirSync(source, { recursive: true }) as string[])
    .map((rel) => join(source, rel))
    .filter((f) => statSync(f).isFile());
  const nstypes = new Set<string>();
  for (const file of files) {
    const rel = relative(source, file);
    const parts = rel.split('/');
    if (parts.length < 3) continue;
    nstypes.add(`${parts[0]}/${parts[1]}`);
    for (const host of ['registry.terraform.io', 'registry.opentofu.org']) {
      const target = join(links, host, rel);
      mkdirSync(join(target, '..'), { recursive: true });
      if (!existsSync(target)) symlinkSync(file, target);
    }
  }
  const includes = [...nstypes]
    .flatMap((t) => [`"registry.terraform.io/${t}"`, `"registry.opentofu.org/${t}"`])
    .join(', ');
  const path = join(dir, 'cli.tfrc');
  writeFileSync(
    path,
    `# Written by tests/e2e: providers from the mirror ${mirror} only.\nprovider_installation {\n  filesystem_mirror {\n    path    = "${links}"\n    include = [${includes}]\n  }\n  direct {\n    exclude = [${includes}]\n  }\n}\n`,
  );
  return path;
}

/** The AWS provider endpoint key for each resource/data source type prefix the module and examples use. */
const ENDPOINT_BY_TYPE: Array<[RegExp, string | null]> = [
  [/^aws_(partition|region)$/, null], // computed locally
  [/^aws_caller_identity$/, 'sts'],
  [/^aws_cloudwatch_event_/, 'events'],
  [/^aws_cloudwatch_log_/, 'logs'],
  [/^aws_cloudwatch_(metric_alarm|dashboard|composite_alarm)$/, 'cloudwatch'],
  [/^aws_dynamodb_/, 'dynamodb'],
  [/^aws_iam_/, 'iam'],
  [/^aws_kms_/, 'kms'],
  [/^aws_lambda_/, 'lambda'],
  [/^aws_secretsmanager_/, 'secretsmanager'],
  [/^aws_sns_/, 'sns'],
  [/^aws_sqs_/, 'sqs'],
  [/^aws_scheduler_/, 'scheduler'],
];

/**
 * Endpoints for every AWS service the given HCL uses. A resource type the
 * table does not know fails the run (it would otherwise try to reach AWS).
 */
export function endpointsFor(types: Iterable<string>): string[] {
  const services = new Set<string>(['sts', 'iam']); // provider configuration checks
  for (const type of types) {
    const hit = ENDPOINT_BY_TYPE.find(([re]) => re.test(type));
    if (!hit)
      throw new Error(
        `the e2e override does not know which endpoint ${type} uses: add it to ENDPOINT_BY_TYPE in tests/e2e/lib/engines.ts`,
      );
    if (hit[1]) services.add(hit[1]);
  }
  return [...services].sort();
}

/** The `*_override.tf` that points the example's aws provider at the emulator. */
export function overrideHcl(endpoint: string, services: string[]): string {
  const width = Math.max(...services.map((s) => s.length));
  return [
    '# Written by tests/e2e: the example as a user has it, with its aws provider',
    '# pointed at the moto emulator. Not part of the example.',
    'provider "aws" {',
    '  access_key                  = "testing"',
    '  secret_key                  = "testing"',
    '  skip_credentials_validation = true',
    '  skip_requesting_account_id  = true',
    '  skip_metadata_api_check     = true',
    '  s3_use_path_style           = true',
    '',
    '  endpoints {',
    ...services.map((s) => `    ${s.padEnd(width)} = "${endpoint}"`),
    '  }',
    '}',
    '',
  ].join('\n');
}
