import { afterEach, describe, expect, it } from 'vitest';
import { CciTimeoutError } from '../src/index.js';
import { clientFor } from './helpers/client.js';
import { startServer, type TestServer } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';

let server: TestServer;
afterEach(() => server.close());

const read = (options: Parameters<typeof clientFor>[1] = {}, signal?: AbortSignal) =>
  clientFor(server, options).readServiceStatus({ namespace: 'default', name: 'redis', ...(signal && { signal }) });

/** A server that sends headers and half the body, then stalls; `closed` resolves when the client hangs up. */
async function stallMidBody() {
  let hungUp!: () => void;
  const closed = new Promise<void>((resolve) => (hungUp = resolve));
  server = await startServer((req, res) => {
    const text = JSON.stringify(exampleService());
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.write(text.slice(0, 100));
    req.socket.once('close', hungUp);
  });
  return { closed };
}

describe('per-request timeout', () => {
  it('a server that never answers gives CciTimeoutError after timeoutMs, not retried', async () => {
    server = await startServer(() => {});
    const started = performance.now();
    const error = await read({ timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciTimeoutError);
    expect((error as Error).message).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/default\/services\/redis\/status timed out after 200 ms/,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    // Not retried: no second request follows, even a while later. (On a loaded machine the one
    // request may not have reached the server within the 200 ms: at most one, not exactly one.)
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests.length).toBeLessThanOrEqual(1);
  });

  it('covers the body: a server stalling mid-body times out and the connection is closed', async () => {
    const { closed } = await stallMidBody();
    await expect(read({ timeoutMs: 200 })).rejects.toBeInstanceOf(CciTimeoutError);
    await closed; // the client cancelled the body, so the socket is gone
  });

  it('applies to client.GET too', async () => {
    const { closed } = await stallMidBody();
    const client = clientFor(server, { timeoutMs: 200 });
    await expect(
      client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
        params: { path: { namespace: 'a', name: 'b' } },
      }),
    ).rejects.toBeInstanceOf(CciTimeoutError);
    await closed;
  });

  it('rejects a timeoutMs that is not a positive number', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Infinity])
      expect(() => clientFor({ url: 'http://127.0.0.1:1' } as TestServer, { timeoutMs })).toThrow(/timeoutMs/);
  });
});

describe('abort through the caller’s signal', () => {
  it('aborts a request in flight with the signal’s reason and closes the connection', async () => {
    server = await startServer((req) => void req);
    const controller = new AbortController();
    const pending = read({}, controller.signal);
    await server.waitForRequests(1);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(server.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    server = await startServer(() => {});
    const reason = new Error('caller gave up');
    await expect(read({}, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('aborts the wait between retries', async () => {
    server = await startServer((_req, res) => res.writeHead(503, { 'retry-after': '30' }).end());
    const controller = new AbortController();
    const pending = read({ retry: { maxElapsedMs: 60_000 } }, controller.signal);
    await server.waitForRequests(1);
    // The 503 has been answered; the client now sleeps 30 s unless aborted.
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });
});
