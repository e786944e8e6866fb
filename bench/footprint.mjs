// Cold start and footprint: time and peak memory to import a client and make its first call
// (each run in a fresh Node process, candidates interleaved), installed size of each client with
// its dependency closure, and the minified+gzipped browser bundle of our client entry.
//
//   node bench/footprint.mjs [--rounds 7]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { exampleService } from './lib/example-service.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { median, printTable } from './lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const rounds = Number(values.rounds);

// The server runs in its own process so that it costs the measured processes nothing.
const server = await startServerProcess(exampleService());
const baseUrl = server.url;

// Each candidate: code run as an ES module in a fresh process; it prints {importMs, firstCallMs, maxRssKiB}.
const PATH = '/api/v1/namespaces/{namespace}/services/{name}/status';
const CANDIDATES = {
  'node alone (baseline)': `const t0 = performance.now(); const t1 = performance.now();`,
  'plain fetch': `const t0 = performance.now(); const t1 = performance.now();
    const r = await fetch('${baseUrl}/api/v1/namespaces/namespace-test/services/redis/status', { headers: { 'X-Auth-Token': 't' } }); await r.json();`,
  'openapi-fetch': `const t0 = performance.now(); const { default: createClient } = await import('openapi-fetch'); const t1 = performance.now();
    const c = createClient({ baseUrl: '${baseUrl}', headers: { 'X-Auth-Token': 't' } });
    await c.GET('${PATH}', { params: { path: { namespace: 'namespace-test', name: 'redis' } } });`,
  '@cci-openapi/client': `const t0 = performance.now(); const { createCciClient } = await import('@cci-openapi/client'); const t1 = performance.now();
    await createCciClient({ baseUrl: '${baseUrl}', token: 't' }).readServiceStatus({ namespace: 'namespace-test', name: 'redis' });`,
  '@kubernetes/client-node 1.4': `const t0 = performance.now(); const k8s = await import('@kubernetes/client-node'); const t1 = performance.now();
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: 'c', server: '${baseUrl}', skipTLSVerify: true }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    await kc.makeApiClient(k8s.CoreV1Api).readNamespacedServiceStatus({ namespace: 'namespace-test', name: 'redis' });`,
};
const epilogue = `const t2 = performance.now();
  console.log(JSON.stringify({ startupMs: t0, importMs: t1 - t0, firstCallMs: t2 - t1, totalMs: t2, maxRssKiB: process.resourceUsage().maxRSS }));`;

function runCandidate(code) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', `${code}\n${epilogue}`], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const samples = Object.fromEntries(Object.keys(CANDIDATES).map((name) => [name, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, code] of Object.entries(CANDIDATES)) samples[name].push(runCandidate(code));
  }
} finally {
  await server.close();
}

console.log(`Cold start: fresh Node ${process.version} process per run, ${rounds} interleaved rounds, medians.\n`);
const coldRows = Object.entries(samples).map(([name, runs]) => {
  const m = (key) => median(runs.map((run) => run[key]));
  return [
    name,
    `${m('importMs').toFixed(1)} ms`,
    `${m('firstCallMs').toFixed(1)} ms`,
    `${m('totalMs').toFixed(0)} ms`,
    `${(m('maxRssKiB') / 1024).toFixed(1)} MiB`,
  ];
});
printTable(['candidate', 'import', 'first call', 'process total', 'peak RSS'], coldRows);

// Installed size: the package and the closure of its runtime dependencies, as npm lays them out.
const require = createRequire(join(root, 'package.json'));
function packageDir(name, from) {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${name}`);
    dir = parent;
  }
}
function directorySize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue; // dependencies are counted once, by the closure walk
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directorySize(path) : statSync(path).size;
  }
  return total;
}
function closureSize(name) {
  const seen = new Map();
  const visit = (dependency, from) => {
    const dir = packageDir(dependency, from);
    if (seen.has(dir)) return;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    seen.set(
      dir,
      dir.includes(`${join('node_modules', '@cci-openapi')}`) ? publishedSize(dir, manifest) : directorySize(dir),
    );
    for (const child of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      try {
        visit(child, dir);
      } catch {
        // an optional dependency for another platform
      }
    }
  };
  visit(name, root);
  return { packages: seen.size, bytes: [...seen.values()].reduce((sum, size) => sum + size, 0) };
}
// Our workspace packages: count only what `npm publish` would ship (the `files` list).
function publishedSize(dir, manifest) {
  const files = [...(manifest.files ?? []), 'package.json', 'README.md'];
  return files
    .map((file) => join(dir, file))
    .filter((path) => existsSync(path))
    .reduce((sum, path) => sum + (statSync(path).isDirectory() ? directorySize(path) : statSync(path).size), 0);
}
console.log('\nInstalled size (package + runtime dependency closure):\n');
printTable(
  ['package', 'packages', 'size'],
  ['@cci-openapi/client', 'openapi-fetch', '@kubernetes/client-node'].map((name) => {
    const { packages, bytes } = closureSize(name);
    return [name, packages, `${(bytes / 1024 / 1024).toFixed(2)} MiB`];
  }),
);

// Browser bundle: our client's browser entry bundled, minified and gzipped with esbuild.
const esbuild = require('esbuild');
const bundled = await esbuild.build({
  entryPoints: [join(root, 'packages', 'client', 'dist', 'index.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  logLevel: 'silent',
});
const code = bundled.outputFiles[0].contents;
console.log(
  `\nBrowser bundle of @cci-openapi/client (esbuild, minified): ${(code.length / 1024).toFixed(1)} KiB, gzipped ${(gzipSync(code).length / 1024).toFixed(2)} KiB`,
);
