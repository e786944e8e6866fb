import type { Service } from '@cci-openapi/types';
import { afterEach, describe, expect, it } from 'vitest';
import { CciInputError } from '../src/errors/classes.js';
import type { ServiceInformer } from '../src/services/list-watch.js';
import { service, startFakeApiServer, type FakeApiServer } from './helpers/fake-apiserver.js';
import { clientFor } from './helpers/client.js';

let api: FakeApiServer;
let informer: ServiceInformer | undefined;
afterEach(async () => {
  await informer?.stop();
  informer = undefined;
  await api?.close();
});

/** Records every event as one line, e.g. `add default/a@101`. */
function record(target: ServiceInformer) {
  const log: string[] = [];
  const id = (s: Service) => `${s.metadata.namespace}/${s.metadata.name}@${s.metadata.resourceVersion}`;
  target.on('add', (s) => log.push(`add ${id(s)}`));
  target.on('update', (s, old) => log.push(`update ${id(s)} from @${old.metadata.resourceVersion}`));
  target.on('delete', (s) => log.push(`delete ${id(s)}`));
  target.on('relist', (rv) => log.push(`relist @${rv}`));
  return log;
}

const until = (check: () => unknown) => expect.poll(check, { timeout: 5_000, interval: 5 });

describe('createServiceInformer', () => {
  it('lists into its cache (synced), then keeps it current from the watch, with typed add/update/delete events', async () => {
    api = await startFakeApiServer([service('default', 'a'), service('default', 'b'), service('other', 'c')]);
    informer = clientFor(api.server).createServiceInformer({ namespace: 'default', pageSize: 1 });
    const log = record(informer);
    await informer.synced();
    expect(log).toEqual(['add default/a@101', 'add default/b@102', 'relist @103']);
    expect(informer.list().map((s) => s.metadata.name)).toEqual(['a', 'b']);
    expect(informer.get('default', 'a')?.metadata.resourceVersion).toBe('101');
    expect(informer.get('other', 'c')).toBeUndefined(); // outside its namespace
    expect(informer.latestResourceVersion()).toBe('103');

    await api.waitForWatches(1);
    api.apply(service('default', 'a', { labels: { v: '2' } }));
    api.apply(service('default', 'd'));
    api.remove('default', 'b');
    await until(() => log.length).toBe(6);
    expect(log.slice(3)).toEqual(['update default/a@104 from @101', 'add default/d@105', 'delete default/b@106']);
    expect(
      informer
        .list()
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(['a', 'd']);
    expect(informer.get('default', 'a')?.metadata.labels).toEqual({ v: '2' });
    expect(informer.latestResourceVersion()).toBe('106');
  });

  it('after a 410 it relists and reports what changed meanwhile as add/update/delete', async () => {
    api = await startFakeApiServer([service('default', 'a'), service('default', 'b')]);
    informer = clientFor(api.server).createServiceInformer();
    const log = record(informer);
    await informer.synced();
    await api.waitForWatches(1);
    // The informer misses these changes: the server's history is compacted before it can send them.
    api.mute();
    api.remove('default', 'a');
    api.apply(service('default', 'b', { labels: { v: '2' } }));
    api.apply(service('default', 'c'));
    api.compact();
    api.write(
      '{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version"}}\n',
    );
    await until(() => log.at(-1)).toBe('relist @105');
    expect(log.slice(3)).toEqual([
      'delete default/a@101',
      'update default/b@104 from @102',
      'add default/c@105',
      'relist @105',
    ]);
    expect(
      informer
        .list()
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(['b', 'c']);
  });

  it('emits error and restarts by itself after a failure, resuming from its resourceVersion', async () => {
    api = await startFakeApiServer([service('default', 'a')]);
    informer = clientFor(api.server).createServiceInformer({ restartDelayMs: 10 });
    const errors: unknown[] = [];
    informer.on('error', (error) => errors.push(error));
    const log = record(informer);
    await informer.synced();
    await api.waitForWatches(1);
    api.failNext((u) => u.searchParams.get('watch') === 'true', 500, 'InternalError');
    api.write('{"type":"ERROR","object":{"kind":"Status","code":500,"reason":"InternalError","message":"boom"}}\n');
    await until(() => errors.length).toBe(2); // the ERROR event, then the refused re-watch
    expect(errors.every((e) => (e as { status?: number }).status === 500)).toBe(true);
    await api.waitForWatches(1);
    api.apply(service('default', 'b'));
    await until(() => log.at(-1)).toBe('add default/b@102');
    const watches = api.server.requests
      .map((r) => new URL(r.url, 'http://x'))
      .filter((u) => u.searchParams.get('watch') === 'true');
    expect(watches.map((u) => u.searchParams.get('resourceVersion'))).toEqual(['101', '101', '101']);
    expect(api.server.requests.filter((r) => !r.url.includes('watch=true'))).toHaveLength(1); // no relist
  });

  it('a throwing handler is reported as an error event and does not stop the others', async () => {
    api = await startFakeApiServer([service('default', 'a')]);
    informer = clientFor(api.server).createServiceInformer();
    const errors: unknown[] = [];
    informer.on('error', (error) => errors.push(error));
    informer.on('add', () => {
      throw new Error('handler bug');
    });
    const added: string[] = [];
    const off = informer.on('add', (s) => added.push(s.metadata.name!));
    await informer.synced();
    expect(added).toEqual(['a']);
    expect((errors[0] as Error).message).toBe('handler bug');
    off();
    await api.waitForWatches(1);
    api.apply(service('default', 'b'));
    await until(() => informer!.get('default', 'b')).toBeDefined();
    expect(added).toEqual(['a']); // removed handler not called
  });

  it('resyncMs re-emits update(service, service) for every cached Service', async () => {
    api = await startFakeApiServer([service('default', 'a'), service('default', 'b')]);
    informer = clientFor(api.server).createServiceInformer({ resyncMs: 30 });
    const resynced: string[] = [];
    informer.on('update', (s, old) => {
      if (s === old) resynced.push(s.metadata.name!);
    });
    await informer.synced();
    await until(() => resynced.length).toBeGreaterThanOrEqual(4);
    expect(resynced.slice(0, 4).sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  it('stop() closes the watch; before the first list it rejects synced()', async () => {
    api = await startFakeApiServer([service('default', 'a')]);
    informer = clientFor(api.server).createServiceInformer();
    await informer.synced();
    await api.waitForWatches(1);
    await informer.stop();
    await until(() => api.watches.size).toBe(0);
    expect(informer.get('default', 'a')).toBeDefined(); // the cache stays readable

    api.failNext(() => true, 503, 'ServiceUnavailable', 100);
    const early = clientFor(api.server).createServiceInformer({ restartDelayMs: 10 });
    await early.stop();
    await expect(early.synced()).rejects.toMatchObject({ name: 'AbortError' });
    // Started again once the server answers: a new first list, and synced() resolves.
    api.clearFailures();
    early.start();
    await early.synced();
    expect(early.list().map((s) => s.metadata.name)).toEqual(['a']);
    await early.stop();
  });

  it('rejects bad options at once', async () => {
    api = await startFakeApiServer([]);
    const client = clientFor(api.server);
    expect(() => client.createServiceInformer({ resyncMs: 0 })).toThrow(CciInputError);
    expect(() => client.createServiceInformer({ namespace: '..' })).toThrow(CciInputError);
    expect(() => client.createServiceInformer({ pageSize: -1 })).toThrow(CciInputError);
    expect(api.server.requests).toHaveLength(0);
  });
});
