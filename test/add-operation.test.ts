// Proof that the next operation is cheap and that nothing else has to change: a copy of spec/ gains
// a real upstream operation, readCoreV1NamespacedEndpoints (Kubernetes v1.19), written only under the
// copy's spec/ by the README's "Adding an operation" list — its path, the schemas Endpoints reaches,
// code samples, and its source: an extract of the upstream swagger declared in the upstream source,
// with only the deviations that are Endpoints' own. Then every suite that could break runs on the
// copy: the copy's fidelity check (as `npm run check` runs it), the mock's discovery test, the docs
// build and the docs tests that read the built page and the samples, the client's generation and a
// type-check, the review kit against the unchanged spec. Two more copies check the source: declared
// as a folder of its own it needs the same own deviations (the shared ones cover the rest); left out,
// the fidelity check fails saying what to add where. Everything heavy runs once, in beforeAll.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFresh, checkSources, readSpec, readSwaggerExtract } from '@cci-openapi/spec-kit';
import { defaultFixturesPath, loadFixtures, startMockServer, type MockServer } from '@cci-openapi/mock-server';
import {
  EDITS,
  EDITS_WITHOUT_SOURCE,
  EXTRACT,
  EXTRACT_FIXTURE,
  KIND,
  NEW_FILES,
  NEW_FILES_WITHOUT_SOURCE,
  OPERATION_ID,
  OWN_DEVIATION_COUNT,
  PATH,
  RESOURCE,
  SOURCE_FOLDER_FILES,
  SOURCE_NAME,
  SUMMARY,
} from './lib/new-operation.js';
import {
  commitSpecBase,
  copySpecTree,
  generateIntoTree,
  node,
  repoRoot,
  run,
  type RunResult,
  writeChanges,
  writeTypeCheckProject,
} from './lib/tree.js';

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
/** The whole upstream document the extract is cut from (the repository's verbatim copy). */
const UPSTREAM_SWAGGER = join(repoRoot, 'test', 'lib', 'large-spec', 'k8s-v1.19-swagger.json.gz');

let tree: string;
let bare: string;
let folder: string;
let written: string[];
let bundle: any;
let results: Record<
  'typecheck' | 'fidelity' | 'docs' | 'docsTests' | 'discovery' | 'review' | 'bare' | 'folder',
  RunResult
>;

/** A TypeScript user of the new operation, type-checked against the copy's generated client. */
const TYPED_USE = `import { createCciClient, type ${pascal(OPERATION_ID)}Params, type ${pascal(OPERATION_ID)}Result } from '@cci-openapi/client';
import type { ${KIND} } from '@cci-openapi/types';

const client = createCciClient({ baseUrl: 'http://127.0.0.1:1', token: 'mock-token' });
const params: ${pascal(OPERATION_ID)}Params = { namespace: 'ns-a', name: 'x' };
const answer: Promise<${KIND}> = client.${OPERATION_ID}(params);
const result: ${pascal(OPERATION_ID)}Result = await answer;
export const kind: string = result.kind;
export const ip: string | undefined = result.subsets?.[0]?.addresses?.[0]?.ip;
export const port: number | undefined = result.subsets?.[0]?.ports?.[0]?.port;
export const protocol: 'TCP' | 'UDP' | 'SCTP' | undefined = result.subsets?.[0]?.ports?.[0]?.protocol;
// @ts-expect-error name is a required path parameter
void client.${OPERATION_ID}({ namespace: 'ns-a' });
// @ts-expect-error the operation has no labelSelector
void client.${OPERATION_ID}({ namespace: 'ns-a', name: 'x', labelSelector: 'a=b' });
// @ts-expect-error a port is a number
export const wrong: string | undefined = result.subsets?.[0]?.ports?.[0]?.port;
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
  'spec/source/upstream/source.yaml',
  'spec/source/upstream/deviations.yaml',
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
/** The repository's own fidelity figures: what the copy's must grow from. */
let repositoryFidelity: ReturnType<typeof checkSources>;

/** The docs package's build and tests, copied so that their paths (docs/dist, spec/dist, spec/code_samples) are the copy's. */
function copyDocs(at: string) {
  cpSync(join(repoRoot, 'tsconfig.base.json'), join(at, 'tsconfig.base.json'));
  cpSync(join(repoRoot, 'docs'), join(at, 'docs'), {
    recursive: true,
    filter: (source) => !/\/docs\/(node_modules|dist|\.turbo)(\/|$)/.test(source),
  });
}

function writeTypedUse(at: string) {
  writeFileSync(join(at, 'typed-use.ts'), TYPED_USE);
  writeTypeCheckProject(at, [
    join(at, 'typed-use.ts'),
    join(at, 'spec', 'code_samples', OPERATION_ID, 'typescript.ts'),
  ]);
}

/** The copy's fidelity check, as `npm run check` runs it. */
const fidelityOf = (at: string) => node([vitest, 'run', '--root', join(at, 'spec'), 'test/fidelity.test.ts'], at);

/** The same change without its source: no extract, no source.yaml lines, no deviations. */
async function bareCopy(): Promise<RunResult> {
  bare = copySpecTree();
  writeChanges(bare, NEW_FILES_WITHOUT_SOURCE, EDITS_WITHOUT_SOURCE);
  return fidelityOf(bare);
}

/** The same change with its source in a folder of its own (the README's other way). */
async function folderCopy(): Promise<RunResult> {
  folder = copySpecTree();
  writeChanges(folder, { ...NEW_FILES_WITHOUT_SOURCE, ...SOURCE_FOLDER_FILES }, EDITS_WITHOUT_SOURCE);
  return fidelityOf(folder);
}

beforeAll(async () => {
  before = fingerprint();
  repositoryFidelity = checkSources({
    sourceDir: join(repoRoot, 'spec', 'source'),
    spec: bundleFresh({ root: repoRoot }),
  });
  tree = copySpecTree();
  writeFileSync(join(tree, 'package.json'), '{ "private": true, "type": "module" }\n');
  await commitSpecBase(tree);
  written = writeChanges(tree, NEW_FILES, EDITS);
  const bundlePath = await generateIntoTree(tree);
  bundle = readSpec(bundlePath);
  copyDocs(tree);
  writeTypedUse(tree);

  // The rest is independent: run it side by side (the docs tests need the built page).
  const docsPage = join(tree, 'docs', 'dist', 'index.html');
  const mockDir = join(repoRoot, 'packages', 'mock-server');
  const [typecheck, fidelity, [docs, docsTests], discovery, review, bareFidelity, folderFidelity] = await Promise.all([
    node([tsc, '-p', join(tree, 'tsconfig.json')], tree),
    fidelityOf(tree),
    node([join(tree, 'docs', 'build-docs.mjs'), '--spec', bundlePath, '--out', docsPage], tree).then(
      async (built): Promise<[RunResult, RunResult]> => [
        built,
        // Every test of the two files but the per-operation type-checks of the other operations (a
        // tsc run each; the one type-check of every sample together still covers them).
        await node(
          [
            vitest,
            'run',
            '--root',
            join(tree, 'docs'),
            'test/build.test.ts',
            'test/code-samples.test.ts',
            '--reporter=verbose',
            '-t',
            `^(?!.*: the TypeScript sample calls)|${OPERATION_ID}`,
          ],
          tree,
        ),
      ],
    ),
    run(process.execPath, [vitest, 'run', '--root', mockDir, 'test/discovery-table.test.ts'], mockDir, {
      CCI_OPENAPI_BUNDLE: bundlePath,
    }),
    node([join(tree, 'scripts', 'review.mjs'), '--base', 'HEAD', '--out', join(tree, 'review.md')], tree),
    bareCopy(),
    folderCopy(),
  ]);
  results = { typecheck, fidelity, docs, docsTests, discovery, review, bare: bareFidelity, folder: folderFidelity };
});

afterAll(() => {
  for (const dir of [tree, bare, folder]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const output = (result: RunResult) => result.stdout + result.stderr;

describe('adding readCoreV1NamespacedEndpoints to a copy of spec/', () => {
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

  it('declares its source as the README says: an extract of the upstream swagger, listed in the upstream source', () => {
    const declaration = readFileSync(join(tree, 'spec', 'source', SOURCE_NAME, 'source.yaml'), 'utf8');
    expect(declaration).toMatch(new RegExp(`\\ndocuments:\\n(  - .+\\n)*  - ${EXTRACT}\\n`));
    expect(declaration).toMatch(new RegExp(`\\noperations:\\n(  - .+\\n)*  - ${OPERATION_ID}\\n`));
    const extract = readSwaggerExtract(join(tree, 'spec', 'source', SOURCE_NAME, EXTRACT));
    expect(extract.operations.map((operation) => [operation.operationId, operation.method, operation.path])).toEqual([
      [OPERATION_ID, 'get', PATH],
    ]);
  });

  it('the extract is verbatim: its path and definitions are those of the upstream document', () => {
    const upstream = JSON.parse(gunzipSync(readFileSync(UPSTREAM_SWAGGER)).toString('utf8'));
    const extract = JSON.parse(readFileSync(EXTRACT_FIXTURE, 'utf8'));
    const sha256 = createHash('sha256')
      .update(gunzipSync(readFileSync(UPSTREAM_SWAGGER)))
      .digest('hex');
    expect(extract._source).toContain(`sha256 of the whole file ${sha256}`);
    expect(extract.paths[PATH].get).toEqual(upstream.paths[PATH].get);
    expect(extract.paths[PATH].parameters).toEqual(upstream.paths[PATH].parameters);
    for (const [name, definition] of Object.entries(extract.definitions))
      expect(definition, name).toEqual(upstream.definitions[name]);
  });

  it("passes the copy's fidelity check with only Endpoints' own deviations; the shared ones already cover the rest", () => {
    expect(results.fidelity.code, output(results.fidelity)).toBe(0);
    const base = repositoryFidelity.sources.find((source) => source.name === SOURCE_NAME)!;
    const line = /^fidelity upstream: (.*)$/m.exec(output(results.fidelity))?.[1] ?? '';
    const [operations, deviations, findings] = [
      /(\d+)\/(\d+) operations/.exec(line),
      /(\d+) declared deviations;/.exec(line),
      /(\d+)\/(\d+) findings declared/.exec(line),
    ];
    expect(operations?.slice(1).map(Number)).toEqual([base.operationIds.length + 1, base.operationIds.length + 1]);
    expect(Number(deviations?.[1])).toBe(base.deviations.length + OWN_DEVIATION_COUNT);
    expect(OWN_DEVIATION_COUNT).toBe(4);
    // Every finding declared, more of them than before (the new operation's), none dropped.
    expect(Number(findings?.[1])).toBe(Number(findings?.[2]));
    expect(Number(findings?.[2])).toBeGreaterThan(base.declared.total);
    // The copy's other figures (the CCI page) are the repository's.
    const page = repositoryFidelity.sources.find((source) => source.name === 'cci-page')!;
    expect(output(results.fidelity)).toContain(
      `fidelity ${page.figure}; ${page.declared.matched}/${page.declared.total} findings declared`,
    );
  });

  it('declared instead as a source folder of its own, needs the same own deviations and no more', () => {
    expect(results.folder.code, output(results.folder)).toBe(0);
    const line = /^fidelity endpoints: (.*)$/m.exec(output(results.folder))?.[1] ?? '';
    expect(line).toMatch(/^1\/1 operations, /);
    const findings = new RegExp(
      `, ${OWN_DEVIATION_COUNT} declared deviations; (\\d+)/(\\d+) findings declared, (\\d+) of them by \\d+ shared declarations$`,
    ).exec(line);
    expect(findings, line).not.toBeNull();
    expect(findings![1]).toBe(findings![2]);
    // The rest of its findings — Status, the gateway's codes, shared parameters and schemas — are shared.
    expect(Number(findings![3])).toBe(Number(findings![2]) - OWN_DEVIATION_COUNT);
  });

  it('without its source, fails the fidelity check naming the operation, the file to add, where to list it and the command to rerun', () => {
    expect(results.bare.code).not.toBe(0);
    const text = output(results.bare);
    expect(text).toContain(`${OPERATION_ID} (GET ${PATH}) comes from no source document.`);
    expect(text).toContain(
      `Add an extract of the upstream document holding its path and every definition it reaches, as spec/source/upstream/<extract>.json, listed under documents: in spec/source/upstream/source.yaml, and "- ${OPERATION_ID}" under its operations:`,
    );
    expect(text).toContain('rerun the fidelity check: npm run check');
  });
});

describe('the client generated from the copy', () => {
  it('declares the operation with its parameters, from the spec', () => {
    expect(bundle.paths[PATH].get.operationId).toBe(OPERATION_ID);
    const generated = readFileSync(join(tree, 'packages', 'client', 'src', 'generated', 'operations.ts'), 'utf8');
    expect(generated).toMatch(
      new RegExp(
        `const ${OPERATION_ID}Descriptor = \\{ id: '${OPERATION_ID}', method: 'GET', path: '${PATH.replace(/[{}]/g, '\\$&')}', params: \\{ namespace: \\{ in: 'path', type: 'string', required: true \\}, name: \\{ in: 'path', type: 'string', required: true \\}, pretty: \\{ in: 'query', type: 'string' \\} \\}, json: true, kind: '${KIND}'`,
      ),
    );
    expect(generated).toContain(
      `  ${OPERATION_ID}(params: ${pascal(OPERATION_ID)}Params): Promise<${pascal(OPERATION_ID)}Result>;`,
    );
  });

  it('type-checks a caller and the code sample, and rejects a missing or unknown parameter and a wrong result type', () => {
    // Each @ts-expect-error above must meet an error, or tsc fails: the types can fail.
    expect(output(results.typecheck)).toBe('');
    expect(results.typecheck.code).toBe(0);
  });

  describe('called against the mock started with the copy', () => {
    let mock: MockServer;
    let clientModule: any;
    const redis = {
      apiVersion: 'v1',
      kind: KIND,
      metadata: { name: 'redis', namespace: 'namespace-test' },
      subsets: [{ addresses: [{ ip: '10.0.0.7', nodeName: 'node-1' }], ports: [{ port: 6379, protocol: 'TCP' }] }],
    };
    beforeAll(async () => {
      const services = loadFixtures(defaultFixturesPath, bundle) as object[];
      mock = await startMockServer({ port: 0, spec: bundle, fixtures: [...services, redis] });
      clientModule = await import(join(tree, 'packages', 'client', 'src', 'index.ts'));
    });
    afterAll(async () => {
      await mock?.close();
    });
    const clientFor = (sent: Array<{ method: string; url: string }>) =>
      clientModule.createCciClient({
        baseUrl: mock.url,
        token: 'mock-token',
        retry: false,
        fetch: (input: Request | string | URL, init?: RequestInit) => {
          const request = new Request(input, init);
          sent.push({ method: request.method, url: request.url });
          return fetch(request);
        },
      });

    it('reads an Endpoints object the mock serves, as the spec types it', async () => {
      const sent: Array<{ method: string; url: string }> = [];
      const endpoints = await clientFor(sent)[OPERATION_ID]({ namespace: 'namespace-test', name: 'redis' });
      expect(sent).toEqual([{ method: 'GET', url: `${mock.url}/api/v1/namespaces/namespace-test/${RESOURCE}/redis` }]);
      expect(endpoints).toMatchObject(redis);
      expect(endpoints.metadata.resourceVersion).toMatch(/^\d+$/);
    });

    it('throws a CciApiError 404 with the Status for one that does not exist', async () => {
      const error = await clientFor([])
        [OPERATION_ID]({ namespace: 'ns-a', name: 'x' })
        .then(
          () => undefined,
          (rejection: unknown) => rejection,
        );
      expect(error).toBeInstanceOf(clientModule.CciApiError);
      expect(error.status).toBe(404);
      expect(error.body).toMatchObject({
        kind: 'Status',
        reason: 'NotFound',
        message: `${RESOURCE} "x" not found`,
        details: { name: 'x', kind: RESOURCE },
      });
    });

    it('checks its parameters before sending anything', async () => {
      await expect(clientFor([])[OPERATION_ID]({ namespace: 'ns-a' })).rejects.toBeInstanceOf(
        clientModule.CciInputError,
      );
    });

    it('is listed by discovery with kubectl’s short name, beside the Services', async () => {
      const answer = await fetch(`${mock.url}/api/v1`, { headers: { 'x-auth-token': 'mock-token' } });
      const names = (await answer.json()).resources.map((resource: { name: string; verbs: string[] }) => [
        resource.name,
        resource.verbs,
      ]);
      expect(names).toContainEqual([RESOURCE, ['get']]);
      expect(names).toContainEqual(['services', expect.arrayContaining(['get', 'list', 'watch'])]);
    });
  });
});

describe('the suites that could break, rerun on the copy', () => {
  it("the mock's discovery test (its resource list derived from the copy's spec)", () => {
    expect(results.discovery.code, output(results.discovery)).toBe(0);
    expect(output(results.discovery)).toMatch(/Tests\s+\d+ passed/);
  });

  it('the docs build, and the docs tests that read the built page and every code sample', () => {
    expect(results.docs.code, output(results.docs)).toBe(0);
    const html = readFileSync(join(tree, 'docs', 'dist', 'index.html'), 'utf8');
    expect(html).toContain(SUMMARY);
    expect(html).toContain(PATH);
    expect(html).toContain(`client.${OPERATION_ID}(`);
    expect(results.docsTests.code, output(results.docsTests)).toBe(0);
    expect(output(results.docsTests)).toMatch(/Test Files\s+2 passed/);
    expect(output(results.docsTests)).toContain(
      `✓ test/code-samples.test.ts > the code samples > ${OPERATION_ID}: the TypeScript sample calls client.`,
    );
    expect(output(results.docsTests)).toContain(
      `✓ test/code-samples.test.ts > the code samples > ${OPERATION_ID}: the curl and kubectl samples reach the operation`,
    );
  });

  it('the review kit: a non-breaking addition, the upstream source grown by one operation, its own deviations named', () => {
    expect(results.review.code, results.review.stderr).toBe(0);
    expect(results.review.stderr).toMatch(/review: 0 breaking, [1-9]\d* non-breaking change\(s\)/);
    const report = readFileSync(join(tree, 'review.md'), 'utf8');
    expect(report).toContain('## Lint (redocly lint, repository rules)\n\n✅ 0 errors, 0 warnings');
    expect(report).toContain('✅ **No breaking API change.**');
    expect(report).toContain('### Breaking (major): 0\n\n_none_');
    const nonBreaking = /### Non-breaking \(minor \/ patch\): \d+\n([\s\S]*?)\n## /.exec(report)?.[1] ?? '';
    expect(nonBreaking).toContain(PATH);
    const count = repositoryFidelity.sources.find((source) => source.name === SOURCE_NAME)!.operationIds.length;
    expect(report).toMatch(
      new RegExp(
        `\\| ${SOURCE_NAME} \\| ${count}/${count} operations, [^|]+\\| ${count + 1}/${count + 1} operations, [^|]+\\| \\d+ \\| 0 \\|`,
      ),
    );
    expect(report).toContain(`\`${SOURCE_NAME}: Endpoints.apiVersion (required)\``);
    expect(report).toContain(`\`${KIND}\``);
  });
});

it('leaves the repository as it was: the pipeline wrote into the copies only', () => {
  expect(readdirSync(tree)).toEqual(expect.arrayContaining(['spec', 'packages', 'docs', 'review.md']));
  expect(readFileSync(join(repoRoot, 'spec', 'openapi.yaml'), 'utf8')).not.toContain(PATH);
  expect(fingerprint()).toEqual(before);
});
