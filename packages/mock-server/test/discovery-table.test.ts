// What kubectl and the Kubernetes client libraries need besides the operations themselves:
// discovery derived from the spec, Table answers with kubectl's Service columns, YAML, and the
// Namespace read kubectl makes after a 404.
//
// The expected resource list is derived here from the spec's paths by Kubernetes' REST conventions,
// not copied from the mock: CCI_OPENAPI_BUNDLE (a bundled openapi.json) puts another spec in place
// of the package's — test/add-operation.test.ts reruns this file on a copy of spec/ that gained an
// operation.
import { SERVICE_TABLE_COLUMNS, serviceTableRow } from '@cci-openapi/internals/service-table';
import { operationsOf, readSpec } from '@cci-openapi/spec-kit';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index.js';
import { deref, loadBundledSpec, type OpenApiDocument } from '../src/spec.js';
import { storageVersionHash } from '../src/discovery.js';
import { request, TOKEN } from './helpers/http.js';

const SPEC: OpenApiDocument = process.env.CCI_OPENAPI_BUNDLE
  ? (readSpec(process.env.CCI_OPENAPI_BUNDLE) as OpenApiDocument)
  : loadBundledSpec();

/**
 * What kube-apiserver v1.20's registry adds to a resource, which a spec does not say (checked
 * against a real one for services; the others as kube-apiserver lists them).
 */
const REGISTRY: Record<string, { shortNames?: string[]; categories?: string[] }> = {
  services: { shortNames: ['svc'], categories: ['all'] },
  endpoints: { shortNames: ['ep'] },
};

/** Kubernetes' verbs for a method on a path: a GET by name is get, on a collection list (and watch when it streams). */
function verbsOf(spec: OpenApiDocument, method: string, byName: boolean, operation: any): string[] {
  if (method === 'get' && !byName) {
    const ok = operation.responses?.['200'] && deref<any>(spec, operation.responses['200']);
    return ok?.content?.['application/json;stream=watch'] ? ['list', 'watch'] : ['list'];
  }
  return [({ get: 'get', put: 'update', patch: 'patch', delete: 'delete', post: 'create' } as const)[method as 'get']];
}

/** The kind an object operation reads or writes: its JSON schema's title, io.k8s.api.core.v1.<Kind>. */
function kindOf(spec: OpenApiDocument, operation: any): string | undefined {
  const body = operation.requestBody && deref<any>(spec, operation.requestBody).content?.['application/json']?.schema;
  const ok = operation.responses?.['200'] && deref<any>(spec, operation.responses['200']).content?.['application/json'];
  const schema = body ?? ok?.schema;
  return schema
    ? String(deref<any>(spec, schema).title ?? '')
        .split('.')
        .at(-1)
    : undefined;
}

/**
 * The /api/v1 resource list a spec makes, by Kubernetes' REST conventions: a path
 * `/api/v1[/namespaces/{namespace}]/<resource>[/{name}[/<subresource>]]` serves <resource> (or
 * <resource>/<subresource>), namespaced when it lives under a namespace; the kind is what its reads
 * by name and writes carry; the main resource gets the registry's short names and categories and
 * apimachinery's storage version hash.
 */
function expectedResources(spec: OpenApiDocument) {
  const resources = new Map<string, { namespaced: boolean; kind?: string; verbs: Set<string> }>();
  const pattern = /^\/api\/v1(\/namespaces\/\{namespace\})?\/([a-z]+)(\/\{name\})?(?:\/([a-z]+))?$/;
  for (const { path, method, operation } of operationsOf(spec)) {
    const match = pattern.exec(path);
    if (!match) continue;
    const [, namespaced, resource, byName, subresource] = match;
    const name = subresource ? `${resource}/${subresource}` : resource!;
    const entry = resources.get(name) ?? { namespaced: false, verbs: new Set<string>() };
    if (namespaced) entry.namespaced = true;
    for (const verb of verbsOf(spec, method, Boolean(byName), operation)) entry.verbs.add(verb);
    if (byName || method === 'post') entry.kind ??= kindOf(spec, operation);
    resources.set(name, entry);
  }
  return [...resources.keys()].sort().map((name) => {
    const { namespaced, verbs } = resources.get(name)!;
    const main = name.split('/')[0]!;
    const kind = resources.get(main)?.kind ?? resources.get(name)!.kind!;
    const isMain = main === name;
    return {
      name,
      singularName: '',
      namespaced,
      kind,
      verbs: [...verbs].sort(),
      ...(isMain && REGISTRY[name]),
      ...(isMain && { storageVersionHash: storageVersionHash('', 'v1', kind) }),
    };
  });
}

const KUBECTL_TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const NS = '/api/v1/namespaces/namespace-test';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ port: 0, spec: SPEC });
});
afterAll(() => server?.close());

async function get(
  path: string,
  accept?: string,
  target: MockServer = server,
): Promise<{ status: number; type: string | null; text: string; json: any }> {
  const answer = await request(target.url + path, {
    token: null,
    headers: { authorization: `Bearer ${TOKEN}`, ...(accept !== undefined && { accept }) },
  });
  return { status: answer.status, type: answer.headers.get('content-type'), text: answer.text, json: answer.json };
}

describe('discovery, derived from the spec', () => {
  it('/api lists the core version and the address the client used', async () => {
    const answer = await get('/api');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: new URL(server.url).host }],
    });
  });

  // The verbs kube-apiserver v1.20 lists for services and services/status were checked against a
  // real one; the list is derived from the spec, so an operation added to spec/ shows up here.
  it('/api/v1 lists every resource of the spec with the verbs of the operations present', async () => {
    const answer = await get('/api/v1');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ kind: 'APIResourceList', groupVersion: 'v1', resources: expectedResources(SPEC) });
    expect(answer.json.resources).toContainEqual({
      name: 'services',
      singularName: '',
      namespaced: true,
      kind: 'Service',
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['svc'],
      categories: ['all'],
      storageVersionHash: '0/CO1lhkEBI=',
    });
    expect(answer.json.resources).toContainEqual({
      name: 'services/status',
      singularName: '',
      namespaced: true,
      kind: 'Service',
      verbs: ['get', 'patch', 'update'],
    });
  });

  it('the verbs follow the spec: without the collection paths (list, watch, create), each resource has the by-name verbs only', async () => {
    const spec = structuredClone(SPEC);
    for (const path of Object.keys(spec.paths)) if (!path.includes('{name}')) delete spec.paths[path];
    const reduced = await startMockServer({ port: 0, spec });
    try {
      const resources = (await get('/api/v1', undefined, reduced)).json.resources;
      expect(resources).toEqual(expectedResources(spec));
      const services = resources.find((r: { name: string }) => r.name === 'services');
      expect(services.verbs).toEqual(['delete', 'get', 'patch', 'update']);
      for (const resource of resources) expect(resource.verbs).not.toContain('list');
    } finally {
      await reduced.close();
    }
  });

  it('/apis is an empty group list; /version is a version.Info, always indented', async () => {
    expect((await get('/apis')).json).toEqual({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    const version = await get('/version');
    expect(Object.keys(version.json)).toEqual([
      'major',
      'minor',
      'gitVersion',
      'gitCommit',
      'gitTreeState',
      'buildDate',
      'goVersion',
      'compiler',
      'platform',
    ]);
    expect(version.json).toMatchObject({ major: '1', minor: '20', gitVersion: 'v1.20.2', compiler: 'gc' });
    expect(version.text).toContain('\n  "major": "1"');
  });

  it('discovery answers YAML when asked, and refuses a Table (406)', async () => {
    const yaml = await get('/api/v1', 'application/yaml');
    expect(yaml.type).toBe('application/yaml');
    expect(YAML.parse(yaml.text)).toEqual((await get('/api/v1')).json);
    expect(YAML.parse(yaml.text).resources.map((r: { name: string }) => r.name)).toContain('services');
    expect((await get('/api', 'application/json;as=Table;v=v1;g=meta.k8s.io')).status).toBe(406);
  });

  it('storageVersionHash is apimachinery’s', () => {
    expect(storageVersionHash('', 'v1', 'Pod')).toBe('xPOwRZ+Yhw8=');
    expect(storageVersionHash('apps', 'v1', 'Deployment')).toBe('8aSe+NMegvE=');
  });
});

describe('Table answers (kubectl get)', () => {
  it('a read with kubectl’s Accept is a meta.k8s.io/v1 Table with the Service columns and serviceTableRow cells', async () => {
    const object = (await get(`${NS}/services/web-elb`)).json;
    const answer = await get(`${NS}/services/web-elb`, KUBECTL_TABLE_ACCEPT);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/json');
    const table = answer.json;
    expect(table).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: object.metadata.resourceVersion },
    });
    expect(table.columnDefinitions).toEqual(SERVICE_TABLE_COLUMNS);
    expect(table.rows).toHaveLength(1);
    const cells = table.rows[0].cells as string[];
    const expected = serviceTableRow(object, { now: Date.now(), wide: true });
    expect([...cells.slice(0, 5), cells[6]]).toEqual([...expected.slice(0, 5), expected[6]]);
    expect(cells.slice(0, 5)).toEqual([
      'web-elb',
      'LoadBalancer',
      object.spec.clusterIP,
      expect.stringContaining(','),
      expect.stringMatching(/^80:\d+\/TCP,443:\d+\/TCP$/),
    ]);
    expect(table.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: object.metadata,
    });
  });

  it('answers v1beta1 when that is the form offered (kubectl 1.20’s second choice)', async () => {
    const table = (await get(`${NS}/services/redis`, 'application/json;as=Table;v=v1beta1;g=meta.k8s.io')).json;
    expect(table.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(table.rows[0].object.apiVersion).toBe('meta.k8s.io/v1beta1');
  });

  it('includeObject=Object carries the whole object, None none; another value is 400', async () => {
    const object = (await get(`${NS}/services/redis`)).json;
    expect((await get(`${NS}/services/redis?includeObject=Object`, KUBECTL_TABLE_ACCEPT)).json.rows[0].object).toEqual(
      object,
    );
    expect((await get(`${NS}/services/redis?includeObject=None`, KUBECTL_TABLE_ACCEPT)).json.rows[0].object).toBeNull();
    const bad = await get(`${NS}/services/redis?includeObject=Everything`, KUBECTL_TABLE_ACCEPT);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ reason: 'BadRequest', message: 'unrecognized includeObject value: "Everything"' });
  });

  it('a list is a Table with one row per Service, in the list’s order', async () => {
    const list = (await get(`${NS}/services`)).json;
    const table = (await get(`${NS}/services?limit=500`, KUBECTL_TABLE_ACCEPT)).json;
    expect(table.kind).toBe('Table');
    expect(table.metadata.resourceVersion).toBe(list.metadata.resourceVersion);
    expect(table.rows.map((row: { cells: string[] }) => row.cells[0])).toEqual(
      list.items.map((item: { metadata: { name: string } }) => item.metadata.name),
    );
    expect(table.rows.length).toBeGreaterThan(1);
  });

  it('the /status subresource has no Table: kubectl’s Accept falls back to JSON, a Table-only Accept is 406', async () => {
    const fallback = await get(`${NS}/services/redis/status`, KUBECTL_TABLE_ACCEPT);
    expect(fallback.status).toBe(200);
    expect(fallback.json.kind).toBe('Service');
    const refused = await get(`${NS}/services/redis/status`, 'application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(refused.status).toBe(406);
    // As kube-apiserver's WriteRawJSON: JSON, indented whatever the client.
    expect(refused.type).toBe('application/json');
    expect(refused.text).toContain('\n  "kind": "Status"');
  });

  it('a Table of another group or version, or PartialObjectMetadata, is not offered: 406 when nothing else is acceptable', async () => {
    expect((await get(`${NS}/services/redis`, 'application/json;as=Table;v=v2;g=meta.k8s.io')).status).toBe(406);
    expect((await get(`${NS}/services/redis`, 'application/json;as=Table;v=v1;g=example.com')).status).toBe(406);
    expect(
      (await get(`${NS}/services/redis`, 'application/json;as=Table;v=v2;g=meta.k8s.io, application/yaml')).type,
    ).toBe('application/yaml');
  });
});

describe('YAML', () => {
  it('a GET answers application/yaml with the same object, keys sorted as kube-apiserver writes them', async () => {
    const json = (await get(`${NS}/services/redis/status`)).json;
    const yaml = await get(`${NS}/services/redis/status`, 'application/yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.type).toBe('application/yaml');
    expect(YAML.parse(yaml.text)).toEqual(json);
    expect(yaml.text.startsWith('apiVersion: v1\nkind: Service\nmetadata:\n')).toBe(true);
    expect(yaml.text).toMatch(/creationTimestamp: "\d{4}-\d\d-\d\dT/);
  });

  it('errors come in YAML too when YAML is what the client accepts', async () => {
    const answer = await get(`${NS}/services/nope`, 'application/yaml');
    expect(answer.status).toBe(404);
    expect(answer.type).toBe('application/yaml');
    expect(YAML.parse(answer.text)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'services "nope" not found',
    });
  });

  it('a Table can be YAML as well', async () => {
    const answer = await get(`${NS}/services/redis`, 'application/yaml;as=Table;v=v1;g=meta.k8s.io');
    expect(answer.type).toBe('application/yaml');
    const table = YAML.parse(answer.text);
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(table.rows[0].cells[0]).toBe('redis');
  });
});

describe('Namespaces (kubectl reads one after a 404)', () => {
  it('a namespace that holds Services exists; one that holds none is NotFound', async () => {
    const found = await get('/api/v1/namespaces/namespace-test');
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name: 'namespace-test' },
      status: { phase: 'Active' },
    });
    expect((await get('/api/v1/namespaces/default')).status).toBe(200);
    const missing = await get('/api/v1/namespaces/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
      details: { name: 'nowhere', kind: 'namespaces' },
    });
  });
});
