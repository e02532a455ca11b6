/**
 * guardduty-notify from CDK for Terraform (TypeScript).
 *
 * CDKTF is deprecated: HashiCorp stopped maintaining it on 2025-12-10 and
 * cdktf-cli 0.21.0 is its last release. This example shows how a TypeScript
 * code base that already uses it consumes the module: `cdktf get` reads the
 * module's variables and outputs (cdktf.json `terraformModules`) and
 * generates the typed `GuarddutyNotify` construct in .gen/. For new code,
 * call the module from HCL (see ../slack-minimal).
 */
import path from 'node:path';
import { App, Fn, TerraformOutput, TerraformProvider, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { GuarddutyNotify } from './.gen/modules/guardduty_notify.js';

/**
 * The hashicorp/aws provider block, without generating bindings for the whole
 * provider (`cdktf get` of hashicorp/aws writes hundreds of thousands of lines
 * and this stack only needs the provider's region).
 */
class AwsProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    private readonly region: string,
  ) {
    super(scope, id, {
      terraformResourceType: 'aws',
      terraformProviderSource: 'hashicorp/aws',
      terraformGeneratorMetadata: { providerName: 'aws', providerVersionConstraint: '>= 5.100' },
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { region: this.region };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return { region: { value: this.region, type: 'simple', storageClassType: 'string', isBlock: false } };
  }
}

class GuardDutyNotifyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    new AwsProvider(this, 'aws', process.env.AWS_REGION ?? 'us-east-1');

    const slackWebhookUrl = new TerraformVariable(this, 'slack_webhook_url', {
      type: 'string',
      sensitive: true,
      description: 'Slack incoming-webhook URL, written to the config secret and never stored in state.',
    });
    // cdktf 0.21 predates ephemeral variables; the override adds the attribute.
    slackWebhookUrl.addOverride('ephemeral', true);

    const notifier = new GuarddutyNotify(this, 'guardduty_notify', {
      name: 'guardduty-notify',
      minSeverity: 'MEDIUM',
      configJson: Fn.jsonencode({
        channels: [{ name: 'security-slack', type: 'slack', webhookUrl: slackWebhookUrl.stringValue }],
      }),
      configJsonVersion: 1,
      createDashboard: true,
      // Use the module in place: by default cdktf copies the whole directory
      // of a local module (here the repository) into cdktf.out.
      skipAssetCreationFromLocalModules: true,
    });
    // Terraform resolves a local source from the synthesized stack directory
    // (cdktf.out/stacks/<stack>/), not from this project. A project outside
    // this repository sets a registry or git source (?ref=vX.Y.Z) in
    // cdktf.json instead and needs no override.
    notifier.addOverride(
      'source',
      path.relative(path.resolve(App.of(this).outdir, 'stacks', id), path.resolve('../..')),
    );

    new TerraformOutput(this, 'function_name', { value: notifier.functionNameOutput });
    new TerraformOutput(this, 'dlq_url', { value: notifier.dlqUrlOutput });
  }
}

const app = new App();
new GuardDutyNotifyStack(app, 'guardduty-notify');
app.synth();
