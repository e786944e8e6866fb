// The bundled spec: where it lives, how it is made, how it is read.
//
// Two copies of the same bundle exist: spec/dist/openapi.json (what `bundle-spec` writes, read by the
// generators) and @cci-openapi/types/openapi.json (what the types package ships, read at run time by
// the mock server and by tests of the packages). Every later step reads a bundle, never the split files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this package is packages/spec-kit, private to the monorepo). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** spec/dist/openapi.json of a repository root (default: this one). @param {string} [root] */
export const specDistPath = (root = repoRoot) => join(root, 'spec', 'dist', 'openapi.json');

/**
 * The bundle the types package ships. `from` is the file or directory whose node_modules resolution
 * applies (default: this package, which finds the workspace's @cci-openapi/types).
 * @param {string} [from]
 */
export function typesBundlePath(from = fileURLToPath(import.meta.url)) {
  return createRequire(from).resolve('@cci-openapi/types/openapi.json');
}

/** Parses one bundle file. @param {string} path @returns {any} */
export function readSpec(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `spec bundle ${path} cannot be read (${/** @type {Error} */ (error).message}); run \`npm run build\` first`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`spec bundle ${path} is not JSON: ${/** @type {Error} */ (error).message}`);
  }
}

/** @type {Map<string, any>} */
const cache = new Map();

/**
 * The bundled spec, parsed once per process and path: `"types"` (default) reads the types package's
 * copy, `"dist"` reads spec/dist/openapi.json, any other string is a file path. The same object is
 * returned on each call — treat it as read-only (structuredClone it to change it).
 * @param {'types' | 'dist' | string} [which]
 */
export function loadBundledSpec(which = 'types') {
  const path = which === 'types' ? typesBundlePath() : which === 'dist' ? specDistPath() : resolve(which);
  let spec = cache.get(path);
  if (!spec) {
    spec = readSpec(path);
    cache.set(path, spec);
  }
  return spec;
}

/**
 * Bundles the split spec of `root` (its redocly.yaml names the API `cci@v1`) with Redocly into
 * `outDir`/openapi.yaml and openapi.json (or only the `formats` asked for).
 * @param {{ root?: string, outDir?: string, formats?: ('yaml' | 'json')[] }} [options]
 * @returns {string} the path of openapi.json
 */
export function bundleSpec({ root = repoRoot, outDir = join(root, 'spec', 'dist'), formats = ['yaml', 'json'] } = {}) {
  mkdirSync(outDir, { recursive: true });
  const redocly = createRequire(join(repoRoot, 'package.json')).resolve('@redocly/cli/bin/cli.js');
  for (const ext of formats) {
    try {
      execFileSync(
        process.execPath,
        [
          redocly,
          'bundle',
          'cci@v1',
          '--config',
          join(root, 'redocly.yaml'),
          '--output',
          join(outDir, `openapi.${ext}`),
        ],
        {
          cwd: root,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
    } catch (error) {
      const stderr = String(/** @type {any} */ (error).stderr ?? '');
      throw new Error(`redocly bundle failed for ${root}: ${stderr.trim() || /** @type {Error} */ (error).message}`);
    }
  }
  return join(outDir, 'openapi.json');
}

/**
 * A fresh bundle of `root`'s spec, made in a scratch directory and parsed — never a stale
 * spec/dist. For tests that must see the split files as they are now.
 * @param {{ root?: string }} [options]
 */
export function bundleFresh({ root = repoRoot } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'cci-openapi-bundle-'));
  try {
    return readSpec(bundleSpec({ root, outDir: scratch, formats: ['json'] }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
