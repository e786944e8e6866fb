// `npm run check`: the fast checks, in under a minute on a 2-core machine from a fresh clone — code
// lint and format (Biome), unused files, exports and dependencies (knip), spec lint,
// generated-files drift, spec fidelity, typecheck, the client's bundle-size budget. The steps run
// side by side, as many at once as the machine has cores, the longest first; each prints one line
// on success and its full output on failure.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' };
const turbo = join(root, 'node_modules', 'turbo', 'bin', 'turbo');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const sizeLimit = join(root, 'node_modules', 'size-limit', 'bin.js');
const biome = join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
const knip = join(root, 'node_modules', 'knip', 'bin', 'knip.js');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * The builds two steps measure (the bundle size, the public API reports): run once, by the first of
 * them to start (turbo restores them from its cache when nothing changed).
 */
const BUILDS = {
  name: 'client and mock-server builds',
  command: [
    turbo,
    'run',
    'build',
    '--filter=@cci-openapi/client',
    '--filter=@cci-openapi/mock-server',
    '--output-logs=errors-only',
  ],
};

const STEPS = [
  // Lint and formatting of the code and JSON (biome.json); `npm run format` rewrites what differs.
  { name: 'code lint and format (biome check)', command: [biome, 'check', '--error-on-warnings', '--colors=off'] },
  { name: 'unused files, exports and dependencies (knip)', command: [knip, '--no-progress', '--no-config-hints'] },
  { name: 'spec lint (redocly, recommended-strict)', command: [turbo, 'run', 'lint', '--output-logs=errors-only'] },
  { name: 'generated files in sync with spec/', command: [join(root, 'scripts', 'check-drift.mjs')] },
  // `echo`: lines of the output shown on success too — here the one figure per source.
  {
    name: 'spec fidelity to every source document (spec/source/*)',
    command: [vitest, 'run', '--root', join(root, 'spec'), 'test/fidelity.test.ts'],
    echo: /^fidelity .*$/gm,
  },
  // One program over every package (tsconfig.check.json: nothing has to be built first), and the
  // generated declarations of @cci-openapi/types checked on their own (skipLibCheck off).
  { name: 'typecheck (tsconfig.check.json)', slow: true, command: [tsc, '-p', join(root, 'tsconfig.check.json')] },
  { name: 'generated types declarations', command: [tsc, '-p', join(root, 'packages', 'types', 'tsconfig.json')] },
  // The budget is measured on the built client.
  {
    name: 'client bundle size budget (size-limit, packages/client/.size-limit.json)',
    slow: true,
    after: BUILDS,
    command: [sizeLimit],
    cwd: join(root, 'packages', 'client'),
  },
  // Each published package's public API against its checked-in report (packages/*/api/*.api.md),
  // from the built declarations.
  {
    name: 'public API reports up to date (api-extractor; `npm run api -- --update` rewrites them)',
    after: BUILDS,
    command: [join(root, 'scripts', 'api-report.mjs'), '--no-build'],
  },
];

/** Runs one command to its end; resolves with its exit status and output (never rejects). */
function run(command, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, command, { cwd: cwd ?? root, env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ status: 1, output: `${output}${error.message}\n` }));
    child.on('close', (status) => resolve({ status, output }));
  });
}

const started = new Map();
/** Runs a command other steps share once, however many of them wait for it. */
function once(shared) {
  if (!started.has(shared)) started.set(shared, run(shared.command, root));
  return started.get(shared);
}

/** A step, and the step it needs first when it has one (the size budget needs the build). */
async function runStep(step) {
  const started = performance.now();
  const first = step.after ? await once(step.after) : { status: 0, output: '' };
  const result = first.status === 0 ? await run(step.command, step.cwd) : first;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    const name = first.status === 0 ? step.name : `${step.after.name}, so ${step.name}`;
    console.log(`FAIL  ${name} (${seconds}s)\n${result.output}`);
    return false;
  }
  console.log(`ok    ${step.name} (${seconds}s)`);
  // vitest colours its output even with FORCE_COLOR=0.
  const echoed = step.echo ? (stripVTControlCharacters(result.output).match(step.echo) ?? []) : [];
  for (const line of echoed) console.log(`        ${line}`);
  return true;
}

// The longest steps first (the typecheck, the build), so they overlap the short ones.
const queue = [...STEPS].sort((a, b) => (b.slow ? 1 : 0) - (a.slow ? 1 : 0));
let failed = 0;
const worker = async () => {
  for (let step = queue.shift(); step !== undefined; step = queue.shift()) if (!(await runStep(step))) failed++;
};
await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
process.exit(failed === 0 ? 0 : 1);
