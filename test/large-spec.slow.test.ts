// The pipeline at 157 operations (issue 19, point 3): a copy of the repository's spec side gains the
// core/v1 operations of Kubernetes v1.19 (scripts/import-upstream.mjs, from upstream's own swagger
// document; watch/ and proxy paths left out), and the real pipeline runs on it: bundle, lint (the
// repository's rules but one, RELAXED_LINT_RULES), types, the client's generated operations and a
// type-check of a caller of every operation, the docs page (opened in Chromium), the review kit
// against the unchanged spec; and the mock, started on the enlarged spec, answers every operation.
// What is expected is read from the spec (operations.ts), not listed here.
//
// Slow (about two minutes on a quiet 2-core machine): it runs in CI and with CCI_SLOW_TESTS=1.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEFAULT_TOKEN, type MockServer, startMockServer } from '@cci-openapi/mock-server';
import { readSpec } from '@cci-openapi/spec-kit';
import { openOperation, type OpenedOperation } from './lib/large-spec/browser.js';
import { operationsOf, type SpecOperation } from './lib/large-spec/operations.js';
import { judge, probe } from './lib/large-spec/probe.js';
import { buildLargeTree, type LargeTree, RELAXED_LINT_RULES, UPSTREAM_SWAGGER } from './lib/large-spec/tree.js';
import { typedUse } from './lib/large-spec/typed-use.js';
import { node, ok, repoRoot, type RunResult, writeTypeCheckProject } from './lib/tree.js';

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const screenshot = join(import.meta.dirname, 'test-results', 'large-spec-operation.png');

/** What the issue counts: the core/v1 operations of the document without watch/ and proxy paths. */
const EXPECTED_OPERATIONS = 157;

/** The upstream operationIds the import must bring, read from the document itself. */
function upstreamOperationIds(): string[] {
  const swagger = JSON.parse(gunzipSync(readFileSync(UPSTREAM_SWAGGER)).toString('utf8'));
  return Object.entries<any>(swagger.paths)
    .filter(
      ([path]) => path.startsWith('/api/v1/') && !path.split('/').some((part) => ['watch', 'proxy'].includes(part)),
    )
    .flatMap(([, item]) =>
      Object.values<any>(item).flatMap((operation) => (operation?.operationId ? [operation.operationId] : [])),
    );
}

const REPOSITORY_OUTPUTS = [
  'spec/openapi.yaml',
  'spec/dist/openapi.json',
  'packages/types/index.d.ts',
  'packages/client/src/generated/operations.ts',
];
const fingerprint = () =>
  REPOSITORY_OUTPUTS.map((file) => {
    const path = join(repoRoot, file);
    return `${file} ${existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent'}`;
  });

let before: string[];
let large: LargeTree;
let bundle: any;
let operations: SpecOperation[];
let imported: SpecOperation[];
let results: { typecheck: RunResult; docs: RunResult; review: RunResult };

beforeAll(async () => {
  before = fingerprint();
  large = await buildLargeTree();
  bundle = readSpec(large.bundlePath);
  operations = operationsOf(bundle);
  imported = operations.filter((operation) => !large.handWrittenIds.has(operation.operationId));

  writeFileSync(join(large.tree, 'typed-use.ts'), typedUse(operations));
  writeTypeCheckProject(large.tree, [join(large.tree, 'typed-use.ts')]);
  const [typecheck, docs, review] = await Promise.all([
    node([tsc, '-p', join(large.tree, 'tsconfig.json')], large.tree),
    node(
      [
        join(repoRoot, 'docs', 'build-docs.mjs'),
        '--spec',
        large.bundlePath,
        '--out',
        join(large.tree, 'docs', 'index.html'),
      ],
      large.tree,
    ),
    node(
      [join(large.tree, 'scripts', 'review.mjs'), '--base', 'HEAD', '--out', join(large.tree, 'review.md')],
      large.tree,
    ),
  ]);
  results = { typecheck, docs, review };
});

afterAll(() => {
  if (large?.tree) rmSync(large.tree, { recursive: true, force: true });
});

describe('importing the upstream core/v1 operations into a copy of spec/', () => {
  it(`brings all ${EXPECTED_OPERATIONS}: the hand-written ones kept byte for byte, the rest added`, () => {
    const upstream = upstreamOperationIds();
    expect(upstream).toHaveLength(EXPECTED_OPERATIONS);
    expect(operations.map((operation) => operation.operationId).sort()).toEqual([...upstream].sort());
    const kept = operations.length - imported.length;
    expect(large.imported).toMatch(
      new RegExp(
        `^import-upstream: ${EXPECTED_OPERATIONS} core/v1 operations \\(left out: [1-9]\\d* watch/, [1-9]\\d* proxy\\); ${kept} already in the spec, kept as they are; ${imported.length} imported`,
      ),
    );
    for (const [file, text] of large.handWritten)
      expect(readFileSync(join(large.tree, 'spec', file), 'utf8'), file).toBe(text);
  });

  it('imports nothing the second time, and rewrites no file', async () => {
    const openapi = join(large.tree, 'spec', 'openapi.yaml');
    const text = readFileSync(openapi, 'utf8');
    const again = ok(
      'import-upstream again',
      await node(
        [
          join(large.tree, 'scripts', 'import-upstream.mjs'),
          '--out',
          join(large.tree, 'spec'),
          '--source',
          UPSTREAM_SWAGGER,
        ],
        large.tree,
      ),
    );
    expect(again.stdout).toContain(
      `; ${EXPECTED_OPERATIONS} already in the spec, kept as they are; 0 imported, 0 files written`,
    );
    expect(readFileSync(openapi, 'utf8')).toBe(text);
  });

  it('adds a missing method to a path the spec has, leaving the file around it as it was', async () => {
    // A copy of spec/ whose Service path lacks its DELETE: the importer adds it, and only it.
    const partial = mkdtempSync(join(tmpdir(), 'cci-openapi-partial-'));
    try {
      cpSync(join(repoRoot, 'spec'), partial, {
        recursive: true,
        filter: (path) => !/\/(node_modules|dist)(\/|$)/.test(path),
      });
      const file = join(partial, 'paths', 'api_v1_namespaces_{namespace}_services_{name}.yaml');
      const original = readFileSync(file, 'utf8');
      const kept = original.slice(0, original.indexOf('\ndelete:') + 1);
      writeFileSync(file, kept);
      const result = ok(
        'import-upstream (partial)',
        await node(
          [join(repoRoot, 'scripts', 'import-upstream.mjs'), '--out', partial, '--source', UPSTREAM_SWAGGER],
          partial,
        ),
      );
      expect(result.stdout).toContain(
        `; ${large.handWrittenIds.size - 1} already in the spec, kept as they are; ${EXPECTED_OPERATIONS - large.handWrittenIds.size + 1} imported`,
      );
      const after = readFileSync(file, 'utf8');
      expect(after.startsWith(kept)).toBe(true);
      expect(YAML.parse(after).delete).toMatchObject({
        operationId: 'deleteCoreV1NamespacedService',
        tags: ['Services'],
      });
      expect(after).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  });

  it(`lints with the repository's rules but ${Object.keys(RELAXED_LINT_RULES).join(', ')} (in the review)`, () => {
    const report = readFileSync(join(large.tree, 'review.md'), 'utf8');
    expect(report).toContain('## Lint (redocly lint, repository rules)\n\n✅ 0 errors, 0 warnings');
  });
});

describe('the types and the client generated from the enlarged spec', () => {
  it('have one typed function per operation', async () => {
    const client = await import(join(large.clientDir, 'src', 'index.ts'));
    expect(Object.keys(client.OPERATIONS).sort()).toEqual(operations.map((operation) => operation.operationId).sort());
    const generated = readFileSync(join(large.clientDir, 'src', 'generated', 'operations.ts'), 'utf8');
    for (const { operationId, method, path } of operations)
      expect(generated).toContain(
        `const ${operationId}Descriptor = { id: '${operationId}', method: '${method.toUpperCase()}', path: '${path}'`,
      );
  });

  it('type-check a caller of every operation, and reject a missing or unknown parameter and a list taken for its item', () => {
    expect(results.typecheck.stdout + results.typecheck.stderr).toBe('');
    expect(results.typecheck.code).toBe(0);
  });
});

describe('the mock started on the enlarged spec (profile kube)', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ port: 0, spec: bundle, profile: 'kube' });
  });
  afterAll(async () => {
    await mock?.close();
  });

  /** Every operation of `role`, asked once with Accept its own first media type and once with `*∕*`. */
  async function problemsOf(role: SpecOperation['role']) {
    const problems: Record<string, string[]> = {};
    const ofRole = operations.filter((operation) => operation.role === role);
    expect(ofRole.length).toBeGreaterThan(0);
    for (const operation of ofRole) {
      for (const accept of [operation.successMediaTypes[0] ?? 'application/json', '*/*']) {
        const found = judge(operation, accept, await probe(mock.url, operation, accept, DEFAULT_TOKEN));
        if (found.length) problems[`${operation.operationId} (Accept: ${accept})`] = found;
      }
    }
    return problems;
  }

  it('answers every list with 200 and the list', async () => {
    expect(await problemsOf('list')).toEqual({});
  });

  it('answers every named read with 200 or 404', async () => {
    expect(await problemsOf('read')).toEqual({});
  });

  it('answers every write with a code it declares (405 where the mock does not write that resource), never a 5xx', async () => {
    expect(await problemsOf('write')).toEqual({});
  });

  it('answers the */* connect operations (exec, attach, port-forward) in their media type or with a Status', async () => {
    expect(await problemsOf('connect')).toEqual({});
  });
});

describe('the docs page built from the enlarged spec', () => {
  let opened: OpenedOperation;
  let target: SpecOperation & { tag: string; summary: string };

  beforeAll(async () => {
    expect(results.docs.code, results.docs.stderr).toBe(0);
    // The first imported named read of a resource the hand-written spec does not have.
    const read = imported.find((operation) => operation.role === 'read')!;
    const operation = bundle.paths[read.path][read.method];
    target = { ...read, tag: operation.tags[0], summary: operation.summary };
    mkdirSync(join(import.meta.dirname, 'test-results'), { recursive: true });
    const sidebar = [...bundle.tags.map((tag: any) => tag.name), 'core/v1'];
    opened = await openOperation(join(large.tree, 'docs', 'index.html'), target, sidebar, screenshot);
  });

  it('lists every operation in the page', () => {
    const html = readFileSync(join(large.tree, 'docs', 'index.html'), 'utf8');
    for (const { operationId, path } of operations) {
      expect(html, operationId).toContain(
        bundle.paths[path][operations.find((o) => o.operationId === operationId)!.method].summary,
      );
      expect(html, operationId).toContain(path);
    }
  });

  it('groups the sidebar by resource, and Chromium opens an imported operation from its group', () => {
    expect(opened.missingFromSidebar).toEqual([]);
    expect(opened.heading).toBe(target.summary);
    expect(opened.sectionText).toContain(target.path);
    expect(opened.remoteRequests).toEqual([]);
  });
});

describe('the review of the enlarged spec against the unchanged one', () => {
  it('rates every addition non-breaking', () => {
    expect(results.review.code, results.review.stderr).toBe(0);
    expect(results.review.stderr).toMatch(/review: 0 breaking, [1-9]\d* non-breaking change\(s\)/);
    const report = readFileSync(join(large.tree, 'review.md'), 'utf8');
    expect(report).toContain('✅ **No breaking API change.**');
    expect(report).toContain('### Breaking (major): 0\n\n_none_');
    // One change at least for each new path (the report lists the first ones and counts the rest).
    const nonBreaking = Number(/### Non-breaking \(minor \/ patch\): (\d+)\n/.exec(report)?.[1]);
    const newPaths = new Set(
      imported.map((operation) => operation.path).filter((path) => !large.handWrittenPaths.has(path)),
    );
    expect(newPaths.size).toBeGreaterThan(0);
    expect(nonBreaking).toBeGreaterThanOrEqual(newPaths.size);
  });
});

it('leaves the repository as it was: the pipeline wrote into the copy only', () => {
  expect(fingerprint()).toEqual(before);
});
