import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CciApiError, CciNetworkError } from '../src/index.js';
import { retryDelayMs, DEFAULT_RETRY } from '../src/transport/retry-policy.js';
import { clientFor } from './helpers/client.js';
import { sendJson, startServer, type Handler, type TestServer } from './helpers/server.js';
import { errorCases, exampleService } from './helpers/spec.js';
import { type VirtualClock, virtualClock } from './helpers/virtual-clock.js';

const statusBody = (status: number) => errorCases().find((c) => c.status === status)!.example;
let server: TestServer;
/** Every client here waits on it: no real sleeps, and each wait the client asks for is recorded. */
let clock: VirtualClock;
beforeEach(() => {
  clock = virtualClock();
});
afterEach(() => server.close());

/** Each delay within [low, high]: a backoff with full jitter lands anywhere in its range. */
function expectWithin(delays: number[], bounds: Array<[number, number]>) {
  expect(delays).toHaveLength(bounds.length);
  delays.forEach((delay, i) => {
    expect(delay, `wait ${i + 1}`).toBeGreaterThanOrEqual(bounds[i]![0]);
    expect(delay, `wait ${i + 1}`).toBeLessThanOrEqual(bounds[i]![1]);
  });
}

/** Answers the first `failures` requests with `fail`, then the example Service. */
async function failThenServe(failures: number, fail: Handler): Promise<TestServer> {
  server = await startServer((req, res, index) =>
    index < failures ? fail(req, res, index) : sendJson(res, 200, exampleService()),
  );
  return server;
}

const read = (options: Parameters<typeof clientFor>[1] = {}) =>
  clientFor(server, { clock, ...options }).readServiceStatus({ namespace: 'default', name: 'redis' });

describe('retries', () => {
  it.each([429, 503, 504])('retries %i and returns the Service', async (status) => {
    await failThenServe(2, (_q, res) => sendJson(res, status, statusBody(status)));
    await expect(read()).resolves.toEqual(exampleService());
    expect(server.requests).toHaveLength(3);
    // clientFor's policy: baseDelayMs 5, maxDelayMs 20 → retry n waits in [0, 5·2ⁿ⁻¹].
    expectWithin(clock.sleeps, [
      [0, 5],
      [0, 10],
    ]);
  });

  it('backs off exponentially with full jitter, capped by maxDelayMs', async () => {
    await failThenServe(5, (_q, res) => sendJson(res, 503, statusBody(503)));
    await expect(
      read({ retry: { attempts: 6, baseDelayMs: 100, maxDelayMs: 400, maxElapsedMs: 60_000 } }),
    ).resolves.toEqual(exampleService());
    expect(server.requests).toHaveLength(6);
    expectWithin(clock.sleeps, [
      [0, 100],
      [0, 200],
      [0, 400],
      [0, 400],
      [0, 400],
    ]);
  });

  it('stops after `attempts` and throws the last error with retryAfter', async () => {
    await failThenServe(100, (_q, res) => sendJson(res, 503, statusBody(503), { 'retry-after': '0' }));
    const error = await read({ retry: { attempts: 3, baseDelayMs: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciApiError);
    expect((error as CciApiError).status).toBe(503);
    expect((error as CciApiError).retryAfter).toBe(0);
    expect(server.requests).toHaveLength(3);
    // Retry-After: 0 → no wait but the jitter (< baseDelayMs), between the 3 attempts only.
    expectWithin(clock.sleeps, [
      [0, 1],
      [0, 1],
    ]);
  });

  it('uses 4 attempts by default', async () => {
    await failThenServe(100, (_q, res) => sendJson(res, 429, statusBody(429), { 'retry-after': '0' }));
    await expect(read({ retry: { baseDelayMs: 1 } })).rejects.toBeInstanceOf(CciApiError);
    expect(server.requests).toHaveLength(DEFAULT_RETRY.attempts);
    expect(clock.sleeps).toHaveLength(DEFAULT_RETRY.attempts - 1);
  });

  it('waits for Retry-After before retrying: 1 s, plus under baseDelayMs of jitter', async () => {
    await failThenServe(1, (_q, res) => sendJson(res, 429, statusBody(429), { 'retry-after': '1' }));
    await expect(read()).resolves.toEqual(exampleService());
    expect(server.requests).toHaveLength(2);
    expectWithin(clock.sleeps, [[1_000, 1_005]]);
  });

  it('waits until a Retry-After HTTP date, measured on the client clock', async () => {
    const in20s = new Date(clock.now() + 20_000).toUTCString();
    await failThenServe(1, (_q, res) => sendJson(res, 503, statusBody(503), { 'retry-after': in20s }));
    await expect(read()).resolves.toEqual(exampleService());
    expect(server.requests).toHaveLength(2);
    expectWithin(clock.sleeps, [[20_000, 20_005]]);
  });

  it('a Retry-After past deadlineMs ends the call with the last answer, without waiting', async () => {
    await failThenServe(100, (_q, res) => sendJson(res, 429, statusBody(429), { 'retry-after': '2' }));
    const error = (await read({ deadlineMs: 5_000 }).catch((e: unknown) => e)) as CciApiError;
    expect(error).toBeInstanceOf(CciApiError);
    expect(error.status).toBe(429);
    // 0 s, then 2 s and 4 s of virtual time: a third wait would end past the 5 s deadline.
    expect(server.requests).toHaveLength(3);
    expectWithin(clock.sleeps, [
      [2_000, 2_005],
      [2_000, 2_005],
    ]);
  });

  it('does not retry when Retry-After would pass maxElapsedMs: the error comes at once', async () => {
    await failThenServe(1, (_q, res) => sendJson(res, 429, statusBody(429), { 'retry-after': '60' }));
    const error = (await read({ retry: { maxElapsedMs: 2_000 } }).catch((e: unknown) => e)) as CciApiError;
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(60);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retry: false makes exactly one attempt', async () => {
    await failThenServe(1, (_q, res) => sendJson(res, 503, statusBody(503)));
    await expect(read({ retry: false })).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it.each([400, 401, 403, 404, 409, 422, 500])('does not retry %i', async (status) => {
    await failThenServe(1, (_q, res) => sendJson(res, status, statusBody(status)));
    await expect(read()).rejects.toMatchObject({ status });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection reset', async () => {
    await failThenServe(2, (req) => req.socket.destroy());
    await expect(read()).resolves.toEqual(exampleService());
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('a connection reset that persists ends in CciNetworkError after the attempts', async () => {
    await failThenServe(100, (req) => req.socket.destroy());
    const error = await read({ retry: { attempts: 2, baseDelayMs: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciNetworkError);
    expect((error as CciNetworkError).code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(server.requests).toHaveLength(2);
  });

  it('never retries a POST, even on 503 or a reset', async () => {
    await failThenServe(100, (req, res) =>
      req.url?.includes('reset') ? req.socket.destroy() : sendJson(res, 503, statusBody(503)),
    );
    const client = clientFor(server);
    // openapi-fetch exposes POST at run time even though the spec has no POST operation.
    const post = client.POST as unknown as (path: string, init: { body: unknown }) => Promise<{ response: Response }>;
    const { response } = await post('/api/v1/namespaces/default/services/redis/status', { body: { kind: 'Service' } });
    expect(response.status).toBe(503);
    await expect(post('/reset', { body: {} })).rejects.toBeInstanceOf(CciNetworkError);
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('client.GET is retried like readServiceStatus', async () => {
    await failThenServe(1, (_q, res) => sendJson(res, 503, statusBody(503)));
    const { data, error } = await clientFor(server).GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
      params: { path: { namespace: 'default', name: 'redis' } },
    });
    expect(error).toBeUndefined();
    expect(data).toEqual(exampleService());
    expect(server.requests).toHaveLength(2);
  });
});

describe('the clock option', () => {
  it('is checked when the client is created', async () => {
    server = await startServer((_q, res) => sendJson(res, 200, exampleService()));
    for (const bad of [{ now: () => 0 }, { sleep: async () => {} }, null, 'real'])
      expect(() => clientFor(server, { clock: bad as never })).toThrow(
        /clock must be an object with now\(\) and sleep/,
      );
  });
});

describe('backoff delays', () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
  it('grow exponentially with full jitter, capped by maxDelayMs', () => {
    expect(retryDelayMs(policy, 1, undefined, () => 0.999)).toBeCloseTo(99.9);
    expect(retryDelayMs(policy, 3, undefined, () => 0.999)).toBeCloseTo(399.6);
    expect(retryDelayMs(policy, 10, undefined, () => 0.999)).toBeCloseTo(999);
    expect(retryDelayMs(policy, 3, undefined, () => 0)).toBe(0);
  });
  it('follow Retry-After, with at most baseDelayMs of jitter on top', () => {
    expect(retryDelayMs(policy, 1, 2, () => 0)).toBe(2000);
    expect(retryDelayMs(policy, 1, 2, () => 0.999)).toBeCloseTo(2099.9);
  });
});
