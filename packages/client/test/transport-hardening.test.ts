import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CciApiError, CciInputError, CciTimeoutError, createCciClient, isCciError } from '../src/index.js';
import { clientFor } from './helpers/client.js';
import { sendJson, serveClosedAfterEach } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';
import { failureOf } from './helpers/failure.js';

const serve = serveClosedAfterEach();
const params = { namespace: 'default', name: 'redis' };
const never = () => new Promise<string>(() => {});
/** Open file descriptors of this process (the test server's sockets and the client's). */
const openFds = () => readdirSync('/proc/self/fd').length;

describe('token source: bounded by the timeout and the signal, failures typed', () => {
  it('a getToken that never settles ends with CciTimeoutError after timeoutMs, and nothing is sent', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, exampleService()));
    const client = createCciClient({ baseUrl: server.url, getToken: never, timeoutMs: 100 });
    const error = await failureOf(client.readServiceStatus(params));
    expect(error).toBeInstanceOf(CciTimeoutError);
    expect((error as Error).message).toMatch(/getToken\(\) did not return a token within 100 ms/);
    expect(server.requests).toHaveLength(0);
  });

  it('a getBearerToken that never settles: the caller’s signal ends the call with its reason', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, exampleService()));
    const client = createCciClient({ baseUrl: server.url, getBearerToken: never });
    const reason = new Error('caller gave up');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 20);
    expect(await failureOf(client.readServiceStatus({ ...params, signal: controller.signal }))).toBe(reason);
  });

  it('a getToken rejecting with a bare string → CciInputError with the string as cause', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, exampleService()));
    const client = createCciClient({ baseUrl: server.url, getToken: () => Promise.reject('IAM is down') });
    const error = await failureOf(client.readServiceStatus(params));
    expect(error).toBeInstanceOf(CciInputError);
    expect(isCciError(error, 'input')).toBe(true);
    expect((error as Error).cause).toBe('IAM is down');
    expect((error as Error).message).toMatch(/^getToken\(\) failed/);
    expect(server.requests).toHaveLength(0);
  });

  it('a getBearerToken that throws synchronously → CciInputError with the error as cause, also from client.GET', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, exampleService()));
    const thrown = new Error('vault sealed');
    const client = createCciClient({
      baseUrl: server.url,
      getBearerToken: () => {
        throw thrown;
      },
    });
    const error = await failureOf(client.readServiceStatus(params));
    expect(error).toMatchObject({ name: 'CciInputError', cause: thrown });
    const viaGet = await failureOf(
      client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', { params: { path: params } }),
    );
    expect(viaGet).toMatchObject({ name: 'CciInputError', cause: thrown });
  });

  it('a getToken that stops settling does not stretch waitForLoadBalancerIngress past its deadline', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, exampleService()));
    let calls = 0;
    // A read to warm the client, then the wait's first read gets a token; every later one waits for a
    // token that never comes. (The warm-up keeps a cold first request, 200 ms and more on a loaded
    // machine, from using up the wait's time before its second read.)
    const client = createCciClient({
      baseUrl: server.url,
      getToken: () => (++calls <= 2 ? Promise.resolve(`t0ken-${calls}`) : never()),
    });
    await client.readServiceStatus(params);
    const error = await failureOf(client.waitForLoadBalancerIngress({ ...params, timeoutMs: 1_000, intervalMs: 50 }));
    expect(error).toBeInstanceOf(CciTimeoutError);
    expect((error as Error).message).toMatch(/has no load-balancer ingress after 1000 ms/);
    expect(calls).toBe(3);
  });
});

describe('deadlineMs: one limit for the whole call', () => {
  it('a 429 with Retry-After: 20 is not waited for past the deadline', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 429, { kind: 'Status', code: 429, reason: 'TooManyRequests' }, { 'retry-after': '20' }),
    );
    const client = clientFor(server, { deadlineMs: 500, retry: { maxElapsedMs: 120_000 } });
    const error = await failureOf(client.readServiceStatus(params));
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({ status: 429, retryAfter: 20 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries against a server that stops answering end at the deadline with CciTimeoutError naming it', async () => {
    const server = await serve((_req, res, index) => {
      if (index === 0) res.writeHead(503).end();
    });
    // Room for the first answer on a loaded CI machine: at 300 ms the 503 itself once arrived after the deadline.
    const client = clientFor(server, { deadlineMs: 1_500, timeoutMs: 60_000 });
    const error = await failureOf(client.readServiceStatus(params));
    expect(error).toBeInstanceOf(CciTimeoutError);
    expect((error as Error).message).toMatch(/did not finish within the client's deadline of 1500 ms \(2 attempts\)/);
    expect(server.requests).toHaveLength(2);
  });

  it('bounds client.GET as well', async () => {
    const server = await serve(() => {});
    const client = clientFor(server, { deadlineMs: 200, timeoutMs: 60_000 });
    const error = await failureOf(
      client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', { params: { path: params } }),
    );
    expect(error).toBeInstanceOf(CciTimeoutError);
  });

  it('rejects a deadlineMs that is not a positive number', () => {
    for (const deadlineMs of [0, -5, Number.NaN])
      expect(() => createCciClient({ baseUrl: 'http://127.0.0.1:1', deadlineMs })).toThrow(/deadlineMs/);
  });
});

describe('timed-out requests release their socket and their slot', () => {
  it('150 sequential calls with timeoutMs: 20 to a server that never answers leave the open fds flat', async () => {
    const server = await serve(() => {});
    const client = clientFor(server, { timeoutMs: 20, retry: false });
    await failureOf(client.readServiceStatus(params)); // the first timeout (no signal yet: its socket stays)
    const before = openFds();
    for (let i = 0; i < 150; i++)
      expect(await failureOf(client.readServiceStatus(params))).toBeInstanceOf(CciTimeoutError);
    // Each socket is being closed as the next call starts; on a loaded machine the last few may still
    // be closing, so give them a moment. A leak keeps ~150 open, far above the allowance.
    await expect.poll(() => openFds() - before, { timeout: 5_000, interval: 50 }).toBeLessThanOrEqual(6);
    await client.close();
  });

  it('a timed-out request keeps its slot while it is still on the wire: never more than `concurrency` at the server', async () => {
    let open = 0;
    let most = 0;
    const server = await serve((req) => {
      most = Math.max(most, ++open);
      req.socket.once('close', () => open--);
    });
    const client = clientFor(server, { concurrency: 3, timeoutMs: 50, retry: false });
    const results = await Promise.all(Array.from({ length: 12 }, () => failureOf(client.readServiceStatus(params))));
    for (const error of results) expect(error).toBeInstanceOf(CciTimeoutError);
    expect(most).toBeLessThanOrEqual(3);
  });
});

describe('close() means closed', () => {
  it('new calls reject with CciInputError; calls in flight and calls queued for a slot end with it too', async () => {
    const server = await serve(() => {});
    const client = clientFor(server, { concurrency: 1 });
    const inFlight = failureOf(client.readServiceStatus(params));
    const queued = failureOf(client.readServiceStatus(params));
    const viaGet = failureOf(
      client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', { params: { path: params } }),
    );
    await server.waitForRequests(1);
    await client.close();
    for (const error of await Promise.all([inFlight, queued, viaGet])) {
      expect(error).toBeInstanceOf(CciInputError);
      expect((error as Error).message).toMatch(/client is closed/);
    }
    expect(await failureOf(client.readServiceStatus(params))).toBeInstanceOf(CciInputError);
    expect(await failureOf(client.waitForLoadBalancerIngress(params))).toBeInstanceOf(CciInputError);
    expect(server.requests).toHaveLength(1);
  });

  it('an open watch stream ends at close() with the closed error, and its connection is closed', async () => {
    let streamClosed!: () => void;
    const closedAtServer = new Promise<void>((resolve) => (streamClosed = resolve));
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json;stream=watch' });
      res.write(
        `${JSON.stringify({ type: 'ADDED', object: { ...exampleService(), metadata: { ...exampleService().metadata, resourceVersion: '5' } } })}\n`,
      );
      req.socket.once('close', streamClosed);
    });
    const client = clientFor(server);
    const events = client.watchServices({ namespace: 'default', resourceVersion: '4' });
    expect((await events.next()).value).toMatchObject({ type: 'ADDED' });
    await client.close();
    expect(await failureOf(events.next())).toBeInstanceOf(CciInputError);
    await closedAtServer;
  });

  it('the waits between retries end at close()', async () => {
    const server = await serve((_req, res) => res.writeHead(503, { 'retry-after': '30' }).end());
    const client = clientFor(server, { retry: { maxElapsedMs: 60_000 } });
    const pending = failureOf(client.readServiceStatus(params));
    await server.waitForRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.close();
    expect(await pending).toBeInstanceOf(CciInputError);
    expect(server.requests).toHaveLength(1);
  });
});
