// Every operation's code samples on the docs page are files of spec/code_samples/<operationId>/.
// Each TypeScript sample is type-checked here against the real @cci-openapi/client types, so a client
// or spec change that breaks one fails the build instead of rotting in the docs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docsDir, type DocumentedOperation, documentedOperations, loadBuiltSpec, repoRoot } from './support/paths.js';
import { bodyText, curlCalls, kubectlPatchMediaTypes, parseBody, parseScript } from './support/sample-commands.js';

const spec = loadBuiltSpec();
const operations = documentedOperations(spec);
const clientTypes = join(repoRoot, 'packages', 'client', 'dist', 'index.d.ts');
const scratch = mkdtempSync(join(tmpdir(), 'cci-openapi-sample-tsc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Type-checks files as a reader's project would (NodeNext, strict), against the built client —
 *  or, before the client is built, against its sources. */
function typecheck(files: string[]): { status: number | null; output: string } {
  const paths = existsSync(clientTypes)
    ? {}
    : { '@cci-openapi/client': [join(repoRoot, 'packages', 'client', 'src', 'index.ts')] };
  const tsconfig = join(scratch, `tsconfig.${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true, typeRoots: [join(repoRoot, 'node_modules', '@types')], types: ['node'], paths },
      files,
    }),
  );
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig],
    { encoding: 'utf8' },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const typescriptSample = (operationId: string) => {
  const operation = operations.find((candidate) => candidate.operationId === operationId)!;
  return operation.samples.find((sample) => sample.lang === 'TypeScript');
};

/** The path with the examples' values in place of its parameters. */
const concretePath = (path: string) => path.replace('{namespace}', 'namespace-test').replace('{name}', 'redis');

/**
 * Whether the kubectl sample reaches the operation: by its raw path (`get --raw`, `create|replace|delete
 * --raw`), by the verb kubectl uses for the operation's method on the same objects, or — for what
 * kubectl has no verb for — by a curl of the same method through `kubectl proxy`.
 */
function reachesWithKubectl({ method, path }: DocumentedOperation, kubectl: string): boolean {
  const concrete = concretePath(path);
  const status = path.endsWith('/status');
  const named = path.includes('{name}') ? 'services? redis ' : '';
  const scope = path.includes('{namespace}')
    ? kubectl.includes(' -n namespace-test')
    : /--all-namespaces|\s-A\b/.test(kubectl);
  const rawVerb = { get: 'get', post: 'create', put: 'replace', delete: 'delete' }[method];
  if (rawVerb && new RegExp(`^kubectl ${rawVerb} --raw ${concrete}( |$)`, 'm').test(kubectl)) return true;
  const script = parseScript(kubectl);
  const proxied = /^kubectl proxy --port=(\d+)/m.exec(kubectl)?.[1];
  if (
    proxied &&
    curlCalls(script).some(
      (call) =>
        call.url.host === `127.0.0.1:${proxied}` &&
        call.url.pathname === concrete &&
        call.method === method.toUpperCase(),
    )
  )
    return true;
  const byVerb: Record<string, RegExp[]> = {
    get: [new RegExp(`^kubectl get ${named || 'services? '}`, 'm')],
    post: [/^kubectl create -f \S+/m],
    put: [/^kubectl replace -f \S+/m],
    patch: [new RegExp(`^kubectl patch ${named}`, 'm'), /^kubectl apply --server-side /m],
    delete: [new RegExp(`^kubectl delete ${named}`, 'm')],
  };
  // A status subresource: only kubectl patch --subresource=status (kubectl ≥ 1.24) names it.
  if (status)
    return (
      method === 'patch' && new RegExp(`^kubectl patch ${named}.*--subresource=status`, 'm').test(kubectl) && scope
    );
  return (byVerb[method] ?? []).some((pattern) => pattern.test(kubectl)) && (scope || method === 'post');
}

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

  it.each(operations.map(({ operationId }) => operationId))(
    '%s: the curl and kubectl samples reach the operation’s path',
    (operationId) => {
      const operation = operations.find((candidate) => candidate.operationId === operationId)!;
      const concrete = concretePath(operation.path);
      const text = (name: string) =>
        readFileSync(operation.samples.find((sample) => basename(sample.file) === name)!.file, 'utf8');
      expect(text('curl-gateway.sh')).toMatch(/-H "X-Auth-Token: \$\{TOKEN\}"/);
      expect(text('curl-apiserver.sh')).toMatch(/--cacert ca\.crt --cert client\.crt --key client\.key/);
      const reaching = (name: string, host: (url: URL) => boolean) =>
        curlCalls(parseScript(text(name))).filter(
          (call) => host(call.url) && call.url.pathname === concrete && call.method === operation.method.toUpperCase(),
        );
      expect(
        reaching('curl-gateway.sh', (url) => url.hostname.endsWith('.myhuaweicloud.com')).length,
        'curl-gateway.sh',
      ).toBeGreaterThan(0);
      expect(reaching('curl-apiserver.sh', (url) => url.port === '5443').length, 'curl-apiserver.sh').toBeGreaterThan(
        0,
      );
      const kubectl = text('kubectl.sh');
      expect(reachesWithKubectl(operation, kubectl), kubectl).toBe(true);
    },
  );

  it.each(operations.map(({ operationId }) => operationId))(
    '%s: each curl to the operation sends what it takes: its method, a body when one is required, in a media type it accepts, well-formed',
    (operationId) => {
      const operation = operations.find((candidate) => candidate.operationId === operationId)!;
      const mediaTypes = Object.keys(operation.requestBody?.content ?? {});
      for (const { file } of operation.samples.filter((sample) => sample.lang === 'bash')) {
        const script = parseScript(readFileSync(file, 'utf8'));
        for (const call of curlCalls(script).filter(
          (candidate) => candidate.url.pathname === concretePath(operation.path),
        )) {
          const where = `${basename(file)}: ${call.method} ${call.url}`;
          // Another method on the same path is another operation (a read before a replace); one the
          // path does not have is a mistake (e.g. a body sent without -X: curl makes it a POST).
          expect(Object.keys(spec.paths[operation.path]), where).toContain(call.method.toLowerCase());
          if (call.method !== operation.method.toUpperCase()) continue;
          if (operation.requestBody?.required) expect(call.data, `${where} sends no body`).toBeDefined();
          if (call.data === undefined) continue;
          expect(mediaTypes, `${where} sends a body the operation does not take`).not.toEqual([]);
          expect(mediaTypes, `${where}: Content-Type`).toContain(call.contentType);
          // A body read from a file: the sample writes that file first.
          if (call.data.startsWith('@'))
            expect([...script.written], `${where} reads ${call.data}`).toContain(call.data.slice(1));
          const body = bodyText(script, call);
          if (body !== undefined)
            expect(
              () => parseBody(call.contentType!, body),
              `${where}: its body parses as ${call.contentType}`,
            ).not.toThrow();
        }
      }
      // kubectl's patches name a format the operation takes (patch --type, apply --server-side).
      const kubectl = operation.samples.find((sample) => basename(sample.file) === 'kubectl.sh')!;
      for (const mediaType of kubectlPatchMediaTypes(parseScript(readFileSync(kubectl.file, 'utf8'))))
        expect(mediaTypes, 'kubectl.sh').toContain(mediaType);
    },
  );

  it('show every media type a write operation takes in one of its samples', () => {
    const writes = operations.filter((operation) => operation.requestBody?.content);
    expect(writes.length).toBeGreaterThan(0);
    for (const operation of writes) {
      const sent = new Set<string>();
      for (const { file, lang } of operation.samples) {
        const text = readFileSync(file, 'utf8');
        if (lang === 'bash') {
          const script = parseScript(text);
          for (const call of curlCalls(script))
            if (call.url.pathname === concretePath(operation.path) && call.contentType) sent.add(call.contentType);
          for (const mediaType of kubectlPatchMediaTypes(script)) sent.add(mediaType);
        } else {
          for (const match of text.matchAll(/contentType: '([^']+)'/g)) sent.add(match[1]!);
          // Without a contentType the client sends its body as JSON (create, replace, delete).
          if (/client\.\w+\(\{[^}]*\bbody:/.test(text.replace(/\s+/g, ' ')) && !text.includes('contentType:'))
            sent.add('application/json');
        }
      }
      // application/yaml next to application/json is the same object in another syntax (kubectl
      // create/replace -f read YAML and send JSON): one of the two is enough.
      const content = operation.requestBody!.content;
      const shown = Object.keys(content).filter(
        (mediaType) => !(mediaType === 'application/yaml' && content['application/json']),
      );
      const missing = shown.filter((mediaType) => !sent.has(mediaType));
      expect(missing, operation.operationId).toEqual([]);
    }
  });

  it("'Signing in' on the page: a TypeScript sample for each way, each type-checked against the real client", () => {
    const description: string = loadBuiltSpec().info.description;
    const samples = [...description.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) =>
      match[1]!.replace(/^ {0,4}/gm, ''),
    );
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
    writeFileSync(
      broken,
      `${samples.find((sample) => sample.includes('iam: {'))!.replace('domainName', 'domainNaem')}\nexport { client };\n`,
    );
    expect(typecheck([broken]).output).toContain('domainNaem');
  });

  it('are the text the bundled spec (and so the page) carries', () => {
    for (const { operationId, samples } of operations) {
      for (const sample of samples)
        expect(sample.source, `${operationId} ${sample.label}`).toBe(readFileSync(sample.file, 'utf8'));
    }
  });
});
