// What has a public API in this repository, read from the package manifests: every workspace
// package not marked private, each entry of its `exports` that has declarations, and where that
// entry's API report lives (packages/<dir>/api/<name>[-<subpath>].api.md). A package with no typed
// entry (the CLI, a bin) gets a report of its bins, so adding exports to it shows up as a change.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The folder, inside each package, that holds its API reports. */
export const REPORT_FOLDER = 'api';

/**
 * The declaration file an export target gives TypeScript users who `import` it: the `types`
 * condition, under `import` first when the target splits ESM and CommonJS (their .d.ts and .d.cts
 * declare the same API).
 * @returns {string | undefined}
 */
function declarationsOf(target) {
  if (typeof target === 'string') return /\.d\.[cm]?ts$/.test(target) ? target : undefined;
  if (target === null || typeof target !== 'object') return undefined;
  if (typeof target.types === 'string') return target.types;
  for (const condition of ['import', 'node', 'default', 'require']) {
    const found = declarationsOf(target[condition]);
    if (found) return found;
  }
  return undefined;
}

/** `@cci-openapi/client` + `./node` → `client-node`; the main entry is the package's short name. */
function reportName(packageName, subpath) {
  const short = packageName.replace(/^@[^/]+\//, '');
  return subpath === '.' ? short : `${short}-${subpath.replace(/^\.\//, '').replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/**
 * @typedef {{ subpath: string, declarations: string, report: string }} TypedEntry
 * @typedef {{ name: string, dir: string, built: boolean, entries: TypedEntry[], bins: [string, string][] }} PublishedPackage
 * @returns {PublishedPackage[]} the root's workspaces that are published, in the root's order
 */
export function publishedPackages(root) {
  const workspaces = readJson(join(root, 'package.json')).workspaces ?? [];
  const packages = [];
  for (const workspace of workspaces) {
    const manifestPath = join(root, workspace, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = readJson(manifestPath);
    if (manifest.private === true) continue;
    const exportsMap =
      typeof manifest.exports === 'object' && manifest.exports !== null && !Array.isArray(manifest.exports)
        ? manifest.exports
        : manifest.types
          ? { '.': { types: manifest.types } }
          : {};
    const entries = Object.entries(exportsMap)
      .map(([subpath, target]) => ({ subpath, declarations: declarationsOf(target) }))
      .filter((entry) => entry.declarations !== undefined)
      .map((entry) => ({
        ...entry,
        declarations: join(workspace, entry.declarations),
        report: join(workspace, REPORT_FOLDER, `${reportName(manifest.name, entry.subpath)}.api.md`),
      }));
    const bins =
      typeof manifest.bin === 'string'
        ? [[manifest.name.replace(/^@[^/]+\//, ''), manifest.bin]]
        : Object.entries(manifest.bin ?? {});
    packages.push({ name: manifest.name, dir: workspace, built: Boolean(manifest.scripts?.build), entries, bins });
  }
  return packages;
}

/** The workspace packages that are never published: no published declaration may import them. */
export function privatePackageNames(root) {
  const workspaces = readJson(join(root, 'package.json')).workspaces ?? [];
  return workspaces
    .map((workspace) => join(root, workspace, 'package.json'))
    .filter((path) => existsSync(path))
    .map(readJson)
    .filter((manifest) => manifest.private === true && typeof manifest.name === 'string')
    .map((manifest) => manifest.name);
}

/** Where the report of a package with no typed entry goes. */
export const binReportPath = (pkg) => join(pkg.dir, REPORT_FOLDER, `${reportName(pkg.name, '.')}.api.md`);
