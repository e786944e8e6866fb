// The enlarged tree of the slow test: a copy of the repository's spec side (test/lib/tree.ts) whose
// unchanged spec is committed as the review's base, then the upstream core/v1 operations imported by
// scripts/import-upstream.mjs, bundled, and turned into types and the client's generated operations.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { commitSpecBase, copySpecTree, generateIntoTree, node, ok } from '../tree.js';

/** Kubernetes v1.19's API reference, as upstream publishes it (swagger 2.0, gzipped, unchanged). */
export const UPSTREAM_SWAGGER = join(import.meta.dirname, 'k8s-v1.19-swagger.json.gz');

/**
 * The one repository lint rule the enlarged spec is excused from: upstream's discovery operation
 * (getCoreV1APIResources) lives at `/api/v1/`, with the trailing slash the rule forbids.
 */
export const RELAXED_LINT_RULES = { 'no-path-trailing-slash': 'off' } as const;

export interface LargeTree {
  tree: string;
  bundlePath: string;
  clientDir: string;
  typesDir: string;
  /** The importer's summary line. */
  imported: string;
  /** The hand-written path files, by name, before the import. */
  handWritten: Map<string, string>;
  /** The paths and operationIds of the spec before the import. */
  handWrittenPaths: Set<string>;
  handWrittenIds: Set<string>;
}

/** Relaxes the copy's redocly.yaml (RELAXED_LINT_RULES), before the base commit so both sides share it. */
function relaxLint(tree: string) {
  const file = join(tree, 'redocly.yaml');
  const config = YAML.parse(readFileSync(file, 'utf8'));
  config.rules = { ...config.rules, ...RELAXED_LINT_RULES };
  writeFileSync(file, YAML.stringify(config));
}

/** Builds the tree; every step's failure throws with the step's output. */
export async function buildLargeTree(): Promise<LargeTree> {
  const tree = copySpecTree();
  writeFileSync(join(tree, 'package.json'), '{ "private": true, "type": "module" }\n');
  relaxLint(tree);
  await commitSpecBase(tree);
  const spec = YAML.parse(readFileSync(join(tree, 'spec', 'openapi.yaml'), 'utf8'));
  const handWritten = new Map<string, string>(
    Object.values(spec.paths).map((item: any) => [item.$ref, readFileSync(join(tree, 'spec', item.$ref), 'utf8')]),
  );
  const handWrittenIds = new Set(
    [...handWritten.values()].flatMap((text) =>
      Object.values<any>(YAML.parse(text)).flatMap((operation) =>
        operation?.operationId ? [operation.operationId] : [],
      ),
    ),
  );

  const imported = ok(
    'import-upstream',
    await node(
      [join(tree, 'scripts', 'import-upstream.mjs'), '--out', join(tree, 'spec'), '--source', UPSTREAM_SWAGGER],
      tree,
    ),
  ).stdout.trim();
  const bundlePath = await generateIntoTree(tree);
  const typesDir = join(tree, 'packages', 'types');
  const clientDir = join(tree, 'packages', 'client');
  return {
    tree,
    bundlePath,
    clientDir,
    typesDir,
    imported,
    handWritten,
    handWrittenPaths: new Set(Object.keys(spec.paths)),
    handWrittenIds,
  };
}
