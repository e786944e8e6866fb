// The six write operations on real sockets (kube profile): create, replace, patch, delete of a
// Service and of its status, with kube-apiserver v1.20's answers (each checked against a real one by
// contract/test/contract-writes.test.ts), allocation from the service range and node ports, dry
// runs, the body limits and formats, RBAC, and watch events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index.js';
import { request, type Answer } from './helpers/http.js';
import { openWatch } from './helpers/watch.js';

const TOKEN = 'writer-token';
const READER = 'reader-token';
let server: MockServer;
const base = (ns = 'team-w') => `/api/v1/namespaces/${ns}/services`;

beforeAll(async () => {
  server = await startMockServer({
    profile: 'kube',
    namespaces: ['team-w'],
    tokens: [TOKEN, { token: READER, namespaces: [], user: 'reader' }],
  });
});
afterAll(() => server.close());

const call = (
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  token = TOKEN,
): Promise<Answer> =>
  request(server.url + path, {
    method,
    token: null,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': contentType }) },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
const svc = (
  name: string,
  spec: Record<string, unknown> = { ports: [{ port: 80 }] },
  metadata: Record<string, unknown> = {},
) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...metadata },
  spec,
});

describe('create', () => {
  it('answers 201 with the defaults, a cluster IP from 10.247.0.0/16, a uid and a new resourceVersion; the read finds it', async () => {
    const before = Number(server.store.resourceVersion());
    const created = await call('POST', base(), svc('web', { ports: [{ port: 80 }], selector: { app: 'web' } }));
    expect(created.status).toBe(201);
    expect(created.json.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(created.json.spec.clusterIP).toMatch(/^10\.247\.\d+\.\d+$/);
    expect(created.json.spec.clusterIPs).toEqual([created.json.spec.clusterIP]);
    expect(created.json.status).toEqual({ loadBalancer: {} });
    expect(created.json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.json.metadata.resourceVersion)).toBe(before + 1);
    expect(created.json.metadata.managedFields[0]).toMatchObject({ operation: 'Update', fieldsType: 'FieldsV1' });
    expect((await call('GET', `${base()}/web`)).json).toEqual(created.json);
  });

  it('allocates node ports in 30000-32767, honours a requested one, and refuses it once taken (422)', async () => {
    const first = await call(
      'POST',
      base(),
      svc('np-a', {
        type: 'NodePort',
        ports: [
          { port: 80, nodePort: 30500 },
          { name: 'b', port: 81 },
        ].map((p, i) => ({ name: `p${i}`, ...p })),
      }),
    );
    expect(first.status).toBe(201);
    expect(first.json.spec.ports[0].nodePort).toBe(30500);
    expect(first.json.spec.ports[1].nodePort).toBeGreaterThanOrEqual(30000);
    expect(first.json.spec.externalTrafficPolicy).toBe('Cluster');
    const second = await call(
      'POST',
      base(),
      svc('np-b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] }),
    );
    expect(second.status).toBe(422);
    expect(second.json.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 30500: provided port is already allocated',
        field: 'spec.ports[0].nodePort',
      },
    ]);
  });

  it('honours a requested cluster IP, refuses a taken or out-of-range one, and releases it on delete', async () => {
    expect(
      (await call('POST', base(), svc('ip-a', { clusterIP: '10.247.33.33', ports: [{ port: 80 }] }))).json.spec
        .clusterIP,
    ).toBe('10.247.33.33');
    const taken = await call('POST', base(), svc('ip-b', { clusterIP: '10.247.33.33', ports: [{ port: 80 }] }));
    expect(taken.json.message).toBe(
      'Service "ip-b" is invalid: spec.clusterIPs: Invalid value: []string{"10.247.33.33"}: failed to allocated ip:10.247.33.33 with error:provided IP is already allocated',
    );
    const outside = await call('POST', base(), svc('ip-c', { clusterIP: '10.1.0.1', ports: [{ port: 80 }] }));
    expect(outside.json.details.causes[0].message).toContain('The range of valid IPs is 10.247.0.0/16');
    expect((await call('DELETE', `${base()}/ip-a`)).status).toBe(200);
    expect((await call('POST', base(), svc('ip-b', { clusterIP: '10.247.33.33', ports: [{ port: 80 }] }))).status).toBe(
      201,
    );
  });

  it('refuses invalid Services with 422 and the real causes', async () => {
    const answer = await call('POST', base(), svc('bad', { ports: [{ port: 0 }, { port: 80, protocol: 'ICMP' }] }));
    expect(answer.status).toBe(422);
    expect(answer.json.reason).toBe('Invalid');
    expect(answer.json.details.causes.map((c: { field: string }) => c.field)).toEqual([
      'spec.ports[0].name',
      'spec.ports[0].port',
      'spec.ports[0].targetPort',
      'spec.ports[1].name',
      'spec.ports[1].protocol',
    ]);
    expect((await call('POST', base(), svc('1abc'))).json.details.causes[0].field).toBe('metadata.name');
  });

  it('generateName adds five random characters; 409 when the name is taken; 404 in a missing namespace', async () => {
    const generated = await call('POST', base(), {
      metadata: { generateName: 'gen-' },
      spec: { ports: [{ port: 80 }] },
    });
    expect(generated.json.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const again = await call('POST', base(), svc(generated.json.metadata.name));
    expect(again.status).toBe(409);
    expect(again.json.reason).toBe('AlreadyExists');
    const missing = await call('POST', base('no-such-ns'), svc('x'));
    expect(missing.json).toMatchObject({
      code: 404,
      message: 'namespaces "no-such-ns" not found',
      details: { name: 'no-such-ns', kind: 'namespaces' },
    });
  });

  it('dryRun=All answers as if created but stores, allocates and announces nothing', async () => {
    const before = server.store.resourceVersion();
    const answer = await call('POST', `${base()}?dryRun=All`, svc('dry'));
    expect(answer.status).toBe(201);
    expect(answer.json.spec.clusterIP).toBeUndefined();
    expect(answer.json.metadata.resourceVersion).toBeUndefined();
    expect(server.store.resourceVersion()).toBe(before);
    expect((await call('GET', `${base()}/dry`)).status).toBe(404);
    expect((await call('POST', `${base()}?dryRun=Foo`, svc('dry'))).json.details).toMatchObject({
      group: 'meta.k8s.io',
      kind: 'CreateOptions',
    });
  });

  it('reads YAML bodies; refuses text/plain (415), malformed JSON (400) and a body over 3 MiB (413)', async () => {
    const yaml = await call(
      'POST',
      base(),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: from-yaml\nspec:\n  ports:\n  - port: 80\n',
      'application/yaml',
    );
    expect(yaml.status).toBe(201);
    expect((await call('POST', base(), svc('plain'), 'text/plain')).json.reason).toBe('UnsupportedMediaType');
    expect((await call('POST', base(), 'not json')).json.message).toBe(
      "the object provided is unrecognized (must be of type Service): couldn't get version/kind; json parse error: invalid character 'o' in literal null (expecting 'u') (6e6f74206a736f6e)",
    );
    const big = await call('POST', base(), `{"x":"${'x'.repeat(3 * 1024 * 1024)}"}`);
    expect(big.json).toMatchObject({
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: limit is 3145728',
    });
  });
});

describe('replace, patch, delete', () => {
  it('PUT needs the current resourceVersion: 200 with it, 422 without, 409 when stale; status is kept', async () => {
    const live = (await call('POST', base(), svc('put-me'))).json;
    const edited = {
      ...live,
      metadata: { ...live.metadata, labels: { v: '2' } },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
    };
    const replaced = await call('PUT', `${base()}/put-me`, edited);
    expect(replaced.status).toBe(200);
    expect(replaced.json.metadata.labels).toEqual({ v: '2' });
    expect(replaced.json.status).toEqual({ loadBalancer: {} });
    const stale = await call('PUT', `${base()}/put-me`, edited);
    expect(stale.json).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(stale.json.message).toBe(
      'Operation cannot be fulfilled on services "put-me": the object has been modified; please apply your changes to the latest version and try again',
    );
    const { resourceVersion: _rv, ...noVersion } = replaced.json.metadata;
    expect(
      (await call('PUT', `${base()}/put-me`, { ...replaced.json, metadata: noVersion })).json.details.causes[0],
    ).toEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "": must be specified for an update',
      field: 'metadata.resourceVersion',
    });
    expect((await call('PUT', `${base()}/nope`, svc('nope'))).status).toBe(404);
  });

  it('PUT /status changes the status and the labels, never the spec', async () => {
    const live = (await call('POST', base(), svc('lb-status', { type: 'LoadBalancer', ports: [{ port: 80 }] }))).json;
    const answer = await call('PUT', `${base()}/lb-status/status`, {
      ...live,
      metadata: { ...live.metadata, labels: { s: '1' } },
      spec: { ...live.spec, ports: [{ port: 99 }] },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.9' }] } },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.spec.ports[0].port).toBe(80);
    expect(answer.json.metadata.labels).toEqual({ s: '1' });
    expect(answer.json.status.loadBalancer.ingress).toEqual([{ ip: '192.0.2.9' }]);
  });

  it('PATCH in the four formats; 415 for another type; force only with apply; 404 when missing, except apply (201)', async () => {
    await call('POST', base(), svc('patch-me', { ports: [{ name: 'a', port: 80 }] }));
    expect(
      (await call('PATCH', `${base()}/patch-me`, { metadata: { labels: { m: '1' } } }, 'application/merge-patch+json'))
        .json.metadata.labels,
    ).toEqual({
      m: '1',
    });
    const json = await call(
      'PATCH',
      `${base()}/patch-me`,
      [{ op: 'replace', path: '/spec/ports/0/port', value: 8080 }],
      'application/json-patch+json',
    );
    expect(json.json.spec.ports[0].port).toBe(8080);
    const strategic = await call(
      'PATCH',
      `${base()}/patch-me`,
      { spec: { ports: [{ name: 'b', port: 81 }] } },
      'application/strategic-merge-patch+json',
    );
    expect(
      strategic.json.spec.ports.map((p: { port: number }) => p.port).sort((a: number, b: number) => a - b),
    ).toEqual([81, 8080]);
    expect((await call('PATCH', `${base()}/patch-me`, {}, 'application/json')).json).toMatchObject({
      code: 415,
      message: '415: Unsupported Media Type',
    });
    expect(
      (await call('PATCH', `${base()}/patch-me?force=true`, {}, 'application/merge-patch+json')).json.details.causes[0]
        .field,
    ).toBe('force');
    expect((await call('PATCH', `${base()}/missing`, {}, 'application/merge-patch+json')).status).toBe(404);
    const applied = await call(
      'PATCH',
      `${base()}/applied?fieldManager=me`,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: applied\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n',
      'application/apply-patch+yaml',
    );
    expect(applied.status).toBe(201);
    expect(applied.json.metadata.managedFields[0]).toMatchObject({ manager: 'me', operation: 'Apply' });
  });

  it('DELETE answers Status Success with the uid; preconditions conflict (409); dryRun keeps it; 404 afterwards', async () => {
    const live = (await call('POST', base(), svc('del-me'))).json;
    const uidMismatch = await call('DELETE', `${base()}/del-me`, { preconditions: { uid: 'nope' } });
    expect(uidMismatch.json.message).toBe(
      `Operation cannot be fulfilled on Service "del-me": the UID in the precondition (nope) does not match the UID in record (${live.metadata.uid}). The object might have been deleted and then recreated`,
    );
    expect((await call('DELETE', `${base()}/del-me?dryRun=All`)).status).toBe(200);
    expect((await call('GET', `${base()}/del-me`)).status).toBe(200);
    const deleted = await call('DELETE', `${base()}/del-me`);
    expect(deleted.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'del-me', kind: 'services', uid: live.metadata.uid },
    });
    expect((await call('DELETE', `${base()}/del-me`)).status).toBe(404);
  });

  it('a user without rights gets 403 naming the verb of each write', async () => {
    const verbs = [
      ['POST', base(), 'create'],
      ['PUT', `${base()}/x`, 'update'],
      ['PATCH', `${base()}/x`, 'patch'],
      ['DELETE', `${base()}/x`, 'delete'],
    ] as const;
    for (const [method, path, verb] of verbs) {
      const answer = await call(
        method,
        path,
        {},
        method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
        READER,
      );
      expect(answer.status).toBe(403);
      expect(answer.json.message).toContain(`cannot ${verb} resource "services"`);
    }
  });
});

describe('watch', () => {
  it('a watch on metadata.name sees ADDED, MODIFIED and DELETED, each with a newer resourceVersion', async () => {
    const watch = await openWatch(`${server.url}${base()}?watch=1&fieldSelector=metadata.name%3Dwatched`, {
      authorization: `Bearer ${TOKEN}`,
    });
    await call('POST', base(), svc('other'));
    const created = (await call('POST', base(), svc('watched'))).json;
    await call('PATCH', `${base()}/watched`, { metadata: { labels: { w: '1' } } }, 'application/merge-patch+json');
    await call('POST', `${base()}?dryRun=All`, svc('watched-dry'));
    await call('DELETE', `${base()}/watched`);
    const events = [await watch.next(), await watch.next(), await watch.next()];
    watch.close();
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events.every((e) => e.object.metadata.name === 'watched')).toBe(true);
    const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(versions[0]).toBe(Number(created.metadata.resourceVersion));
    expect(versions[1]! > versions[0]! && versions[2]! > versions[1]!).toBe(true);
  });
});

describe('bounded work', () => {
  it('a body listing 20,000 ports is answered at once; when the node ports run out the answer is 500, as kube-apiserver words it', async () => {
    const ports = Array.from({ length: 20_000 }, (_, i) => ({ name: `p${i}`, port: (i % 65000) + 1 }));
    const started = performance.now();
    const answer = await call('POST', base(), svc('many', { type: 'NodePort', ports }));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(answer.json).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: failed to allocate a nodePort: range is full',
    });
    expect((await call('GET', `${base()}/many`)).status).toBe(404);
  });
});
