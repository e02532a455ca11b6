// Builds the committed artefacts: the Lambda bundle (handler/dist/lambda.zip)
// and the CLI (handler/dist/cli.mjs). Deterministic: same sources and lockfile,
// same bytes. `--check` rebuilds in memory and fails if the committed files differ.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deterministicZip } from './zip.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'handler', 'dist');
const check = process.argv.includes('--check');

// ESM output that still contains CommonJS dependencies (nodemailer) needs a `require`.
const banner =
  "import { createRequire as __gdnCreateRequire } from 'node:module'; const require = __gdnCreateRequire(import.meta.url);";

// zod re-exports every locale through its `z` namespace (about 300 KB minified);
// error messages here are English, so resolve the locale index to English only.
const zodEnglishOnly = {
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

const common = {
  plugins: [zodEnglishOnly],
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Prefer packages' ES module builds: a dynamic import() of the AWS SDK's CommonJS
  // build yields only `{ default }`, so named clients would be undefined at run time.
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  write: false,
  absWorkingDir: root,
  banner: { js: banner },
  logLevel: 'warning',
};

/** Source modules some module loads with `import('./…')`: the code a cold start does not load. */
function lazySourceModules() {
  const found = new Set();
  const walk = (dir) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (path.endsWith('.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) {
          const target = resolve(dirname(path), m[1]).replace(/\.js$/, '.ts');
          if (existsSync(target)) found.add(target);
        }
    }
  };
  walk(join(root, 'handler', 'src'));
  return found;
}
const lazyModules = lazySourceModules();

/*
 * One chunk for everything an entry loads at cold start. esbuild puts code in
 * a chunk per set of entry points (dynamic imports included) that reach it, so
 * code the entry shares with its lazily loaded modules (channel renderers, the
 * report, the DynamoDB backend) lands in a dozen chunks of its own, and every
 * extra module costs a cold start more than its bytes (measured: 23 files vs
 * one, the same code, about 40% more import time). Each lazily loaded source
 * module therefore also imports the entry: then every module of the cold path
 * is reached by the same set and shares one chunk. A lazy module only runs
 * after the entry has loaded, so the added import does nothing at run time.
 */
const coldPathInOneChunk = (entry) => ({
  name: 'cold-path-in-one-chunk',
  setup(b) {
    const entryPath = join(root, entry);
    b.onLoad({ filter: /[\\/]handler[\\/]src[\\/].*\.ts$/ }, (args) =>
      lazyModules.has(args.path) && args.path !== entryPath
        ? { contents: `${readFileSync(args.path, 'utf8')}\nimport ${JSON.stringify(entryPath)};\n`, loader: 'ts' }
        : undefined,
    );
  },
});

// Syntax level: the function's bundle targets the module's default runtime (nodejs22.x, the oldest
// lambda_runtime allows); the CLI runs on the user's machine, so it targets package.json's engines.
// Each entry is built on its own, so neither entry's cold path is split by code it shares with the other.
const LAMBDA_ENTRIES = { index: 'handler/src/index.ts', interaction: 'handler/src/interaction.ts' };
const lambdaFiles = [];
for (const [name, entry] of Object.entries(LAMBDA_ENTRIES)) {
  const lambda = await build({
    ...common,
    plugins: [...common.plugins, coldPathInOneChunk(entry)],
    target: 'node22',
    entryPoints: { [name]: entry },
    outdir: 'out',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  });
  for (const f of lambda.outputFiles) {
    const file = { name: relative(join(root, 'out'), f.path), data: Buffer.from(f.contents) };
    const same = lambdaFiles.find((e) => e.name === file.name);
    // Chunk names carry a hash of their content: one name from both builds is one file.
    if (same && !same.data.equals(file.data)) throw new Error(`two different chunks named ${file.name}`);
    if (!same) lambdaFiles.push(file);
  }
}
const zip = deterministicZip(lambdaFiles);

const cli = await build({
  ...common,
  target: 'node20',
  entryPoints: ['handler/src/cli.ts'],
  outfile: 'handler/dist/cli.mjs',
  external: ['@aws-sdk/*', 'nodemailer'],
});
const cliBytes = Buffer.from(cli.outputFiles[0].contents);

const sha = (b) => createHash('sha256').update(b).digest('base64');
const manifest = {
  note: 'Generated by `make bundle` (scripts/bundle.mjs); do not edit. lambdaZipSha256 is what Lambda reports as CodeSha256.',
  lambdaZipSha256: sha(zip),
  lambdaZipBytes: zip.length,
  files: Object.fromEntries(
    lambdaFiles
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((f) => [f.name, { bytes: f.data.length, sha256: sha(f.data) }]),
  ),
  cliSha256: sha(cliBytes),
};
const outputs = [
  ['lambda.zip', zip],
  ['cli.mjs', cliBytes],
  ['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
];

if (check) {
  const stale = outputs.filter(([name, bytes]) => {
    const file = join(dist, name);
    return !existsSync(file) || !readFileSync(file).equals(bytes);
  });
  if (stale.length > 0) {
    console.error(
      `committed bundle is stale: ${stale.map(([n]) => `handler/dist/${n}`).join(', ')} differ from a fresh build; run \`make bundle\` and commit the result`,
    );
    process.exit(1);
  }
  console.log(`bundle up to date (lambda.zip ${zip.length} bytes, sha256 ${manifest.lambdaZipSha256})`);
} else {
  mkdirSync(dist, { recursive: true });
  for (const [name, bytes] of outputs) writeFileSync(join(dist, name), bytes);
  console.log(
    `wrote handler/dist/lambda.zip (${zip.length} bytes: ${lambdaFiles.map((f) => `${f.name} ${f.data.length}`).join(', ')})`,
  );
}
