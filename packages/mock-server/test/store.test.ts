// The programmatic store API: apply, delete, get, list, one resourceVersion counter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateServices, InvalidObjectError, loadFixtures, startMockServer, type MockServer } from '../src/index.js';
import { request, statusPath } from './helpers/http.js';
import { serviceProblems } from './helpers/spec.js';

const redis = loadFixtures().find((s) => s.metadata.name === 'redis')!;
let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ port: 0 });
});
afterAll(() => server.close());

describe('mock.store', () => {
  it('apply creates, then replaces, bumping the store-wide resourceVersion each time; answers follow', async () => {
    const before = Number(server.store.resourceVersion());
    const created = server.store.apply({
      ...structuredClone(redis),
      metadata: { ...redis.metadata, name: 'cache', namespace: 'team-a' },
    });
    expect(created.metadata.resourceVersion).toBe(String(before + 1));
    expect(Object.isFrozen(created)).toBe(true);
    expect((await request(server.url + statusPath('team-a', 'cache'))).json.metadata.resourceVersion).toBe(
      String(before + 1),
    );
    const replaced = server.store.apply({
      ...structuredClone(created),
      spec: { ...created.spec, sessionAffinity: 'ClientIP' },
    });
    expect(replaced.metadata.resourceVersion).toBe(String(before + 2));
    expect(server.store.get('team-a', 'cache')?.spec.sessionAffinity).toBe('ClientIP');
    expect(server.store.list({ namespace: 'team-a' }).map((s) => s.metadata.name)).toEqual(['cache']);
  });

  it('delete removes, bumps the resourceVersion, returns the deleted object; the read then 404s', async () => {
    server.store.apply({
      ...structuredClone(redis),
      metadata: { ...redis.metadata, name: 'temp', namespace: 'team-a' },
    });
    const before = Number(server.store.resourceVersion());
    expect(server.store.delete('team-a', 'temp')?.metadata.resourceVersion).toBe(String(before + 1));
    expect(server.store.delete('team-a', 'temp')).toBeUndefined();
    expect(server.store.resourceVersion()).toBe(String(before + 1));
    expect((await request(server.url + statusPath('team-a', 'temp'))).status).toBe(404);
  });

  it('lists in namespace/name order across namespaces', () => {
    const all = server.store.list().map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
    expect(all).toEqual([...all].sort());
    expect(all).toContain('namespace-test/redis');
  });

  it('refuses an object the spec does not describe, with a typed error, and changes nothing', () => {
    const before = server.store.resourceVersion();
    expect(() =>
      server.store.apply({ ...structuredClone(redis), spec: { ports: [{ port: 70000 }] } } as never),
    ).toThrow(InvalidObjectError);
    expect(() => server.store.apply({ metadata: {} } as never)).toThrow(/needs metadata\.name/);
    expect(() => server.store.apply(null as never)).toThrow(InvalidObjectError);
    expect(server.store.resourceVersion()).toBe(before);
  });

  it('keeps the fixtures’ own resourceVersions and counts on from the highest of them', async () => {
    const fresh = await startMockServer({ port: 0 });
    try {
      const versions = fresh.store.list().map((s) => Number(s.metadata.resourceVersion));
      expect(Number(fresh.store.resourceVersion())).toBe(Math.max(...versions));
    } finally {
      await fresh.close();
    }
  });
});

describe('generated Services (--generate)', () => {
  it('are valid against the spec, of every type, over a few namespaces, and the same for the same count', () => {
    const services = generateServices(60);
    for (const service of services) expect(serviceProblems(service), service.metadata.name).toEqual([]);
    expect(new Set(services.map((s) => s.spec.type))).toEqual(
      new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']),
    );
    expect(new Set(services.map((s) => s.metadata.namespace)).size).toBe(5);
    expect(new Set(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).size).toBe(60);
    expect(generateServices(60)).toEqual(services);
    expect(() => generateServices(-1)).toThrow(RangeError);
  });

  it('are served next to the fixtures', async () => {
    const big = await startMockServer({ port: 0, generate: 2000 });
    try {
      expect(big.store.list().length).toBe(2005);
      const [one] = generateServices(1);
      expect(
        (await request(big.url + statusPath(one!.metadata.namespace!, one!.metadata.name!))).json.metadata.name,
      ).toBe(one!.metadata.name);
    } finally {
      await big.close();
    }
  });
});
