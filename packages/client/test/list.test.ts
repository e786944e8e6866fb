import { afterEach, describe, expect, it } from 'vitest';
import { CciApiError, CciInputError } from '../src/errors/classes.js';
import { service, startFakeApiServer, type FakeApiServer } from './helpers/fake-apiserver.js';
import { clientFor } from './helpers/client.js';

let api: FakeApiServer;
afterEach(() => api?.close());

const names = (n: number, namespace = 'default') =>
  Array.from({ length: n }, (_, i) =>
    service(namespace, `svc-${String(i).padStart(3, '0')}`, { labels: { app: i % 2 ? 'odd' : 'even' } }),
  );

describe('listServices / listServicePages', () => {
  it('follows continue page by page, each page a ServiceList with its resourceVersion', async () => {
    api = await startFakeApiServer([...names(7), ...names(2, 'other')]);
    const client = clientFor(api.server);
    const pages = [];
    for await (const page of client.listServicePages({ namespace: 'default', pageSize: 3 })) pages.push(page);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.every((p) => p.kind === 'ServiceList' && p.metadata.resourceVersion === String(api.version()))).toBe(
      true,
    );
    const urls = api.server.requests.map((r) => new URL(r.url, 'http://x'));
    expect(urls.map((u) => u.pathname)).toEqual(Array(3).fill('/api/v1/namespaces/default/services'));
    expect(urls.map((u) => u.searchParams.get('limit'))).toEqual(['3', '3', '3']);
    expect(urls[0]!.searchParams.has('continue')).toBe(false);
    expect(urls[1]!.searchParams.get('continue')).toBe(pages[0]!.metadata.continue);
    expect(urls[2]!.searchParams.get('continue')).toBe(pages[1]!.metadata.continue);

    const all = [];
    for await (const item of client.listServices({ namespace: 'default', pageSize: 3 }))
      all.push(`${item.metadata.namespace}/${item.metadata.name}`);
    expect(all).toEqual(names(7).map((s) => `default/${s.metadata.name}`));
  });

  it('asks for the next page while the caller works on this one, and drops it when the caller stops early', async () => {
    api = await startFakeApiServer(names(6));
    const client = clientFor(api.server);
    const seen: number[] = [];
    for await (const page of client.listServicePages({ namespace: 'default', pageSize: 2 })) {
      await api.server.waitForRequests(seen.length + 2); // the next page is already asked for
      seen.push(page.items.length);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([2, 2]);
    // Three requests: the two pages used and the one prefetched when the caller stopped; no more.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.server.requests).toHaveLength(3);
  });

  it('lists all namespaces when no namespace is given, and passes the selectors through', async () => {
    api = await startFakeApiServer([...names(4), ...names(3, 'other')]);
    const client = clientFor(api.server);
    const every = [];
    for await (const item of client.listServices()) every.push(item.metadata.name);
    expect(every).toHaveLength(7);
    expect(new URL(api.server.requests[0]!.url, 'http://x').pathname).toBe('/api/v1/services');
    expect(new URL(api.server.requests[0]!.url, 'http://x').searchParams.get('limit')).toBe('500');

    const odd = [];
    for await (const item of client.listServices({
      labelSelector: 'app=odd',
      fieldSelector: 'metadata.namespace=other',
    }))
      odd.push(item.metadata.name);
    expect(odd).toEqual(['svc-001']);
    const last = new URL(api.server.requests.at(-1)!.url, 'http://x').searchParams;
    expect([last.get('labelSelector'), last.get('fieldSelector')]).toEqual(['app=odd', 'metadata.namespace=other']);
  });

  it('an expired continue token (410 Expired) ends the listing with a typed error saying how far it got', async () => {
    api = await startFakeApiServer(names(5));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const page of clientFor(api.server).listServicePages({ namespace: 'default', pageSize: 2 })) {
        seen.push(...page.items.map((s) => s.metadata.name!));
        // The server moves on and forgets the version the list was taken at.
        api.apply(service('default', 'late'));
        api.compact();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({ status: 410, reason: 'Expired' });
    expect((error as Error).message).toContain('continue token expired after 1 page (2 Services)');
    expect(seen).toEqual(['svc-000', 'svc-001']);
  });

  it('rejects a bad pageSize, namespace or selector before any request', async () => {
    api = await startFakeApiServer(names(1));
    const client = clientFor(api.server);
    const drain = async (params: object) => {
      for await (const _ of client.listServices(params as never)) void _;
    };
    await expect(drain({ pageSize: 0 })).rejects.toThrow(CciInputError);
    await expect(drain({ pageSize: 2.5 })).rejects.toThrow(CciInputError);
    await expect(drain({ namespace: '' })).rejects.toThrow(CciInputError);
    await expect(drain({ labelSelector: 5 })).rejects.toThrow(CciInputError);
    expect(api.server.requests).toHaveLength(0);
  });
});
