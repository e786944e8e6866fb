// The profiles' own write rules on real sockets: `cci` refuses a LoadBalancer Service without the
// three annotations CCI's "Creating a Service" page requires (src/writes/cci-rules.ts); `cce` lets
// a Service's type only widen (src/writes/cce-rules.ts); `kube` has neither.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index.js';
import { CCI_LOAD_BALANCER_ANNOTATIONS } from '../src/writes/cci-rules.js';
import { request } from './helpers/http.js';

const path = '/api/v1/namespaces/namespace-test/services';
const lb = (name: string, annotations?: Record<string, string>) => ({
  metadata: { name, ...(annotations && { annotations }) },
  spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
});
const post = (server: MockServer, body: unknown) =>
  request(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('cci profile (default)', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ port: 0 });
  });
  afterAll(() => server.close());

  it('refuses a LoadBalancer Service without the ELB and tenant annotations: 422, one cause per missing annotation', async () => {
    const answer = await post(server, lb('no-elb', { 'kubernetes.io/elb.id': 'elb-1' }));
    expect(answer.status).toBe(422);
    expect(answer.json.details.causes).toEqual(
      CCI_LOAD_BALANCER_ANNOTATIONS.slice(1).map((name) => ({
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: `metadata.annotations[${name}]`,
      })),
    );
    expect(answer.json.message).toBe(
      'Service "no-elb" is invalid: [metadata.annotations[tenant.kubernetes.io/project-id]: Required value, metadata.annotations[tenant.kubernetes.io/domain-id]: Required value]',
    );
  });

  it('creates it with the three annotations, and a ClusterIP Service needs none', async () => {
    const annotations = Object.fromEntries(CCI_LOAD_BALANCER_ANNOTATIONS.map((name) => [name, 'x']));
    expect((await post(server, lb('with-elb', annotations))).status).toBe(201);
    expect((await post(server, { metadata: { name: 'plain' }, spec: { ports: [{ port: 80 }] } })).status).toBe(201);
  });

  it('the same rule holds when a patch turns a Service into a LoadBalancer', async () => {
    await post(server, { metadata: { name: 'grow' }, spec: { ports: [{ port: 80 }] } });
    const answer = await request(`${server.url}${path}/grow`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { type: 'LoadBalancer' } }),
    });
    expect(answer.status).toBe(422);
    expect(answer.json.details.causes).toHaveLength(3);
  });
});

describe('cce profile', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ profile: 'cce', tokens: ['t'] });
  });
  afterAll(() => server.close());
  const patchType = (name: string, type: string) =>
    request(`${server.url}${path}/${name}`, {
      method: 'PATCH',
      token: null,
      headers: { authorization: 'Bearer t', 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { type } }),
    });

  it('lets the type widen (ClusterIP → NodePort → LoadBalancer) and refuses it back (422 on spec.type)', async () => {
    const created = await request(server.url + path, {
      method: 'POST',
      token: null,
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'widen' }, spec: { ports: [{ port: 80 }] } }),
    });
    expect(created.status).toBe(201);
    expect((await patchType('widen', 'NodePort')).status).toBe(200);
    expect((await patchType('widen', 'LoadBalancer')).status).toBe(200);
    const back = await patchType('widen', 'NodePort');
    expect(back.status).toBe(422);
    expect(back.json.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'spec.type' });
  });
});

describe('namespaces option', () => {
  it('makes a namespace exist for writes (and for kubectl’s namespace read); refuses a name that cannot be one', async () => {
    const server = await startMockServer({ profile: 'kube', tokens: ['t'], namespaces: ['team-x'] });
    try {
      const headers = { authorization: 'Bearer t', 'content-type': 'application/json' };
      const body = JSON.stringify({ metadata: { name: 'a' }, spec: { ports: [{ port: 80 }] } });
      expect(
        (
          await request(`${server.url}/api/v1/namespaces/team-x/services`, {
            method: 'POST',
            token: null,
            headers,
            body,
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await request(`${server.url}/api/v1/namespaces/team-y/services`, {
            method: 'POST',
            token: null,
            headers,
            body,
          })
        ).status,
      ).toBe(404);
      expect(
        (await request(`${server.url}/api/v1/namespaces/team-x`, { token: null, headers })).json.metadata.name,
      ).toBe('team-x');
    } finally {
      await server.close();
    }
    await expect(startMockServer({ profile: 'kube', namespaces: ['Team_X'] })).rejects.toThrow(/not a namespace name/);
  });
});
