import type { Service } from '@cci-openapi/types';
import { afterEach, describe, expect, it } from 'vitest';
import { CciTimeoutError } from '../src/errors/classes.js';
import type { WaitForIngressParams, WaitProgress } from '../src/services/wait-for-ingress.js';
import { clientFor } from './helpers/client.js';
import { service, startFakeApiServer, type FakeApiServer } from './helpers/fake-apiserver.js';

let api: FakeApiServer;
afterEach(() => api?.close());

const INGRESS = [{ ip: '192.0.2.10' }];
const pendingLb = (name = 'redis') => {
  const s = service('default', name);
  return { ...s, spec: { ...s.spec, type: 'LoadBalancer' as const }, status: { loadBalancer: {} } } satisfies Service;
};
const readyLb = (name = 'redis') => ({ ...pendingLb(name), status: { loadBalancer: { ingress: INGRESS } } });

function wait(params: Partial<WaitForIngressParams> = {}) {
  const progress: string[] = [];
  const onProgress = (p: WaitProgress) =>
    progress.push(
      p.type === 'fallback'
        ? `fallback ${p.error.status}`
        : p.type === 'event'
          ? `event ${p.event}`
          : p.type === 'poll'
            ? `poll ${p.poll}`
            : 'read',
    );
  const result = clientFor(api.server).waitForLoadBalancerIngress({
    namespace: 'default',
    name: 'redis',
    intervalMs: 10,
    onProgress,
    ...params,
  });
  return { result, progress };
}

const urls = () => api.server.requests.map((r) => new URL(r.url, 'http://x'));

describe('waitForLoadBalancerIngress watches', () => {
  it('reads once, then watches that one Service from the version read: two requests however long it takes', async () => {
    api = await startFakeApiServer([pendingLb(), pendingLb('other')]);
    const { result, progress } = wait();
    await api.waitForWatches(1);
    api.apply({ ...pendingLb('other'), status: { loadBalancer: { ingress: INGRESS } } }); // not ours: not seen
    api.apply({ ...pendingLb(), metadata: { ...pendingLb().metadata, labels: { step: '1' } } }); // ours, still no address
    api.apply(readyLb());
    expect(await result).toEqual(INGRESS);
    expect(progress).toEqual(['read', 'event MODIFIED', 'event MODIFIED']);
    expect(urls().map((u) => u.pathname)).toEqual([
      '/api/v1/namespaces/default/services/redis/status',
      '/api/v1/namespaces/default/services',
    ]);
    const watch = urls()[1]!.searchParams;
    expect([watch.get('watch'), watch.get('fieldSelector'), watch.get('resourceVersion')]).toEqual([
      'true',
      'metadata.name=redis',
      '101',
    ]);
    await expect.poll(() => api.watches.size, { timeout: 2_000, interval: 5 }).toBe(0); // stream closed once done
  });

  it('answers after the first read when the ingress is already there (one request)', async () => {
    api = await startFakeApiServer([readyLb()]);
    const { result, progress } = wait();
    expect(await result).toEqual(INGRESS);
    expect(progress).toEqual(['read']);
    expect(api.server.requests).toHaveLength(1);
  });

  for (const status of [403, 405]) {
    it(`falls back to polling the status operation when the watch is refused (${status}), and says so`, async () => {
      api = await startFakeApiServer([pendingLb()]);
      api.failNext(
        (u) => u.searchParams.get('watch') === 'true',
        status,
        status === 403 ? 'Forbidden' : 'MethodNotAllowed',
        100,
      );
      const { result, progress } = wait({
        onPoll: (_s, poll) => {
          if (poll === 3) api.apply(readyLb());
        },
      });
      expect(await result).toEqual(INGRESS);
      expect(progress).toEqual(['read', `fallback ${status}`, 'poll 2', 'poll 3', 'poll 4']);
      expect(urls().filter((u) => u.searchParams.get('watch') === 'true')).toHaveLength(1);
    });
  }

  it('ends by its deadline while watching, with a CciTimeoutError that counts the requests, and closes the stream', async () => {
    api = await startFakeApiServer([pendingLb()]);
    const error = await wait({ timeoutMs: 1_000 }).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciTimeoutError);
    expect((error as Error).message).toMatch(
      /^Service default\/redis has no load-balancer ingress after 1000 ms \(2 requests, type LoadBalancer\)/,
    );
    await expect.poll(() => api.watches.size, { timeout: 2_000, interval: 5 }).toBe(0);
    // The server was asked to end the stream by the deadline too.
    expect(Number(urls()[1]!.searchParams.get('timeoutSeconds'))).toBe(1);
  });

  it('stops when the caller aborts, closing the stream', async () => {
    api = await startFakeApiServer([pendingLb()]);
    const controller = new AbortController();
    const { result } = wait({ signal: controller.signal });
    await api.waitForWatches(1);
    controller.abort();
    await expect(result).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => api.closedWatches(), { timeout: 2_000, interval: 5 }).toBe(1);
  });

  it('a Service deleted while waiting ends the wait with a 404 CciApiError; a missing one fails at the first read', async () => {
    api = await startFakeApiServer([pendingLb()]);
    const { result } = wait();
    await api.waitForWatches(1);
    api.remove('default', 'redis');
    await expect(result).rejects.toMatchObject({ name: 'CciApiError', status: 404, reason: 'NotFound' });

    const missing = await wait({ name: 'nope' }).result.catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });
    expect(urls().at(-1)!.pathname).toBe('/api/v1/namespaces/default/services/nope/status');
  });
});
