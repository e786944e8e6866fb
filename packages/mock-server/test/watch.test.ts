// Watch streams (?watch=true on list operations) over real HTTP, driven by the store API.
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixtures, startMockServer, type MockServer } from '../src/index.js';
import { request } from './helpers/http.js';
import { serviceProblems, statusProblems } from './helpers/spec.js';
import { openWatch, type OpenWatch } from './helpers/watch.js';

const base = loadFixtures();
const redis = base.find((s) => s.metadata.name === 'redis')!;
const service = (namespace: string, name: string, labels?: Record<string, string>) => {
  const copy = structuredClone(redis);
  copy.metadata = { ...copy.metadata, namespace, name };
  if (labels) copy.metadata.labels = labels;
  else delete copy.metadata.labels;
  return copy;
};

const servers: MockServer[] = [];
const watches: OpenWatch[] = [];
afterEach(async () => {
  for (const watch of watches.splice(0)) watch.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(options: Parameters<typeof startMockServer>[0] = {}) {
  // kube: several cases watch every namespace, which the cci profile refuses.
  const server = await startMockServer({
    profile: 'kube',
    port: 0,
    fixtures: [service('team-a', 'alpha', { app: 'web' }), service('team-a', 'beta'), service('team-b', 'gamma')],
    ...options,
  });
  servers.push(server);
  return server;
}
async function watch(server: MockServer, path: string) {
  const opened = await openWatch(server.url + path);
  watches.push(opened);
  return opened;
}
const id = (event: { type: string; object: any }) =>
  `${event.type} ${event.object.metadata?.namespace ?? ''}/${event.object.metadata?.name ?? ''}`;

describe('watch', () => {
  it('streams newline-delimited JSON, chunked, labelled application/json as kube-apiserver does: a synthetic ADDED per object, then the changes', async () => {
    const server = await start();
    const stream = await watch(server, '/api/v1/namespaces/team-a/services?watch=true');
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('application/json');
    expect(stream.headers['transfer-encoding']).toBe('chunked');
    expect(id(await stream.next())).toBe('ADDED team-a/alpha');
    expect(id(await stream.next())).toBe('ADDED team-a/beta');

    const applied = server.store.apply(service('team-a', 'delta'));
    const added = await stream.next();
    expect(id(added)).toBe('ADDED team-a/delta');
    expect(added.object.metadata.resourceVersion).toBe(applied.metadata.resourceVersion);
    expect(serviceProblems(added.object)).toEqual([]);

    server.store.apply({ ...service('team-a', 'delta'), spec: { ...redis.spec, sessionAffinity: 'ClientIP' } });
    const modified = await stream.next();
    expect(id(modified)).toBe('MODIFIED team-a/delta');
    expect(modified.object.spec.sessionAffinity).toBe('ClientIP');

    server.store.apply(service('team-b', 'elsewhere')); // another namespace: not seen
    const deleted = server.store.delete('team-a', 'delta');
    const gone = await stream.next();
    expect(id(gone)).toBe('DELETED team-a/delta');
    expect(gone.object.metadata.resourceVersion).toBe(deleted?.metadata.resourceVersion);
    expect(Number(gone.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(modified.object.metadata.resourceVersion),
    );
  });

  it('with a resourceVersion: only the changes after it, no synthetic ADDED', async () => {
    const server = await start();
    const listed = await request(`${server.url}/api/v1/services`);
    const from = listed.json.metadata.resourceVersion;
    server.store.apply(service('team-a', 'one'));
    server.store.delete('team-b', 'gamma');
    const stream = await watch(server, `/api/v1/services?watch=1&resourceVersion=${from}`);
    expect(id(await stream.next())).toBe('ADDED team-a/one');
    expect(id(await stream.next())).toBe('DELETED team-b/gamma');
    server.store.apply(service('team-c', 'two'));
    expect(id(await stream.next())).toBe('ADDED team-c/two');
  });

  it('too old a resourceVersion: an ERROR event with a 410 Expired Status, then the end of the stream', async () => {
    const server = await start({ historySize: 2 });
    const old = server.store.resourceVersion();
    for (let i = 0; i < 3; i += 1) server.store.apply(service('team-a', `n${i}`));
    const stream = await watch(server, `/api/v1/services?watch=true&resourceVersion=${old}`);
    expect(stream.status).toBe(200);
    const events = await stream.rest();
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe('ERROR');
    expect(statusProblems(events[0]?.object)).toEqual([]);
    expect(events[0]?.object).toMatchObject({ kind: 'Status', status: 'Failure', code: 410, reason: 'Expired' });
    expect(events[0]?.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('selectors apply: an object that stops matching is sent as DELETED, one that starts matching as ADDED', async () => {
    const server = await start();
    const stream = await watch(server, '/api/v1/services?watch=true&labelSelector=app%3Dweb');
    expect(id(await stream.next())).toBe('ADDED team-a/alpha');
    server.store.apply(service('team-a', 'alpha', { app: 'db' }));
    const left = await stream.next();
    expect(id(left)).toBe('DELETED team-a/alpha');
    // The last content that matched, at the version of the change that made it leave.
    expect(left.object.metadata.labels).toEqual({ app: 'web' });
    expect(left.object.metadata.resourceVersion).toBe(server.store.resourceVersion());
    server.store.apply(service('team-a', 'beta', { app: 'web' }));
    expect(id(await stream.next())).toBe('ADDED team-a/beta');
    server.store.apply(service('team-a', 'beta', { app: 'web', tier: 'x' }));
    expect(id(await stream.next())).toBe('MODIFIED team-a/beta');
  });

  it('a field selector narrows to one object (as waitForLoadBalancerIngress uses it)', async () => {
    const server = await start();
    const stream = await watch(
      server,
      '/api/v1/namespaces/team-a/services?watch=true&fieldSelector=metadata.name%3Dbeta',
    );
    expect(id(await stream.next())).toBe('ADDED team-a/beta');
    server.store.apply(service('team-a', 'alpha', { app: 'other' }));
    server.store.apply(service('team-a', 'beta', { app: 'now' }));
    expect(id(await stream.next())).toBe('MODIFIED team-a/beta');
  });

  it('BOOKMARK events carry only kind, apiVersion and metadata.resourceVersion, when allowed', async () => {
    const server = await start({ watch: { bookmarkIntervalMs: 50 } });
    const stream = await watch(server, '/api/v1/namespaces/team-b/services?watch=true&allowWatchBookmarks=true');
    expect(id(await stream.next())).toBe('ADDED team-b/gamma');
    const bookmark = await stream.next();
    expect(bookmark).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: server.store.resourceVersion() } },
    });
    // Without allowWatchBookmarks, none.
    const quiet = await watch(server, '/api/v1/namespaces/team-b/services?watch=true&timeoutSeconds=1');
    const events = await quiet.rest();
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
  });

  it('ends after timeoutSeconds', async () => {
    const server = await start();
    const stream = await watch(server, '/api/v1/namespaces/team-b/services?watch=true&timeoutSeconds=1');
    const events = await stream.rest();
    expect(stream.ended()).toBe(true);
    expect(events.map(id)).toEqual(['ADDED team-b/gamma']);
  });

  it('the provisioning fault emits a MODIFIED event when the ingress appears', async () => {
    const elb = base.find((s) => s.metadata.name === 'web-elb')!;
    const server = await start({ fixtures: [elb], faults: { provisioning: { delayMs: 300 } } });
    const stream = await watch(server, '/api/v1/namespaces/namespace-test/services?watch=true');
    const first = await stream.next();
    expect(id(first)).toBe('ADDED namespace-test/web-elb');
    expect(first.object.status.loadBalancer).toEqual({});
    const ready = await stream.next();
    expect(id(ready)).toBe('MODIFIED namespace-test/web-elb');
    expect(ready.object.status.loadBalancer.ingress).toEqual(elb.status.loadBalancer?.ingress);
  });

  it('server.close() ends open watches cleanly, and close resolves', async () => {
    const server = await start();
    const streams = await Promise.all([
      watch(server, '/api/v1/services?watch=true'),
      watch(server, '/api/v1/namespaces/team-a/services?watch=true&allowWatchBookmarks=1'),
    ]);
    await streams[0].next();
    await server.close();
    for (const stream of streams) {
      await stream.rest();
      expect(stream.ended()).toBe(true);
      expect(stream.complete()).toBe(true);
    }
  });

  it('a malformed selector (400) or resourceVersion (500, as kube-apiserver v1.20) is answered before the stream starts', async () => {
    const server = await start();
    const bad = await request(`${server.url}/api/v1/services?watch=true&labelSelector=a%20in`);
    expect(bad.status).toBe(400);
    expect(bad.json.kind).toBe('Status');
    const badVersion = await request(`${server.url}/api/v1/services?watch=true&resourceVersion=abc`);
    expect(badVersion.status).toBe(500);
    expect(badVersion.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
      code: 500,
    });
  });

  it('resourceVersionMatch is forbidden for a watch (422), and a watch can be asked for as application/json;stream=watch', async () => {
    const server = await start();
    const invalid = await request(
      `${server.url}/api/v1/services?watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan`,
    );
    expect(invalid.status).toBe(422);
    expect(invalid.json.message).toContain('resourceVersionMatch is forbidden for watch');
    const stream = await openWatch(`${server.url}/api/v1/namespaces/team-b/services?watch=true&timeoutSeconds=1`, {
      accept: 'application/json;stream=watch',
    });
    watches.push(stream);
    expect(stream.status).toBe(200);
    expect((await stream.rest()).map(id)).toEqual(['ADDED team-b/gamma']);
  });

  it('a scoped token may watch its namespace only', async () => {
    const server = await start({ tokens: [{ token: 'team-a-token', user: 'team-a', namespaces: ['team-a'] }] });
    const refused = await request(`${server.url}/api/v1/namespaces/team-b/services?watch=true`, {
      token: 'team-a-token',
    });
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe(
      'services is forbidden: User "team-a" cannot watch resource "services" in API group "" in the namespace "team-b"',
    );
  });
});
