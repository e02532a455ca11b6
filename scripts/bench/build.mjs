// esbuild helpers for the bench: entry points built from handler/src into a
// temporary directory, with the production bundle's options (scripts/bundle.mjs).
import { build } from 'esbuild';
import { join, relative } from 'node:path';

/** Same banner as the Lambda bundle: ESM output that contains CommonJS dependencies needs `require`. */
const BANNER =
  "import { createRequire as __gdnCreateRequire } from 'node:module'; const require = __gdnCreateRequire(import.meta.url);";

/** As in scripts/bundle.mjs: resolve zod's locale index to English only. */
function zodEnglishOnly(root) {
  return {
    name: 'zod-english-only',
    setup(b) {
      b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
        args.importer.includes(`${'node_modules'}/zod/`)
          ? { path: 'zod-locales-en', namespace: 'zod-locales' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
        contents: `export { default as en } from ${JSON.stringify(join(root, 'node_modules/zod/v4/locales/en.js'))};`,
        resolveDir: root,
      }));
    },
  };
}

/**
 * Bundles entry points the way the Lambda bundle is built (ESM, node22,
 * minified, code splitting) into `outdir`. Returns the written files' sizes.
 */
export async function buildLikeLambda(root, entryPoints, outdir, { english = true } = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    banner: { js: BANNER },
    plugins: english ? [zodEnglishOnly(root)] : [],
    logLevel: 'warning',
    metafile: true,
  });
  return Object.entries(result.metafile.outputs).map(([file, meta]) => ({
    file: relative(outdir, join(root, file)),
    bytes: meta.bytes,
  }));
}

/** The notifier's naive baseline (issue 7): the three AWS SDK clients, nodemailer and classic `zod` (every locale). */
export const NAIVE_NOTIFIER = [
  "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
  "import { SNSClient } from '@aws-sdk/client-sns';",
  "import { OrganizationsClient } from '@aws-sdk/client-organizations';",
  "import nodemailer from 'nodemailer';",
  "import { z } from 'zod';",
  'export const loaded = [SecretsManagerClient, SNSClient, OrganizationsClient, nodemailer.createTransport, z.object];',
];

/** The interaction endpoint's naive baseline: the clients it uses (GuardDuty, DynamoDB, Secrets Manager) and classic `zod`. */
export const NAIVE_INTERACTION = [
  "import { GuardDutyClient } from '@aws-sdk/client-guardduty';",
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
  "import { z } from 'zod';",
  'export const loaded = [GuardDutyClient, DynamoDBClient, SecretsManagerClient, z.object];',
];

/**
 * A naive baseline: one minified ESM file that eagerly imports what `lines`
 * import (by default the notifier's: {@link NAIVE_NOTIFIER}).
 */
export async function buildNaiveBaseline(root, outfile, lines = NAIVE_NOTIFIER) {
  const contents = lines.join('\n');
  const result = await build({
    absWorkingDir: root,
    stdin: { contents, resolveDir: root, sourcefile: 'naive-entry.mjs', loader: 'js' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    legalComments: 'none',
    banner: { js: BANNER },
    logLevel: 'warning',
    metafile: true,
  });
  return Object.values(result.metafile.outputs)[0].bytes;
}
