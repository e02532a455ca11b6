import { describe, expect, it } from 'vitest';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * One Node.js major wherever the function's code runs: the module's default runtime (root and
 * notifier), the esbuild target of the function's bundle, the Node.js make fetches for the suites
 * (mk/node.mk), and, under make, the Node.js running these tests.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

function defaultRuntime(variablesTf: string): string {
  const block = /variable "lambda_runtime" \{([\s\S]*?)\n\}/.exec(read(variablesTf))?.[1] ?? '';
  return /^\s*default\s*=\s*"([^"]+)"/m.exec(block)?.[1] ?? `no default in ${variablesTf}`;
}

function targets(source: string): string[] {
  return [...source.matchAll(/target: '(node\d+)'/g)].map((m) => m[1] ?? '');
}

const runtime = defaultRuntime('variables.tf');
const major = Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1]);
const lambdaNodeVersion = /^LAMBDA_NODE_VERSION \?= (\S+)$/m.exec(read('mk/node.mk'))?.[1] ?? '';
const lambdaNode = process.env.GDN_LAMBDA_NODE;

describe('the Node.js major the function deploys on', () => {
  it('is the default runtime of the root module and of the notifier', () => {
    expect(runtime).toMatch(/^nodejs\d+\.x$/);
    expect(defaultRuntime('modules/notifier/variables.tf')).toBe(runtime);
  });

  it("is the esbuild target of the Lambda bundle and of the bench's builds like it", () => {
    const lambdaBuild =
      /const lambda = await build\(\{([\s\S]*?)\n\s*\}\);/.exec(read('scripts/bundle.mjs'))?.[1] ?? '';
    expect(targets(lambdaBuild)).toEqual([`node${major}`]);
    expect(targets(read('scripts/bench/build.mjs'))).toEqual([`node${major}`, `node${major}`]);
  });

  it("leaves the CLI (run on the user's machine) at package.json's engines", () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const cliBuild = /const cli = await build\(\{([\s\S]*?)\n\}\);/.exec(read('scripts/bundle.mjs'))?.[1] ?? '';
    expect(targets(cliBuild)).toEqual([`node${/^>=(\d+)$/.exec(engines)?.[1]}`]);
  });

  it('is the Node.js make fetches for the suites', () => {
    expect(lambdaNodeVersion).toMatch(new RegExp(`^${major}\\.\\d+\\.\\d+$`));
  });

  it.runIf(lambdaNode)('is the Node.js running this suite under make', () => {
    expect(realpathSync(process.execPath)).toBe(realpathSync(lambdaNode ?? ''));
    expect(process.versions.node).toBe(lambdaNodeVersion);
  });
});
