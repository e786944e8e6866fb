// The public API changes between base and working tree, per published entry, read from the API
// reports (packages/*/api/*.api.md, written by `npm run api -- --update`): which exports were added,
// removed or changed. The reports are compared as checked in; `npm run check` fails while one is
// stale, so in a tree that passes the check they are the API the built packages have.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages, REPORT_FOLDER } from './api-entries.mjs';

const REPORT_PATH = new RegExp(`^packages/[^/]+/${REPORT_FOLDER}/[^/]+\\.api\\.md$`);
const DECLARATION =
  /^(?:export )?(?:declare )?(?:abstract )?(?:default )?(?:class|interface|type|const|let|var|function|enum|namespace) ([\w$]+)/;

/** @returns {Map<string, string>} path → text of every API report in a commit */
function reportsAtCommit(repo, commit) {
  const git = (args) => spawnSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const listed = git(['ls-tree', '-r', '--name-only', commit, '--', 'packages']);
  const paths = listed.status === 0 ? listed.stdout.split('\n').filter((path) => REPORT_PATH.test(path)) : [];
  return new Map(paths.map((path) => [path, git(['show', `${commit}:${path}`]).stdout]));
}

/** @returns {Map<string, string>} path → text of every API report in the working tree */
function reportsInTree(root) {
  const reports = new Map();
  const packagesDir = join(root, 'packages');
  if (!existsSync(packagesDir)) return reports;
  for (const dir of readdirSync(packagesDir)) {
    const folder = join(packagesDir, dir, REPORT_FOLDER);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.api.md')))
      reports.set(`packages/${dir}/${REPORT_FOLDER}/${file}`, readFileSync(join(folder, file), 'utf8'));
  }
  return reports;
}

/**
 * The declarations of a report by name: `createCciClient` → its text without comments (a doc
 * comment added is no API change). Re-exports read `Service (from '@cci-openapi/types')`, types a
 * user meets but cannot import `X (not exported)`, a bin `bin cci-svc`. Overloads share one entry.
 * @returns {Map<string, string>}
 */
function reportDeclarations(report) {
  const code = /```ts\n([\s\S]*?)```/.exec(report.replace(/\r\n/g, '\n'))?.[1] ?? '';
  const importedFrom = new Map(
    [...code.matchAll(/^import \{ ([\w$]+)(?: as [\w$]+)? \} from '([^']+)';$/gm)].map((m) => [m[1], m[2]]),
  );
  const declarations = new Map();
  const add = (name, text) => declarations.set(name, [declarations.get(name), text].filter(Boolean).join('\n'));
  for (const block of code.split(/\n{2,}/)) {
    for (const bin of block.matchAll(/^\/\/ bin (\S+): (.*)$/gm)) add(`bin ${bin[1]}`, bin[2]);
    const text = block
      .split('\n')
      .filter((line) => !/^\s*\/\//.test(line))
      .join('\n')
      .trim();
    const reexport = /^export \{ ([\w$]+) \}$/.exec(text);
    if (reexport) add(`${reexport[1]} (from '${importedFrom.get(reexport[1]) ?? '?'}')`, text);
    const declared = DECLARATION.exec(text);
    if (declared) add(text.startsWith('export ') ? declared[1] : `${declared[1]} (not exported)`, text);
  }
  return declarations;
}

/** `packages/client/api/client-node.api.md` → `@cci-openapi/client/node`, from the working tree's manifests. */
function entryLabels(root) {
  const labels = new Map();
  try {
    for (const pkg of publishedPackages(root)) {
      for (const entry of pkg.entries)
        labels.set(entry.report, entry.subpath === '.' ? pkg.name : `${pkg.name}${entry.subpath.slice(1)}`);
      labels.set(`${pkg.dir}/${REPORT_FOLDER}/${pkg.name.replace(/^@[^/]+\//, '')}.api.md`, pkg.name);
    }
  } catch {
    // no readable manifests: the report's own header names the package
  }
  return labels;
}

const headerName = (report) => /^## API Report File for "([^"]+)"/m.exec(report ?? '')?.[1];

/**
 * @typedef {{ report: string, label: string, status: 'added' | 'removed' | 'changed' | 'unchanged',
 *   added: string[], removed: string[], changed: { name: string, base: string, head: string }[],
 *   base?: string, head?: string }} EntryApiChange
 * @returns {{ baseHasReports: boolean, entries: EntryApiChange[] }}
 */
export function diffApiReports(baseReports, headReports, root) {
  const labels = entryLabels(root);
  const paths = [...new Set([...baseReports.keys(), ...headReports.keys()])].sort();
  const entries = paths.map((report) => {
    const [base, head] = [baseReports.get(report), headReports.get(report)];
    const [before, after] = [reportDeclarations(base ?? ''), reportDeclarations(head ?? '')];
    const file = report.split('/').pop();
    const label = labels.get(report) ?? `${headerName(head) ?? headerName(base) ?? '?'} (${file})`;
    const added = [...after.keys()].filter((name) => !before.has(name));
    const removed = [...before.keys()].filter((name) => !after.has(name));
    const changed = [...after]
      .filter(([name, text]) => before.has(name) && before.get(name) !== text)
      .map(([name, text]) => ({ name, base: before.get(name), head: text }));
    const status =
      base === undefined
        ? 'added'
        : head === undefined
          ? 'removed'
          : added.length + removed.length + changed.length > 0
            ? 'changed'
            : 'unchanged';
    return { report, label, status, added, removed, changed, base, head };
  });
  return { baseHasReports: baseReports.size > 0, entries };
}

/** The public API changes of the working tree against a commit. */
export function apiChanges({ repo, commit }) {
  return diffApiReports(reportsAtCommit(repo, commit), reportsInTree(repo), repo);
}
