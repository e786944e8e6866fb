import { afterEach, describe, expect, it } from 'vitest';
import { CciApiError, CciTimeoutError } from '../src/index.js';
import type { ServiceWatchEvent } from '../src/services/list-watch.js';
import { clientFor, TOKEN } from './helpers/client.js';
import { service, startFakeApiServer, type FakeApiServer } from './helpers/fake-apiserver.js';
import { startServer, type TestServer } from './helpers/server.js';

let api: FakeApiServer | undefined;
let plain: TestServer | undefined;
afterEach(async () => {
  await api?.close();
  await plain?.close();
  api = plain = undefined;
});

async function first(events: AsyncGenerator<ServiceWatchEvent>): Promise<ServiceWatchEvent> {
  const { value, done } = await events.next();
  await events.return(undefined);
  if (done) throw new Error('no event');
  return value;
}

describe('watch streams take the client pipeline', () => {
  it('carry the auth header and run client.use() middleware (onRequest, and onResponse with the live body)', async () => {
    api = await startFakeApiServer([service('default', 'a')]);
    const client = clientFor(api.server);
    const seen: string[] = [];
    client.use({
      onRequest: ({ request, schemaPath }) => {
        seen.push(`request ${schemaPath}`);
        request.headers.set('x-trace', 'w1');
        return request;
      },
      onResponse: ({ response }) => {
        seen.push(`response ${response.status} ${response.headers.get('content-type')}`);
      },
    });
    const events = client.watchServices({ namespace: 'default', resourceVersion: '100', timeoutSeconds: 60 });
    expect(await first(events)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    const [request] = api.server.requests;
    expect(request!.headers['x-auth-token']).toBe(TOKEN);
    expect(request!.headers['x-trace']).toBe('w1');
    expect(seen).toEqual([
      'request /api/v1/namespaces/{namespace}/services',
      'response 200 application/json;stream=watch',
    ]);
  });

  it('an error answer to the watch request is the usual typed error, after the usual retries (503)', async () => {
    api = await startFakeApiServer([]);
    api.failNext(() => true, 503, 'ServiceUnavailable', 2);
    const client = clientFor(api.server);
    const events = client.watchServices({ resourceVersion: '100', timeoutSeconds: 60 });
    const pending = events.next();
    await api.waitForWatches(1);
    api.apply(service('default', 'late'));
    expect((await pending).value).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'late' } } });
    await events.return(undefined);
    expect(api.server.requests).toHaveLength(3); // two 503s retried, then the stream

    api.failNext(() => true, 401, 'Unauthorized', 1);
    const error = await first(client.watchServices({ resourceVersion: '100' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({ status: 401, reason: 'Unauthorized' });
  });

  it('the timeout covers the opening only: headers late → CciTimeoutError; a stream longer than timeoutMs lives on', async () => {
    plain = await startServer(() => undefined); // never answers
    const error = await first(clientFor(plain, { timeoutMs: 200 }).watchServices({ resourceVersion: '1' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CciTimeoutError);

    api = await startFakeApiServer([]);
    const client = clientFor(api.server, { timeoutMs: 400 });
    const events = client.watchServices({ resourceVersion: '100', timeoutSeconds: 60 });
    const pending = events.next();
    await api.waitForWatches(1);
    await new Promise((resolve) => setTimeout(resolve, 1_300)); // three timeouts long
    api.apply(service('default', 'b'));
    expect((await pending).value).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'b' } } });
    await events.return(undefined);
    expect(api.server.requests.filter((r) => r.url.includes('watch=true'))).toHaveLength(1); // not cut and resumed
  });

  it('a stream holds a concurrency slot only while it opens: with concurrency 1 other calls still run', async () => {
    api = await startFakeApiServer([service('default', 'redis')]);
    const client = clientFor(api.server, { concurrency: 1 });
    const controller = new AbortController();
    const pending = client
      .watchServices({ resourceVersion: '101', timeoutSeconds: 60, signal: controller.signal })
      .next();
    await api.waitForWatches(1);
    const read = await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    expect(read.metadata.name).toBe('redis');
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('listServices, watchServices and the informer are on the client, over its generated list operations', async () => {
    api = await startFakeApiServer([service('default', 'a'), service('default', 'b'), service('other', 'c')]);
    const client = clientFor(api.server);
    const names: string[] = [];
    for await (const s of client.listServices({ pageSize: 2 }))
      names.push(`${s.metadata.namespace}/${s.metadata.name}`);
    expect(names).toEqual(['default/a', 'default/b', 'other/c']);
    const informer = client.createServiceInformer({ namespace: 'default' });
    await informer.synced();
    expect(informer.list().map((s) => s.metadata.name)).toEqual(['a', 'b']);
    await informer.stop();
    const paths = api.server.requests.map((r) => new URL(r.url, 'http://x').pathname);
    expect(paths).toContain('/api/v1/services');
    expect(paths).toContain('/api/v1/namespaces/default/services');
  });
});
