// `npm run check`: the fast checks, in well under a minute — code lint and format (Biome), unused
// files, exports and dependencies (knip), spec lint, generated-files drift, spec fidelity,
// typecheck, the client's bundle-size budget. Each step prints one line on success
// and its full output on failure.
import { spawnSync } from 'node:child_process';
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
  { name: 'typecheck', command: [turbo, 'run', 'typecheck', '--output-logs=errors-only'] },
  // The budget is measured on the built client (turbo restores it from cache when nothing changed).
  {
    name: 'client build',
    command: [turbo, 'run', 'build', '--filter=@cci-openapi/client', '--output-logs=errors-only'],
  },
  {
    name: 'client bundle size budget (size-limit, packages/client/.size-limit.json)',
    command: [sizeLimit],
    cwd: join(root, 'packages', 'client'),
  },
  // Each published package's public API against its checked-in report (packages/*/api/*.api.md),
  // from the built declarations (turbo restores the client's and the mock's builds from cache).
  {
    name: 'public API reports up to date (api-extractor; `npm run api -- --update` rewrites them)',
    command: [join(root, 'scripts', 'api-report.mjs')],
  },
];

let failed = 0;
for (const step of STEPS) {
  const started = performance.now();
  const result = spawnSync(process.execPath, step.command, { cwd: step.cwd ?? root, env, encoding: 'utf8' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    console.log(`ok    ${step.name} (${seconds}s)`);
    // vitest colours its output even with FORCE_COLOR=0.
    const echoed = step.echo ? (stripVTControlCharacters(result.stdout).match(step.echo) ?? []) : [];
    for (const line of echoed) console.log(`        ${line}`);
  } else {
    failed++;
    console.log(`FAIL  ${step.name} (${seconds}s)\n${result.stdout}${result.stderr}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
