import type { Service } from '@cci-openapi/types';
import { afterEach, describe, expect, it } from 'vitest';
import { CciApiError, CciInputError, CciTimeoutError } from '../src/index.js';
import { clientFor } from './helpers/client.js';
import { sendJson, startServer as startAnyServer, type Handler, type TestServer } from './helpers/server.js';
import { errorCases, exampleService } from './helpers/spec.js';
import { virtualClock } from './helpers/virtual-clock.js';

let server: TestServer;

/**
 * A server without watch (405 to `?watch=true`, as a gateway that does not pass watches on), so
 * these tests see the polling the wait falls back to; `handler` gets the status reads, numbered.
 */
async function startServer(handler: Handler): Promise<TestServer> {
  let reads = 0;
  return startAnyServer((req, res) => {
    if (req.url?.includes('watch=true')) {
      return sendJson(res, 405, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        reason: 'MethodNotAllowed',
        code: 405,
        message: 'watch is not allowed',
      });
    }
    return handler(req, res, reads++);
  });
}
const reads = () => server.requests.filter((r) => !r.url.includes('watch=true'));
afterEach(() => server.close());

const INGRESS = [{ ip: '192.0.2.10', ipMode: 'VIP' as const }];

/** The example Service as a LoadBalancer, with its ingress list after `readyAfter` polls. */
function loadBalancer(poll: number, readyAfter: number): Service {
  const service = exampleService();
  return {
    ...service,
    spec: { ...service.spec, type: 'LoadBalancer' },
    status: { loadBalancer: poll >= readyAfter ? { ingress: INGRESS } : {} },
  };
}

describe('waitForLoadBalancerIngress, polling after the watch is refused', () => {
  it('polls until the ingress list is non-empty, calling onPoll each time', async () => {
    server = await startServer((_req, res, index) => sendJson(res, 200, loadBalancer(index + 1, 3)));
    const polls: Array<[number, number]> = [];
    const clock = virtualClock();
    const ingress = await clientFor(server, { clock }).waitForLoadBalancerIngress({
      namespace: 'default',
      name: 'redis',
      intervalMs: 10,
      onPoll: (service, poll) => polls.push([poll, service.status?.loadBalancer?.ingress?.length ?? 0]),
    });
    expect(ingress).toEqual(INGRESS);
    expect(polls).toEqual([
      [1, 0],
      [2, 0],
      [3, 1],
    ]);
    expect(reads()).toHaveLength(3);
    expect(server.requests).toHaveLength(4); // and the one refused watch
    // A pause before each poll after the first, starting at intervalMs and growing 1.5×.
    expect(clock.sleeps).toEqual([10, 15]);
  });

  it('with the defaults, pauses grow 1.5× from 2 s up to 15 s, and the last one ends at the 5 min deadline', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, loadBalancer(0, 1)));
    const clock = virtualClock();
    const error = await clientFor(server, { clock })
      .waitForLoadBalancerIngress({ namespace: 'default', name: 'redis' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciTimeoutError);
    expect((error as Error).message).toContain('has no load-balancer ingress after 300000 ms');
    // 2 + 3 + 4.5 + 6.75 + 10.125 = 26.375 s, then 18 × 15 s = 296.375 s, and 3.625 s to the deadline.
    expect(clock.sleeps).toEqual([2_000, 3_000, 4_500, 6_750, 10_125, ...Array(18).fill(15_000), 3_625]);
    // The first read, then one after each pause but the last (it ends at the deadline).
    expect(reads()).toHaveLength(24);
  });

  it('times out with a clear CciTimeoutError', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, loadBalancer(0, 1)));
    const clock = virtualClock();
    const error = await clientFor(server, { clock })
      .waitForLoadBalancerIngress({ namespace: 'default', name: 'redis', timeoutMs: 3_000, intervalMs: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciTimeoutError);
    // 10 growing pauses (2 266.6015625 ms), then what is left of the 3 000 ms. (The read before that
    // last pause runs on a real attempt timer of the 733 ms left, ample for a local server.)
    expect(clock.sleeps).toEqual([
      20, 30, 45, 67.5, 101.25, 151.875, 227.8125, 341.71875, 512.578125, 768.8671875, 733.3984375,
    ]);
    expect(reads()).toHaveLength(11);
    expect((error as Error).message).toMatch(
      /^Service default\/redis has no load-balancer ingress after 3000 ms \(12 requests, type LoadBalancer\)/,
    );
  });

  // On real time: the stalled read is ended by its attempt timer, which is always a real one.
  it('a server that stops answering still ends by the deadline', async () => {
    server = await startServer((_req, res, index) =>
      index === 0 ? sendJson(res, 200, loadBalancer(0, 1)) : undefined,
    );
    const started = performance.now();
    const error = await clientFor(server, { timeoutMs: 60_000 })
      .waitForLoadBalancerIngress({ namespace: 'default', name: 'redis', timeoutMs: 400, intervalMs: 10 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciTimeoutError);
    expect((error as Error).message).toContain('has no load-balancer ingress after 400 ms');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('ends at once on an error that waiting cannot fix (404)', async () => {
    const notFound = errorCases().find((c) => c.status === 404)!.example;
    server = await startServer((_req, res) => sendJson(res, 404, notFound));
    const error = await clientFor(server)
      .waitForLoadBalancerIngress({ namespace: 'default', name: 'redis', intervalMs: 10 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciApiError);
    expect((error as CciApiError).status).toBe(404);
    expect(server.requests).toHaveLength(1);
  });

  it('stops when the caller aborts', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, loadBalancer(0, 1)));
    const controller = new AbortController();
    const pending = clientFor(server).waitForLoadBalancerIngress({
      namespace: 'default',
      name: 'redis',
      intervalMs: 10_000,
      signal: controller.signal,
      onPoll: () => controller.abort(),
    });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects bad timing options and bad names before polling', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, loadBalancer(0, 1)));
    const client = clientFor(server);
    await expect(
      client.waitForLoadBalancerIngress({ namespace: 'default', name: 'redis', timeoutMs: 0 }),
    ).rejects.toThrow(CciInputError);
    await expect(
      client.waitForLoadBalancerIngress({ namespace: 'default', name: 'redis', intervalMs: -5 }),
    ).rejects.toThrow(CciInputError);
    await expect(client.waitForLoadBalancerIngress({ namespace: '..', name: 'redis' })).rejects.toThrow(CciInputError);
    expect(server.requests).toHaveLength(0);
  });
});
