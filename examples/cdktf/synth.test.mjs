// Runs `cdktf get` and `cdktf synth` on this example, offline, and checks the
// synthesized stack: it calls the repository's module with typed inputs, and
// Terraform validates it. Run by `make tf-cdktf-test`, which installs
// cdktf-cli, cdktf and constructs into CDKTF_HOME (a cache outside the
// repository) and links them here as node_modules.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const stackDir = path.join(here, 'cdktf.out', 'stacks', 'guardduty-notify');
const terraform = process.env.TERRAFORM_BINARY_NAME || 'terraform';

const env = {
  ...process.env,
  PATH: `${path.join(here, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
  CHECKPOINT_DISABLE: '1', // no telemetry, no version check
  CI: '1', // no spinners or prompts
  FORCE_COLOR: '0',
};

function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, {
    cwd: here,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
    ...options,
  });
}

const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

const modules = path.join(here, 'node_modules');
let linkedModules = false;

before(() => {
  if (!existsSync(modules)) {
    const home = process.env.CDKTF_HOME;
    assert.ok(
      home,
      'node_modules is missing: run make tf-cdktf-test (it installs cdktf into the cache and sets CDKTF_HOME)',
    );
    symlinkSync(path.join(home, 'node_modules'), modules, 'dir');
    linkedModules = true;
  }
  assert.ok(lstatSync(modules), 'node_modules');
  rmSync(path.join(here, '.gen'), { recursive: true, force: true });
  rmSync(path.join(here, 'cdktf.out'), { recursive: true, force: true });
  run('cdktf', ['get']);
  run('cdktf', ['synth']);
});

// Leave the checkout as it was (KEEP_CDKTF_OUT=1 keeps .gen and cdktf.out to look at).
after(() => {
  if (process.env.KEEP_CDKTF_OUT === '1') return;
  rmSync(path.join(here, '.gen'), { recursive: true, force: true });
  rmSync(path.join(here, 'cdktf.out'), { recursive: true, force: true });
  if (linkedModules) rmSync(modules, { force: true });
});

test('cdktf get generates a typed construct with every input of the module', () => {
  const binding = readFileSync(path.join(here, '.gen', 'modules', 'guardduty_notify.ts'), 'utf8');
  assert.match(binding, /export class GuarddutyNotify extends TerraformModule/);
  const variables = [
    ...readFileSync(path.join(repo, 'variables.tf'), 'utf8').matchAll(/^variable "([a-z0-9_]+)"/gm),
  ].map((m) => m[1]);
  assert.ok(variables.length > 40, `read ${variables.length} variables`);
  for (const name of variables) {
    assert.match(binding, new RegExp(`readonly ${camel(name)}\\?: `), `input ${name}`);
  }
  for (const output of ['function_arn', 'queue_url', 'dlq_url', 'config_secret_arn', 'event_bus_arn']) {
    assert.match(binding, new RegExp(`get ${camel(output)}Output\\(\\)`), `output ${output}`);
  }
});

test('cdktf synth calls the module in place with the example inputs', () => {
  const stack = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const mod = stack.module.guardduty_notify;
  assert.equal(path.resolve(stackDir, mod.source), repo, 'module source is the repository root');
  assert.equal(mod.min_severity, 'MEDIUM');
  assert.equal(mod.config_json_version, 1);
  assert.equal(mod.create_dashboard, true);
  assert.match(mod.config_json, /^\$\{jsonencode\(.*var\.slack_webhook_url.*\)\}$/);
  assert.deepEqual(stack.variable.slack_webhook_url, {
    description: 'Slack incoming-webhook URL, written to the config secret and never stored in state.',
    ephemeral: true,
    sensitive: true,
    type: 'string',
  });
  assert.deepEqual(stack.terraform.required_providers.aws, { source: 'hashicorp/aws', version: '>= 5.100' });
  assert.deepEqual(stack.provider.aws, [{ region: process.env.AWS_REGION ?? 'us-east-1' }]);
  assert.deepEqual(Object.keys(stack.output).sort(), ['dlq_url', 'function_name']);
});

test('terraform validates the synthesized stack', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gdn-cdktf-'));
  const tfEnv = { ...env, TF_DATA_DIR: dataDir };
  try {
    run(terraform, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: stackDir, env: tfEnv });
    const out = run(terraform, ['validate', '-no-color'], { cwd: stackDir, env: tfEnv });
    assert.match(out, /The configuration is valid/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(path.join(stackDir, '.terraform.lock.hcl'), { force: true });
  }
});
