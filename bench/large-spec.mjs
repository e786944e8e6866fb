// The pipeline at 10 and at 157 operations: the repository's spec as it is, and the same spec with
// the core/v1 operations of Kubernetes v1.19 imported (scripts/import-upstream.mjs, from the copy of
// upstream's swagger the slow test uses). For each, on a temporary copy of the spec side: the time of
// each build step (bundle, types, client generation, docs), the size of what it writes, and the
// browser bundle of a program that calls one operation (esbuild, minified, then brotli).
//
//   node bench/large-spec.mjs [--rounds 3]
//
// The one-operation program is the issue's: `readCoreV1NamespacedServiceStatus(createCciContext(…))`
// when the client exports createCciContext, else `createCciClient(…).readCoreV1NamespacedServiceStatus`
// (the shape measured is printed). Prints medians; asserts nothing about time.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants } from 'node:zlib';
import { median, printTable } from './lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const swagger = join(root, 'test', 'lib', 'large-spec', 'k8s-v1.19-swagger.json.gz');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
const esbuild = createRequire(import.meta.url)('esbuild');
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };

/** Runs a Node script to its end; returns the wall time in ms. */
function timed(args, cwd) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return performance.now() - started;
}

/** A copy of the spec side (as test/lib/tree.ts makes it), with the upstream operations when `large`. */
function specTree(large) {
  const tree = mkdtempSync(join(tmpdir(), 'cci-openapi-bench-large-'));
  cpSync(join(root, 'redocly.yaml'), join(tree, 'redocly.yaml'));
  for (const dir of ['spec', 'scripts'])
    cpSync(join(root, dir), join(tree, dir), {
      recursive: true,
      filter: (path) => !/\/(node_modules|dist)(\/|$)/.test(path),
    });
  cpSync(join(root, 'packages', 'client', 'src'), join(tree, 'packages', 'client', 'src'), { recursive: true });
  cpSync(join(root, 'packages', 'client', 'package.json'), join(tree, 'packages', 'client', 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
  if (large)
    timed([join(tree, 'scripts', 'import-upstream.mjs'), '--out', join(tree, 'spec'), '--source', swagger], tree);
  return tree;
}

/** One run of the four build steps in `tree`; returns each step's time. */
function buildSteps(tree) {
  const bundle = join(tree, 'spec', 'dist', 'openapi.json');
  const types = join(tree, 'packages', 'types');
  return {
    bundle: timed([join(tree, 'scripts', 'bundle-spec.mjs')], tree),
    types: timed([join(tree, 'scripts', 'generate-types.mjs'), '--spec', bundle, '--out', types], tree),
    client: timed(
      [
        join(tree, 'scripts', 'generate-client.mjs'),
        '--spec',
        join(types, 'openapi.json'),
        '--out',
        join(tree, 'packages', 'client', 'src', 'generated', 'operations.ts'),
      ],
      tree,
    ),
    docs: timed(
      [join(root, 'docs', 'build-docs.mjs'), '--spec', bundle, '--out', join(tree, 'docs', 'index.html')],
      tree,
    ),
  };
}

const ONE_OPERATION = {
  context: `import { createCciContext, readCoreV1NamespacedServiceStatus } from '@cci-openapi/client';
await readCoreV1NamespacedServiceStatus(createCciContext({ baseUrl: 'https://cci.example', token: 't' }), { namespace: 'ns', name: 'svc' });
`,
  client: `import { createCciClient } from '@cci-openapi/client';
await createCciClient({ baseUrl: 'https://cci.example', token: 't' }).readCoreV1NamespacedServiceStatus({ namespace: 'ns', name: 'svc' });
`,
};

/** The program bundled for browsers against the tree's client sources (esbuild fails on a missing export). */
function bundleProgram(tree, source) {
  const clientEntry = join(tree, 'packages', 'client', 'src', 'index.ts');
  const entry = join(tree, 'one-operation.mjs');
  writeFileSync(entry, source);
  return esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'tree-client',
        setup: (build) => build.onResolve({ filter: /^@cci-openapi\/client$/ }, () => ({ path: clientEntry })),
      },
    ],
  });
}

/** The one-operation program, or the client-object shape while the client lacks its exports. */
async function oneOperationBundle(tree) {
  let shape = 'context';
  let result = await bundleProgram(tree, ONE_OPERATION.context).catch((error) => {
    if (!/No matching export/.test(error.message)) throw error;
    return undefined;
  });
  if (!result) {
    shape = 'client';
    result = await bundleProgram(tree, ONE_OPERATION.client);
  }
  const code = result.outputFiles[0].contents;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { shape, minified: code.length, brotli };
}

function sizes(tree) {
  const size = (...path) => statSync(join(tree, ...path)).size;
  return {
    'spec JSON': size('spec', 'dist', 'openapi.json'),
    'types .d.ts': size('packages', 'types', 'index.d.ts'),
    'operations.ts': size('packages', 'client', 'src', 'generated', 'operations.ts'),
    'docs HTML': size('docs', 'index.html'),
  };
}

async function measure(large) {
  const tree = specTree(large);
  try {
    const runs = Array.from({ length: rounds }, () => buildSteps(tree));
    const times = Object.fromEntries(Object.keys(runs[0]).map((step) => [step, median(runs.map((run) => run[step]))]));
    const operations = Object.values(
      JSON.parse(readFileSync(join(tree, 'spec', 'dist', 'openapi.json'), 'utf8')).paths,
    ).flatMap((item) => Object.values(item).filter((operation) => operation?.operationId)).length;
    return { operations, times, sizes: sizes(tree), bundle: await oneOperationBundle(tree) };
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const results = [await measure(false), await measure(true)];
console.log(
  `Pipeline at ${results.map((r) => r.operations).join(' and ')} operations: Node ${process.version}, ${rounds} rounds, medians.\n`,
);
printTable(
  ['step', ...results.map((r) => `${r.operations} ops`)],
  Object.keys(results[0].times).map((step) => [step, ...results.map((r) => `${(r.times[step] / 1000).toFixed(2)} s`)]),
);
console.log('');
printTable(
  ['output', ...results.map((r) => `${r.operations} ops`)],
  Object.keys(results[0].sizes).map((file) => [file, ...results.map((r) => kib(r.sizes[file]))]),
);
const [small, big] = results;
console.log(
  `\nOne-operation browser bundle (esbuild --minify, brotli 11), shape measured: ${big.bundle.shape === 'context' ? 'readCoreV1NamespacedServiceStatus(createCciContext(…))' : 'createCciClient(…).readCoreV1NamespacedServiceStatus (createCciContext not exported yet)'}\n`,
);
printTable(
  ['', ...results.map((r) => `${r.operations} ops`), 'growth'],
  [
    [
      'minified',
      kib(small.bundle.minified),
      kib(big.bundle.minified),
      `${big.bundle.minified - small.bundle.minified} B`,
    ],
    ['brotli', `${small.bundle.brotli} B`, `${big.bundle.brotli} B`, `${big.bundle.brotli - small.bundle.brotli} B`],
  ],
);
