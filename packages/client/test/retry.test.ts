import { afterEach, describe, expect, it } from 'vitest';
import { CceApiError, CceNetworkError } from '../src/index.js';
import { retryDelayMs, DEFAULT_RETRY } from '../src/retry-policy.js';
import { clientFor } from './helpers/client.js';
import { sendJson, startServer, type Handler, type TestServer } from './helpers/server.js';
import { errorCases, exampleService } from './helpers/spec.js';

const statusBody = (status: number) => errorCases().find((c) => c.status === status)!.example;
let server: TestServer;
afterEach(() => server.close());

/** Answers the first `failures` requests with `fail`, then the example Service. */
async function failThenServe(failures: number, fail: Handler): Promise<TestServer> {
  server = await startServer((req, res, index) => (index < failures ? fail(req, res, index) : sendJson(res, 200, exampleService())));
  return server;
}

const read = (options: Parameters<typeof clientFor>[1] = {}) => clientFor(server, options).readServiceStatus({ namespace: 'default', name: 'redis' });

describe('retries', () => {
  it.each([429, 503, 504])('retries %i and returns the Service', async (status) => {
    await failThenServe(2, (_q, res) => sendJson(res, status, statusBody(status)));
    await expect(read()).resolves.toEqual(exampleService());
    expect(server.requests).toHaveLength(3);
  });

  it('stops after `attempts` and throws the last error with retryAfter', async () => {
    await failThenServe(100, (_q, res) => sendJson(res, 503, statusBody(503), { 'retry-after': '0' }));
    const error = await read({ retry: { attempts: 3, baseDelayMs: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CceApiError);
    expect((error as CceApiError).status).toBe(503);
    expect((error as CceApiError).retryAfter).toBe(0);
    expect(server.requests).toHaveLength(3);
  });

  it('uses 4 attempts by default', async () => {
    await failThenServe(100, (_q, res) => sendJson(res, 429, statusBody(429), { 'retry-after': '0' }));
    await expect(read({ retry: { baseDelayMs: 1 } })).rejects.toBeInstanceOf(CceApiError);
    expect(server.requests).toHaveLength(DEFAULT_RETRY.attempts);
  });

  it('waits for Retry-After before retrying', async () => {
    await failThenServe(1, (_q, res) => sendJson(res, 429, statusBody(429), { 'retry-after': '1' }));
    const started = performance.now();
    await expect(read()).resolves.toEqual(exampleService());
    // 1 s asked for; a few ms of slack for clock granularity.
    expect(performance.now() - started).toBeGreaterThanOrEqual(995);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry when Retry-After would pass maxElapsedMs: the error comes at once', async () => {
    await failThenServe(1, (_q, res) => sendJson(res, 429, statusBody(429), { 'retry-after': '60' }));
    const error = (await read({ retry: { maxElapsedMs: 2_000 } }).catch((e: unknown) => e)) as CceApiError;
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(60);
    expect(server.requests).toHaveLength(1);
  });

  it('retry: false makes exactly one attempt', async () => {
    await failThenServe(1, (_q, res) => sendJson(res, 503, statusBody(503)));
    await expect(read({ retry: false })).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
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
  });

  it('a connection reset that persists ends in CceNetworkError after the attempts', async () => {
    await failThenServe(100, (req) => req.socket.destroy());
    const error = await read({ retry: { attempts: 2, baseDelayMs: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CceNetworkError);
    expect((error as CceNetworkError).code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(server.requests).toHaveLength(2);
  });

  it('never retries a POST, even on 503 or a reset', async () => {
    await failThenServe(100, (req, res) => (req.url?.includes('reset') ? req.socket.destroy() : sendJson(res, 503, statusBody(503))));
    const client = clientFor(server);
    // openapi-fetch exposes POST at run time even though the spec has no POST operation.
    const post = client.POST as unknown as (path: string, init: { body: unknown }) => Promise<{ response: Response }>;
    const { response } = await post('/api/v1/namespaces/default/services/redis/status', { body: { kind: 'Service' } });
    expect(response.status).toBe(503);
    await expect(post('/reset', { body: {} })).rejects.toBeInstanceOf(CceNetworkError);
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
