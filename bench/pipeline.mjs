// Codegen pipeline benchmark: a cold `npm run build` (turbo cache bypassed), a warm one (must be a
// full cache hit), and spec → types generation alone. Prints medians; asserts nothing about time.
//
//   node bench/pipeline.mjs [--rounds 3]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readSpec, specDistPath } from '@cci-openapi/spec-kit';
import openapiTS, { astToString } from 'openapi-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', REDOCLY_TELEMETRY: 'off', FORCE_COLOR: '0' };
const turbo = join(root, 'node_modules', 'turbo', 'bin', 'turbo');
const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];

function timeBuild(extraArgs) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [turbo, 'run', 'build', ...extraArgs], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`turbo build failed:\n${result.stdout}${result.stderr}`);
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(result.stdout);
  return { ms, cached: cached ? `${cached[1]}/${cached[2]}` : '?', fullTurbo: /FULL TURBO/.test(result.stdout) };
}

const cold = [];
const warm = [];
for (let round = 0; round < rounds; round++) {
  cold.push(timeBuild(['--force']));
  warm.push(timeBuild([]));
}

const bundle = readSpec(specDistPath(root));
const generation = [];
for (let round = 0; round < Math.max(rounds, 10); round++) {
  const started = performance.now();
  astToString(
    await openapiTS(structuredClone(bundle), {
      rootTypes: true,
      rootTypesNoSchemaPrefix: true,
      rootTypesKeepCasing: true,
      emptyObjectsUnknown: true,
    }),
  );
  generation.push(performance.now() - started);
}

const coldMs = median(cold.map((run) => run.ms));
const warmMs = median(warm.map((run) => run.ms));
console.log(`| step | median | notes |`);
console.log(`| --- | ---: | --- |`);
console.log(`| cold \`turbo run build --force\` | ${coldMs.toFixed(0)} ms | ${rounds} rounds |`);
console.log(
  `| warm \`turbo run build\` | ${warmMs.toFixed(0)} ms | cached ${warm.map((run) => run.cached).join(', ')}; full cache hit: ${warm.every((run) => run.fullTurbo) ? 'yes' : 'NO'} |`,
);
console.log(
  `| spec bundle → types (openapi-typescript, in process) | ${median(generation).toFixed(1)} ms | ${generation.length} rounds |`,
);
console.log(`warm/cold ratio: ${(warmMs / coldMs).toFixed(3)}`);
if (!warm.every((run) => run.fullTurbo)) process.exitCode = 1;
