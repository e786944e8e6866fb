// Every operation's code samples on the docs page are files of spec/code_samples/<operationId>/.
// Each TypeScript sample is type-checked here against the real @cci-openapi/client types, so a client
// or spec change that breaks one fails the build instead of rotting in the docs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docsDir, documentedOperations, loadBuiltSpec, repoRoot } from './support/paths.js';

const operations = documentedOperations(loadBuiltSpec());
const clientTypes = join(repoRoot, 'packages', 'client', 'dist', 'index.d.ts');
const scratch = mkdtempSync(join(tmpdir(), 'cci-openapi-sample-tsc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Type-checks files as a reader's project would (NodeNext, strict), against the built client —
 *  or, before the client is built, against its sources. */
function typecheck(files: string[]): { status: number | null; output: string } {
  const paths = existsSync(clientTypes) ? {} : { '@cci-openapi/client': [join(repoRoot, 'packages', 'client', 'src', 'index.ts')] };
  const tsconfig = join(scratch, `tsconfig.${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true, typeRoots: [join(repoRoot, 'node_modules', '@types')], types: ['node'], paths },
      files,
    }),
  );
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const typescriptSample = (operationId: string) => {
  const operation = operations.find((candidate) => candidate.operationId === operationId)!;
  return operation.samples.find((sample) => sample.lang === 'TypeScript');
};

describe('the code samples', () => {
  it('cover every operation: TypeScript, curl through the gateway and direct, and kubectl', () => {
    expect(operations.length).toBeGreaterThanOrEqual(4);
    for (const { operationId, samples } of operations) {
      expect(samples.map((sample) => basename(sample.file)).sort(), operationId).toEqual([
        'curl-apiserver.sh',
        'curl-gateway.sh',
        'kubectl.sh',
        'typescript.ts',
      ]);
    }
  });

  it('type-check against the real client, every TypeScript sample of every operation', () => {
    const files = operations.map(({ operationId }) => typescriptSample(operationId)!.file);
    const { status, output } = typecheck(files);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it.each(operations.map(({ operationId }) => operationId))(
    '%s: the TypeScript sample calls client.%s and would fail the check if it passed a wrong parameter',
    (operationId) => {
      const sample = typescriptSample(operationId)!;
      expect(sample.source).toMatch(/import \{ [^}]*\bcreateCciClient\b[^}]*\} from '@cci-openapi\/client'/);
      const call = `client.${operationId}({`;
      expect(sample.source).toContain(call);
      // The check can fail: the same sample with one parameter the operation does not have.
      const brokenDir = join(docsDir, 'test-results', 'code-samples');
      mkdirSync(brokenDir, { recursive: true });
      const broken = join(brokenDir, `${operationId}.broken.ts`);
      writeFileSync(broken, sample.source.replace(call, `${call} notAParameterOf${operationId}: 1,`));
      const { status, output } = typecheck([broken]);
      expect(status).not.toBe(0);
      expect(output).toContain(`notAParameterOf${operationId}`);
    },
  );

  it.each(operations.map(({ operationId }) => operationId))('%s: the curl and kubectl samples reach the operation’s path', (operationId) => {
    const operation = operations.find((candidate) => candidate.operationId === operationId)!;
    // The path with the examples' values in place of its parameters.
    const concrete = operation.path.replace('{namespace}', 'namespace-test').replace('{name}', 'redis');
    const text = (name: string) => readFileSync(operation.samples.find((sample) => basename(sample.file) === name)!.file, 'utf8');
    expect(text('curl-gateway.sh')).toMatch(/-H "X-Auth-Token: \$\{TOKEN\}"/);
    expect(text('curl-gateway.sh')).toContain(`.myhuaweicloud.com${concrete}"`);
    expect(text('curl-apiserver.sh')).toMatch(/--cacert ca\.crt --cert client\.crt --key client\.key/);
    expect(text('curl-apiserver.sh')).toContain(`:5443${concrete}"`);
    // kubectl reaches it by the raw path, or by `get service(s)` naming the same objects.
    const kubectl = text('kubectl.sh');
    const byRawPath = kubectl.includes(`kubectl get --raw ${concrete}`);
    const byGet =
      !operation.path.endsWith('/status') &&
      /^kubectl get services? /m.test(kubectl) &&
      (!operation.path.includes('{name}') || /^kubectl get service redis /m.test(kubectl)) &&
      (operation.path.includes('{namespace}') ? kubectl.includes(' -n namespace-test') : /--all-namespaces|\s-A\b/.test(kubectl));
    expect(byRawPath || byGet, kubectl).toBe(true);
  });

  it("'Signing in' on the page: a TypeScript sample for each way, each type-checked against the real client", () => {
    const description: string = loadBuiltSpec().info.description;
    const samples = [...description.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!.replace(/^ {0,4}/gm, ''));
    const ways = ['credentials: {', 'credentialsFromEnv()', 'iam: {', 'getToken:', 'createCciClientFromKubeconfig('];
    expect(ways.map((way) => samples.filter((sample) => sample.includes(way)).length)).toEqual(ways.map(() => 1));
    // Inside docs/ (an ES module package), so the samples resolve @cci-openapi/client as a reader's project would.
    const dir = join(docsDir, 'test-results', 'signing-in');
    mkdirSync(dir, { recursive: true });
    const files = samples.map((sample, index) => {
      const file = join(dir, `way-${index}.ts`);
      writeFileSync(file, `${sample}\nexport { client };\n`);
      return file;
    });
    expect(typecheck(files)).toEqual({ status: 0, output: '' });
    // The check can fail: a misspelt option is refused.
    const broken = join(dir, 'broken.ts');
    writeFileSync(broken, `${samples.find((sample) => sample.includes('iam: {'))!.replace('domainName', 'domainNaem')}\nexport { client };\n`);
    expect(typecheck([broken]).output).toContain('domainNaem');
  });

  it('are the text the bundled spec (and so the page) carries', () => {
    for (const { operationId, samples } of operations) {
      for (const sample of samples) expect(sample.source, `${operationId} ${sample.label}`).toBe(readFileSync(sample.file, 'utf8'));
    }
  });
});
