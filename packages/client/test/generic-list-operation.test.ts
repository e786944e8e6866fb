import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Service } from '@cci-openapi/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CciContext,
  CciInputError,
  CciResponseError,
  CciTimeoutError,
  createCciContext,
  createInformer,
  type Informer,
  type KubeObject,
  type ListDescriptor,
  type ListOperation,
  listAll,
  listItems,
  listPages,
  type Middleware,
  type OperationFunction,
  readCoreV1NamespacedServiceStatus,
  type WatchEvent,
  waitFor,
  watchList,
} from '../src/index.js';
import { clientFor, TOKEN, WIRE } from './helpers/client.js';
import { type FakeApiServer, startFakeApiServer } from './helpers/fake-apiserver.js';

// "A new list operation in spec/ gets paging, watch and an informer with no code": the two
// ConfigMap list operations of upstream Kubernetes 1.19 (test/fixtures, verbatim) are added to a
// copy of the bundled spec, the REAL generator turns that spec into operations, and the generic
// lists, watches and informer run on the generated ConfigMap functions against a real HTTP server
// on 127.0.0.1. Nothing in src/ names ConfigMaps.

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const generator = join(packageDir, '..', '..', 'scripts', 'generate-client.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'cci-generic-list-'));

interface SwaggerParameter {
  name: string;
  in: string;
  type: string;
  required?: boolean;
}
interface SwaggerGet {
  operationId: string;
  parameters?: SwaggerParameter[];
  produces: string[];
  responses: Record<string, { description: string; schema?: unknown }>;
}
interface Extract {
  paths: Record<string, { get: SwaggerGet; parameters: SwaggerParameter[] }>;
  definitions: Record<
    string,
    { 'x-kubernetes-group-version-kind': Array<{ group: string; version: string; kind: string }> }
  >;
}

const extract = JSON.parse(
  readFileSync(join(packageDir, 'test', 'fixtures', 'k8s-v1.19-configmap-list.json'), 'utf8'),
) as Extract;

/** Swagger 2.0 → OpenAPI 3.1, as far as these two operations need; #/definitions/io.k8s…X → #/components/schemas/X. */
function toOpenApi(node: unknown): unknown {
  return JSON.parse(
    JSON.stringify(node).replace(/"#\/definitions\/io\.k8s\.[\w.]+\.(\w+)"/g, '"#/components/schemas/$1"'),
  );
}
const parameter = (p: SwaggerParameter) => ({
  name: p.name,
  in: p.in,
  ...(p.required && { required: true }),
  schema: { type: p.type },
});

/** The bundled spec with the extract's operations and schemas added (ObjectMeta and ListMeta are the spec's own). */
function specWithConfigMaps(): Record<string, any> {
  const spec = JSON.parse(readFileSync(join(packageDir, '..', 'types', 'openapi.json'), 'utf8'));
  for (const [path, item] of Object.entries(extract.paths)) {
    const { get } = item;
    const json = get.produces.filter((mediaType) => mediaType.startsWith('application/json'));
    const ok = toOpenApi(get.responses['200']) as { description: string; schema: unknown };
    spec.paths[path] = {
      parameters: item.parameters.map(parameter),
      get: {
        operationId: get.operationId,
        tags: [spec.tags[0].name],
        parameters: (get.parameters ?? []).map(parameter),
        responses: {
          '200': {
            description: ok.description,
            content: Object.fromEntries(json.map((mediaType) => [mediaType, { schema: ok.schema }])),
          },
        },
      },
    };
  }
  for (const [name, definition] of Object.entries(extract.definitions))
    spec.components.schemas[name.split('.').pop()!] = toOpenApi(definition);
  return spec;
}

interface ConfigMap extends KubeObject {
  metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

/** The generated functions' types, as @cci-openapi/types would give them for this spec. */
type ConfigMapListOperation<Path> = OperationFunction<
  Path & { limit?: number; continue?: string },
  { items: ConfigMap[] },
  {
    readonly id: string;
    readonly method: 'GET';
    readonly path: string;
    readonly list: ListDescriptor;
    readonly params: { readonly [K in keyof Path]: { readonly in: 'path'; readonly type: 'string' } };
  }
>;

let generated: Record<string, unknown>;
let namespaced: ConfigMapListOperation<{ namespace: string }>;
let allNamespaces: ConfigMapListOperation<Record<never, never>>;
/** What the fixture says a ConfigMap is: the expectations come from it, not from this test. */
const gvk = extract.definitions['io.k8s.api.core.v1.ConfigMap']!['x-kubernetes-group-version-kind'][0]!;
const itemApiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;

beforeAll(async () => {
  const specPath = join(scratch, 'openapi.json');
  const out = join(scratch, 'operations.ts');
  writeFileSync(specPath, JSON.stringify(specWithConfigMaps()));
  const args = [generator, '--spec', specPath, '--out', out, '--runtime', join(packageDir, 'src')];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  generated = (await import(pathToFileURL(out).href)) as Record<string, unknown>;
  const ids = Object.values(extract.paths).map((item) => item.get.operationId);
  [namespaced, allNamespaces] = ids.map((id) => generated[id]) as [typeof namespaced, typeof allNamespaces];
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let api: FakeApiServer;
let cci: CciContext;
let informer: Informer<ConfigMap> | undefined;
afterEach(async () => {
  await informer?.stop();
  informer = undefined;
  await cci?.close();
  await api?.close();
});

const configMap = (namespace: string, name: string, data: Record<string, string> = {}) =>
  // The fake server is typed for Services; it stores and serves any object with metadata.
  ({ metadata: { namespace, name }, data }) as unknown as Service;

async function start(objects: Service[]) {
  api = await startFakeApiServer(objects, { plural: 'configmaps', listKind: 'ConfigMapList' });
  cci = createCciContext({
    baseUrl: api.url,
    token: TOKEN,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...(WIRE === 'fetch' && { fetch: globalThis.fetch }),
  });
}

const names = (items: readonly KubeObject[]) => items.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);

describe('a list operation the generator adds from the spec (ConfigMaps) gets paging, watch and an informer', () => {
  it('the generator derives its list facts from the spec: item kind and apiVersion, namespaced, watch', () => {
    const operations = generated.OPERATIONS as Record<string, { list?: unknown }>;
    expect(namespaced.descriptor.list).toEqual({
      kind: gvk.kind,
      apiVersion: itemApiVersion,
      namespaced: true,
      watch: true,
    });
    expect(allNamespaces.descriptor.list).toEqual({
      kind: gvk.kind,
      apiVersion: itemApiVersion,
      namespaced: false,
      watch: true,
    });
    expect(operations[namespaced.descriptor.id!]).toBe(namespaced.descriptor);
    // Every other list operation of the spec is found the same way; nothing else is called a list.
    for (const [id, descriptor] of Object.entries(operations))
      expect(descriptor.list !== undefined, id).toBe(/^list/.test(id));
  });

  it('listPages follows continue page by page; listItems and listAll give the objects, completed with apiVersion and kind', async () => {
    await start([configMap('apps', 'a'), configMap('apps', 'b'), configMap('apps', 'c'), configMap('other', 'd')]);
    const pages = [];
    for await (const page of listPages(cci, namespaced, { namespace: 'apps', pageSize: 2 })) pages.push(page);
    expect(pages.map((page) => names(page.items))).toEqual([['apps/a', 'apps/b'], ['apps/c']]);
    expect(pages[0]!.items[0]).toMatchObject({ kind: gvk.kind, apiVersion: itemApiVersion });
    const lists = api.server.requests.map((r) => r.url);
    expect(lists[0]).toBe('/api/v1/namespaces/apps/configmaps?limit=2');
    expect(lists[1]).toMatch(/^\/api\/v1\/namespaces\/apps\/configmaps\?limit=2&continue=/);

    const items = [];
    for await (const item of listItems(cci, allNamespaces, { labelSelector: '' })) items.push(item);
    expect(names(items)).toEqual(['apps/a', 'apps/b', 'apps/c', 'other/d']);
    const all = await listAll(cci, allNamespaces, { pageSize: 3 });
    expect(names(all.items)).toEqual(['apps/a', 'apps/b', 'apps/c', 'other/d']);
    expect(all.resourceVersion).toBe(String(api.version()));
  });

  it('watchList: the existing objects as ADDED, then typed changes; an expired version relists (RELISTED)', async () => {
    await start([configMap('apps', 'a')]);
    const seen: string[] = [];
    const controller = new AbortController();
    const events = watchList(cci, namespaced, { namespace: 'apps', signal: controller.signal, timeoutSeconds: 60 });
    const log = (event: WatchEvent<ConfigMap>) =>
      seen.push(
        event.type === 'RELISTED'
          ? `RELISTED ${names(event.items).join(',')}`
          : event.type === 'BOOKMARK'
            ? 'BOOKMARK'
            : `${event.type} ${event.object.metadata.name}`,
      );
    const consumed = (async () => {
      for await (const event of events) log(event);
    })().catch((error: unknown) => error);
    await api.waitForWatches(1);
    api.apply(configMap('apps', 'b', { k: 'v' }));
    api.apply(configMap('other', 'x')); // another namespace: not on this watch
    api.remove('apps', 'a');
    await expect.poll(() => seen, { timeout: 5_000, interval: 5 }).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    // A change the watch misses, then the server forgets its history: the version the watch
    // resumes from is too old (410), so it lists again and says so.
    api.mute();
    api.apply(configMap('apps', 'c'));
    api.compact();
    api.endWatches();
    await expect.poll(() => seen.at(-1), { timeout: 5_000, interval: 5 }).toBe('RELISTED apps/b,apps/c');
    controller.abort(new Error('done'));
    expect(((await consumed) as Error).message).toBe('done');
    expect(api.server.requests.find((r) => r.url.includes('watch=true'))!.url).toMatch(
      /^\/api\/v1\/namespaces\/apps\/configmaps\?watch=true&resourceVersion=\d+&timeoutSeconds=60$/,
    );
  });

  it('a watch event of another kind is refused with the list kind named', async () => {
    await start([]);
    const events = watchList(cci, namespaced, { namespace: 'apps', resourceVersion: '1' });
    const failed = (async () => {
      for await (const _ of events);
    })().catch((error: unknown) => error);
    await api.waitForWatches(1);
    api.write(`${JSON.stringify({ type: 'ADDED', object: { kind: 'Service', metadata: { name: 's' } } })}\n`);
    const error = (await failed) as CciResponseError;
    expect(error).toBeInstanceOf(CciResponseError);
    expect(error.message).toContain(`carries a "Service", not a ${gvk.kind}`);
  });

  it('createInformer: lists into its cache, keeps it current, types add/update/delete; middleware sees the template', async () => {
    await start([configMap('apps', 'a'), configMap('other', 'b')]);
    const schemaPaths = new Set<string>();
    const middleware: Middleware = {
      onRequest: ({ schemaPath }) => {
        schemaPaths.add(schemaPath);
      },
    };
    cci.use(middleware);
    informer = createInformer(cci, allNamespaces, { pageSize: 1 });
    const log: string[] = [];
    informer.on('add', (o) => log.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => log.push(`update ${o.metadata?.name}`));
    informer.on('delete', (o) => log.push(`delete ${o.metadata?.name}`));
    await informer.synced();
    expect(names(informer.list())).toEqual(['apps/a', 'other/b']);
    expect(informer.get('apps', 'a')).toMatchObject({ kind: gvk.kind });
    await api.waitForWatches(1);
    api.apply(configMap('apps', 'a', { changed: 'yes' }));
    api.remove('other', 'b');
    await expect.poll(() => log, { timeout: 5_000, interval: 5 }).toEqual(['add a', 'add b', 'update a', 'delete b']);
    expect(informer.get('apps', 'a')?.data).toEqual({ changed: 'yes' });
    expect([...schemaPaths]).toEqual([allNamespaces.descriptor.path]);
  });

  it('waitFor: resolves with the first state that satisfies the condition; a timeout and a deletion end it typed', async () => {
    await start([configMap('apps', 'a', { ready: 'no' })]);
    const states: string[] = [];
    const waiting = waitFor(cci, namespaced, {
      namespace: 'apps',
      name: 'a',
      until: (object) => object.data?.ready === 'yes',
      onChange: (object, from) => states.push(`${from} ${object.data?.ready}`),
      timeoutMs: 5_000,
    });
    await api.waitForWatches(1);
    api.apply(configMap('apps', 'b', { ready: 'yes' })); // another object: not this wait's
    api.apply(configMap('apps', 'a', { ready: 'yes' }));
    await expect(waiting).resolves.toMatchObject({ metadata: { name: 'a' }, data: { ready: 'yes' } });
    expect(states).toEqual(['ADDED no', 'MODIFIED yes']);
    expect(api.server.requests.some((r) => r.url.includes('fieldSelector=metadata.name%3Da'))).toBe(true);

    const never = waitFor(cci, namespaced, { namespace: 'apps', name: 'a', until: () => false, timeoutMs: 300 });
    await expect(never).rejects.toBeInstanceOf(CciTimeoutError);
    await expect.poll(() => api.watches.size, { timeout: 5_000, interval: 5 }).toBe(0); // the timed-out wait's stream is closed
    let seen!: () => void;
    const listed = new Promise<void>((resolve) => (seen = resolve));
    const deleted = waitFor(cci, namespaced, {
      namespace: 'apps',
      name: 'a',
      until: () => false,
      onChange: () => seen(),
      timeoutMs: 5_000,
    });
    await listed;
    await expect.poll(() => api.watches.size, { timeout: 5_000, interval: 5 }).toBe(1);
    api.remove('apps', 'a');
    await expect(deleted).rejects.toMatchObject({ status: 404, reason: 'NotFound' });
  });

  it('a CciClient is a context too: the generated functions of another spec run on it', async () => {
    await start([configMap('apps', 'a')]);
    const client = clientFor(api.server);
    try {
      const all = await listAll(client, namespaced, { namespace: 'apps' });
      expect(names(all.items)).toEqual(['apps/a']);
    } finally {
      await client.close();
    }
  });

  it('bad input is a CciInputError before any request: unknown option, missing namespace, not a list operation, not a context', async () => {
    await start([]);
    const drain = async (iterable: AsyncIterable<unknown>) => {
      for await (const _ of iterable);
    };
    const failures = await Promise.allSettled([
      drain(listPages(cci, namespaced, { namespace: 'apps', colour: 'red' } as never)),
      drain(listPages(cci, namespaced, {} as never)),
      drain(listPages(cci, namespaced, { namespace: '..' })),
      drain(watchList(cci, readCoreV1NamespacedServiceStatus as unknown as ListOperation, {} as never)),
      listAll({} as CciContext, allNamespaces, {}),
    ]);
    expect(failures.map((f) => f.status === 'rejected' && f.reason instanceof CciInputError)).toEqual(
      failures.map(() => true),
    );
    expect(failures.map((f) => (f as PromiseRejectedResult).reason.message)).toEqual([
      expect.stringContaining('Unknown parameter "colour"'),
      expect.stringContaining('namespace is missing'),
      expect.stringContaining('dot-segment'),
      expect.stringContaining('readCoreV1NamespacedServiceStatus is not a generated list operation'),
      expect.stringContaining('createCciContext()'),
    ]);
    expect(() => createInformer(cci, allNamespaces, { resyncMs: -1 })).toThrow(CciInputError);
    expect(api.server.requests).toHaveLength(0);
  });
});
