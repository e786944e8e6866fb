// Runs the repository's own tools for the review kit: bundle-spec, generate-types, redocly lint and
// redocly diff — the same versions `npm run build` and `npm run check` use.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const env = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

/**
 * Bundles the spec of a tree (its redocly.yaml + spec/) with the working tree's bundle-spec.mjs, so
 * base and head go through the same bundler. A tree other than the repository borrows its node_modules.
 */
export function bundleTree({ repoRoot, tree, outDir }) {
  if (!existsSync(join(tree, 'redocly.yaml')) || !existsSync(join(tree, 'spec', 'openapi.yaml'))) {
    throw new Error(`${tree} has no redocly.yaml + spec/openapi.yaml to bundle`);
  }
  let script = join(repoRoot, 'scripts', 'bundle-spec.mjs');
  if (tree !== repoRoot) {
    const copy = join(tree, 'scripts', 'bundle-spec.mjs');
    mkdirSync(join(tree, 'scripts'), { recursive: true });
    copyFileSync(script, copy);
    if (!existsSync(join(tree, 'node_modules')))
      symlinkSync(join(repoRoot, 'node_modules'), join(tree, 'node_modules'), 'dir');
    script = copy;
  }
  const result = run(process.execPath, [script, outDir], tree);
  if (result.status !== 0) throw new Error(`bundling the spec in ${tree} failed:\n${result.stderr}`);
  return join(outDir, 'openapi.json');
}

export function generateTypes({ repoRoot, bundle, outDir }) {
  const result = run(
    process.execPath,
    [join(repoRoot, 'scripts', 'generate-types.mjs'), '--spec', bundle, '--out', outDir],
    repoRoot,
  );
  if (result.status !== 0) throw new Error(`generate-types failed for ${bundle}:\n${result.stderr}`);
  return readFileSync(join(outDir, 'index.d.ts'), 'utf8');
}

const redocly = (repoRoot) => join(repoRoot, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

/** redocly diff, JSON report. `--fail-on none`: the review kit decides what fails. */
export function redoclyDiff({ repoRoot, base, head }) {
  const result = run(
    process.execPath,
    [
      redocly(repoRoot),
      'diff',
      base,
      head,
      '--config',
      join(repoRoot, 'scripts', 'lib', 'review-diff.redocly.yaml'),
      '--format',
      'json',
      '--fail-on',
      'none',
    ],
    repoRoot,
  );
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`redocly diff gave no JSON report (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

/** redocly lint of the working tree's API, with the repository's rules. */
export function redoclyLint({ repoRoot }) {
  const result = run(
    process.execPath,
    [redocly(repoRoot), 'lint', 'cci@v1', '--config', join(repoRoot, 'redocly.yaml'), '--format', 'json'],
    repoRoot,
  );
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    return {
      errors: 1,
      warnings: 0,
      problems: [`redocly lint did not run: ${result.stderr.trim().split('\n').pop()}`],
    };
  }
  const problems = (report.problems ?? []).map(
    (problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} (${problem.location?.[0]?.pointer ?? ''})`,
  );
  return { errors: report.totals?.errors ?? 0, warnings: report.totals?.warnings ?? 0, problems };
}
