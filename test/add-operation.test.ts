// Proof that the next operation is cheap (issue 9, point 8): a copy of spec/ gains one GET operation
// with a new path and a new schema of its own — written only under the copy's spec/ — and the real
// pipeline runs on it: bundle, generate types, generate the client's operations, lint + fidelity (the
// copy's own fidelity test, as `npm run check` runs it), build the docs, and `npm run review` against
// the unchanged spec. Then: the client has a working typed function for it, the mock routes it, the
// docs page lists it and the review rates it a non-breaking addition. Everything runs once, in
// beforeAll, on one temporary tree.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpec } from '@cci-openapi/spec-kit';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { EDITS, KIND, NEW_FILES, OPERATION_ID, PATH, RESOURCE, SOURCE_NAME, SUMMARY } from './lib/new-operation.js';
import { copySpecTree, node, ok, repoRoot, run, writeChanges, type RunResult } from './lib/tree.js';

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');

let tree: string;
let written: string[];
let bundle: any;
let results: { typecheck: RunResult; fidelity: RunResult; docs: RunResult; review: RunResult };

/** A TypeScript user of the new operation, type-checked against the copy's generated client. */
const TYPED_USE = `import { createCciClient, type ${pascal(OPERATION_ID)}Params, type ${pascal(OPERATION_ID)}Result } from '@cci-openapi/client';
import type { ${KIND} } from '@cci-openapi/types';

const client = createCciClient({ baseUrl: 'http://127.0.0.1:1', token: 'mock-token' });
const params: ${pascal(OPERATION_ID)}Params = { namespace: 'ns-a', name: 'x' };
const answer: Promise<${KIND}> = client.${OPERATION_ID}(params);
const result: ${pascal(OPERATION_ID)}Result = await answer;
export const ready: boolean = result.ready;
export const endpoints: number | undefined = result.readyEndpoints;
// @ts-expect-error name is a required path parameter
void client.${OPERATION_ID}({ namespace: 'ns-a' });
// @ts-expect-error the operation has no labelSelector
void client.${OPERATION_ID}({ namespace: 'ns-a', name: 'x', labelSelector: 'a=b' });
// @ts-expect-error ready is a boolean
export const wrong: string = result.ready;
`;

function pascal(id: string) {
  return id[0]!.toUpperCase() + id.slice(1);
}

/**
 * What a pipeline pointed at the wrong root would overwrite: the repository's spec and what is
 * generated from it (not docs/dist, which the docs package may be building beside this test).
 */
const REPOSITORY_OUTPUTS = [
  'spec/openapi.yaml',
  'spec/dist/openapi.json',
  'spec/dist/openapi.yaml',
  'packages/types/index.d.ts',
  'packages/client/src/generated/operations.ts',
];
const fingerprint = () =>
  Object.fromEntries(
    REPOSITORY_OUTPUTS.map((file) => {
      const path = join(repoRoot, file);
      return [file, existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent'];
    }),
  );
let before: Record<string, string>;

beforeAll(async () => {
  before = fingerprint();
  tree = copySpecTree();
  // The unchanged spec is the review's base: a commit of the copy before the change.
  writeFileSync(join(tree, 'package.json'), '{ "private": true, "type": "module" }\n');
  const git = (...args: string[]) =>
    run(
      'git',
      [
        '-c',
        'user.name=pipeline test',
        '-c',
        'user.email=pipeline-test@invalid',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      tree,
    );
  ok('git init', await git('init', '-q'));
  ok('git add', await git('add', 'redocly.yaml', 'spec'));
  ok('git commit', await git('commit', '-q', '-m', 'base: the spec as it is'));

  written = writeChanges(tree, NEW_FILES, EDITS);

  // spec → bundle → types → the client's generated operations (into a copy of the client's sources).
  ok('bundle-spec', await node([join(tree, 'scripts', 'bundle-spec.mjs')], tree));
  const bundlePath = join(tree, 'spec', 'dist', 'openapi.json');
  ok(
    'generate-types',
    await node(
      [join(tree, 'scripts', 'generate-types.mjs'), '--spec', bundlePath, '--out', join(tree, 'packages', 'types')],
      tree,
    ),
  );
  const client = join(tree, 'packages', 'client');
  cpSync(join(repoRoot, 'packages', 'client', 'src'), join(client, 'src'), { recursive: true });
  cpSync(join(repoRoot, 'packages', 'client', 'package.json'), join(client, 'package.json'));
  ok(
    'generate-client',
    await node(
      [
        join(tree, 'scripts', 'generate-client.mjs'),
        '--spec',
        join(tree, 'packages', 'types', 'openapi.json'),
        '--out',
        join(client, 'src', 'generated', 'operations.ts'),
      ],
      tree,
    ),
  );
  bundle = readSpec(bundlePath);

  // The rest is independent: run it side by side.
  writeFileSync(join(tree, 'typed-use.ts'), TYPED_USE);
  writeFileSync(
    join(tree, 'tsconfig.json'),
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.base.json'),
      compilerOptions: {
        noEmit: true,
        typeRoots: [join(repoRoot, 'node_modules', '@types')],
        paths: {
          '@cci-openapi/types': [join(tree, 'packages', 'types', 'index.d.ts')],
          '@cci-openapi/client': [join(client, 'src', 'index.ts')],
        },
      },
      files: [join(tree, 'typed-use.ts'), join(tree, 'spec', 'code_samples', OPERATION_ID, 'typescript.ts')],
    }),
  );
  const [typecheck, fidelity, docs, review] = await Promise.all([
    node([tsc, '-p', join(tree, 'tsconfig.json')], tree),
    node([vitest, 'run', '--root', join(tree, 'spec'), 'test/fidelity.test.ts'], tree),
    node(
      [join(repoRoot, 'docs', 'build-docs.mjs'), '--spec', bundlePath, '--out', join(tree, 'docs', 'index.html')],
      tree,
    ),
    node([join(tree, 'scripts', 'review.mjs'), '--base', 'HEAD', '--out', join(tree, 'review.md')], tree),
  ]);
  results = { typecheck, fidelity, docs, review };
});

afterAll(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
});

describe('adding an operation to a copy of spec/', () => {
  it('needs only files under spec/, each of a kind the README lists under "Adding an operation"', () => {
    expect(written.filter((path) => !path.startsWith('spec/'))).toEqual([]);
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = /\n## Adding an operation\n([\s\S]*?)\n## /.exec(readme)?.[1];
    expect(section, 'README.md has a section "## Adding an operation"').toBeDefined();
    // The section's file names, `spec/paths/<path>.yaml` style: <…> and * stand for one path segment.
    const listed = [...section!.matchAll(/`((?:spec|packages)\/[^`\s]+)`/g)].map((match) => match[1]!);
    const patterns = listed.map(
      (name) => new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/<[^>]+>|\*/g, '[^/]+')}$`),
    );
    for (const path of written)
      expect(
        patterns.some((pattern) => pattern.test(path)),
        `${path} is not listed in README.md`,
      ).toBe(true);
    // …and the list names nothing outside spec/ but the optional alias line.
    expect(listed.filter((name) => !name.startsWith('spec/'))).toEqual(['packages/client/src/operation/aliases.ts']);
  });

  it('passes the spec checks: lint (in the review) and fidelity to every source, the new one included', () => {
    expect(results.fidelity.code, results.fidelity.stdout + results.fidelity.stderr).toBe(0);
    expect(results.fidelity.stdout).toContain(
      `fidelity ${SOURCE_NAME}: 1/1 operations, 2/2 parameters, 5/5 properties, 2/2 response codes, 5 declared deviations`,
    );
    const report = readFileSync(join(tree, 'review.md'), 'utf8');
    expect(report).toContain('## Lint (redocly lint, repository rules)\n\n✅ 0 errors, 0 warnings');
  });
});

describe('the client generated from the copy', () => {
  it('declares the operation with its parameters, from the spec', () => {
    expect(bundle.paths[PATH].get.operationId).toBe(OPERATION_ID);
    const generated = readFileSync(join(tree, 'packages', 'client', 'src', 'generated', 'operations.ts'), 'utf8');
    expect(generated).toContain(
      `  ${OPERATION_ID}: { method: 'GET', path: '${PATH}', params: { namespace: { in: 'path', type: 'string', required: true }, name: { in: 'path', type: 'string', required: true } }, json: true, kind: '${KIND}'`,
    );
    expect(generated).toContain(
      `  ${OPERATION_ID}(params: ${pascal(OPERATION_ID)}Params): Promise<${pascal(OPERATION_ID)}Result>;`,
    );
  });

  it('type-checks a caller and the code sample, and rejects a missing or unknown parameter and a wrong result type', () => {
    // Each @ts-expect-error above must meet an error, or tsc fails: the types can fail.
    expect(results.typecheck.stdout + results.typecheck.stderr).toBe('');
    expect(results.typecheck.code).toBe(0);
  });

  describe('called against the mock started with the copy', () => {
    let mock: MockServer;
    let clientModule: any;
    beforeAll(async () => {
      mock = await startMockServer({ port: 0, spec: bundle });
      clientModule = await import(join(tree, 'packages', 'client', 'src', 'index.ts'));
    });
    afterAll(async () => {
      await mock?.close();
    });

    it('sends GET to the filled path and throws a CciApiError 404 with the Status', async () => {
      const sent: Array<{ method: string; url: string; token: string | null }> = [];
      const client = clientModule.createCciClient({
        baseUrl: mock.url,
        token: 'mock-token',
        retry: false,
        fetch: (input: Request | string | URL, init?: RequestInit) => {
          const request = new Request(input, init);
          sent.push({ method: request.method, url: request.url, token: request.headers.get('x-auth-token') });
          return fetch(request);
        },
      });
      expect(typeof client[OPERATION_ID]).toBe('function');
      expect(Object.keys(clientModule.OPERATIONS)).toContain(OPERATION_ID);
      const error = await client[OPERATION_ID]({ namespace: 'ns-a', name: 'x' }).then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(sent).toEqual([
        { method: 'GET', url: `${mock.url}/api/v1/namespaces/ns-a/${RESOURCE}/x`, token: 'mock-token' },
      ]);
      expect(error).toBeInstanceOf(clientModule.CciApiError);
      expect(error.status).toBe(404);
      expect(error.body).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: `${RESOURCE} "x" not found`,
        details: { name: 'x', kind: RESOURCE },
      });
    });

    it('checks its parameters before sending anything', async () => {
      const client = clientModule.createCciClient({ baseUrl: mock.url, token: 'mock-token' });
      await expect(client[OPERATION_ID]({ namespace: 'ns-a' })).rejects.toBeInstanceOf(clientModule.CciInputError);
    });

    it('is routed by the mock, which still serves the existing operations', async () => {
      const headers = { 'x-auth-token': 'mock-token' };
      const probe = await fetch(`${mock.url}/api/v1/namespaces/namespace-test/${RESOURCE}/redis`, { headers });
      expect(probe.status).toBe(404);
      expect(await probe.json()).toMatchObject({
        message: `${RESOURCE} "redis" not found`,
        details: { kind: RESOURCE },
      });
      const service = await fetch(`${mock.url}/api/v1/namespaces/namespace-test/services/redis`, { headers });
      expect(service.status).toBe(200);
      expect(await service.json()).toMatchObject({ kind: 'Service', metadata: { name: 'redis' } });
    });
  });
});

describe('the docs built from the copy', () => {
  it('list the operation with its summary, path and code samples', () => {
    expect(results.docs.code, results.docs.stderr).toBe(0);
    const html = readFileSync(join(tree, 'docs', 'index.html'), 'utf8');
    expect(html).toContain(SUMMARY);
    expect(html).toContain(PATH);
    expect(html).toContain(OPERATION_ID);
    expect(html).toContain(`client.${OPERATION_ID}(`);
  });
});

describe('the review of the copy against the unchanged spec', () => {
  it('rates the new operation a non-breaking addition and reports the new source and types', () => {
    expect(results.review.code, results.review.stderr).toBe(0);
    expect(results.review.stderr).toMatch(/review: 0 breaking, [1-9]\d* non-breaking change\(s\)/);
    const report = readFileSync(join(tree, 'review.md'), 'utf8');
    expect(report).toContain('✅ **No breaking API change.**');
    expect(report).toContain('### Breaking (major): 0\n\n_none_');
    const nonBreaking = /### Non-breaking \(minor \/ patch\): \d+\n([\s\S]*?)\n## /.exec(report)?.[1] ?? '';
    expect(nonBreaking).toContain(PATH);
    expect(report).toMatch(new RegExp(`\\| ${SOURCE_NAME} \\| n/a \\| 1/1 operations, [^|]+\\| 5 \\| 0 \\|`));
    expect(report).toContain(`\`${KIND}\``);
  });
});

it('leaves the repository as it was: the pipeline wrote into the copy only', () => {
  expect(readdirSync(tree)).toEqual(expect.arrayContaining(['spec', 'packages', 'docs', 'review.md']));
  expect(readFileSync(join(repoRoot, 'spec', 'openapi.yaml'), 'utf8')).not.toContain(PATH);
  expect(fingerprint()).toEqual(before);
});
