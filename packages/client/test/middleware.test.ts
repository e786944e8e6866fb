import type { Middleware } from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { CciApiError, CciNetworkError } from '../src/index.js';
import { clientFor, TOKEN } from './helpers/client.js';
import { sendJson, serveClosedAfterEach, type TestServer } from './helpers/server.js';
import { exampleService, OPERATION_PATH } from './helpers/spec.js';

// client.use() middleware runs in the client's one request pipeline: for client.GET, for the
// generated operations (and their aliases) and for helpers, exactly once per call.

const serve = serveClosedAfterEach();

const INGRESS = [{ ip: '192.0.2.10' }];
const loadBalancer = () => ({ ...exampleService(), status: { loadBalancer: { ingress: INGRESS } } });

/** A middleware that records what it sees and tags every request with a header. */
function recorder() {
  const seen: Array<{
    path: string;
    schemaPath: string;
    params: unknown;
    token: string | null;
    accept: string | null;
  }> = [];
  const statuses: number[] = [];
  const middleware: Middleware = {
    onRequest({ request, schemaPath, params }) {
      seen.push({
        path: new URL(request.url).pathname,
        schemaPath,
        params,
        token: request.headers.get('x-auth-token'),
        accept: request.headers.get('accept'),
      });
      request.headers.set('x-from-middleware', String(seen.length));
    },
    onResponse({ response }) {
      statuses.push(response.status);
    },
  };
  return { seen, statuses, middleware };
}

describe('client.use() middleware: one pipeline for every kind of call', () => {
  it('sees and changes the requests of client.GET, a generated operation and waitForLoadBalancerIngress (3 of 3)', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, loadBalancer()));
    const client = clientFor(server);
    const { seen, statuses, middleware } = recorder();
    client.use(middleware);

    await client.GET(OPERATION_PATH, { params: { path: { namespace: 'a', name: 'one' } } });
    await client.readCoreV1NamespacedServiceStatus({ namespace: 'b', name: 'two', pretty: 'true' });
    await client.waitForLoadBalancerIngress({ namespace: 'c', name: 'three', intervalMs: 10 });

    expect(seen.map((s) => s.path)).toEqual([
      '/api/v1/namespaces/a/services/one/status',
      '/api/v1/namespaces/b/services/two/status',
      '/api/v1/namespaces/c/services/three/status',
    ]);
    expect(seen.map((s) => s.schemaPath)).toEqual([OPERATION_PATH, OPERATION_PATH, OPERATION_PATH]);
    expect(seen[1]!.params).toEqual({ path: { namespace: 'b', name: 'two' }, query: { pretty: 'true' } });
    // The middleware's header reached the server on each of the three, with the token added after it.
    expect(server.requests.map((r) => [r.headers['x-from-middleware'], r.headers['x-auth-token']])).toEqual([
      ['1', TOKEN],
      ['2', TOKEN],
      ['3', TOKEN],
    ]);
    // Middleware sees the configured headers but never the credential.
    expect(seen.map((s) => [s.accept, s.token])).toEqual([
      ['application/json', null],
      ['application/json', null],
      ['application/json', null],
    ]);
    expect(statuses).toEqual([200, 200, 200]);
  });

  it('runs once per call, not once per attempt, even when the call is retried', async () => {
    const server = await serve((_req, res, index) =>
      index % 2 === 0 ? sendJson(res, 503, { kind: 'Status', code: 503 }) : sendJson(res, 200, exampleService()),
    );
    const client = clientFor(server);
    const { seen, statuses, middleware } = recorder();
    client.use(middleware);
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    const { data } = await client.GET(OPERATION_PATH, { params: { path: { namespace: 'default', name: 'redis' } } });
    expect(data?.kind).toBe('Service');
    expect(server.requests).toHaveLength(4);
    expect(seen).toHaveLength(2);
    expect(statuses).toEqual([200, 200]);
  });

  it('an alias and its operation are one function: middleware sees the operation', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, exampleService()));
    const client = clientFor(server);
    expect(client.readServiceStatus).toBe(client.readCoreV1NamespacedServiceStatus);
    const { seen, middleware } = recorder();
    client.use(middleware);
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    expect(seen.map((s) => s.schemaPath)).toEqual([OPERATION_PATH]);
  });

  it('onRequest can replace the Request, or answer with a Response without any request being sent', async () => {
    const server = await serve((req, res) => sendJson(res, 200, { ...exampleService(), metadata: { name: req.url } }));
    const client = clientFor(server);
    const canned = { ...exampleService(), metadata: { name: 'from-cache' } };
    client.use({
      onRequest({ request }) {
        if (request.url.includes('/cached/'))
          return new Response(JSON.stringify(canned), { status: 200, headers: { 'content-type': 'application/json' } });
        return new Request(request.url.replace('/status', '/status?rewritten=1'), request);
      },
    });
    expect((await client.readServiceStatus({ namespace: 'default', name: 'redis' })).metadata.name).toBe(
      '/api/v1/namespaces/default/services/redis/status?rewritten=1',
    );
    expect((await client.readServiceStatus({ namespace: 'cached', name: 'redis' })).metadata.name).toBe('from-cache');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['x-auth-token']).toBe(TOKEN);
  });

  it('a Response from onResponse is still checked: a wrong kind is a typed error', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, exampleService()));
    const client = clientFor(server);
    const wrongKind = {
      onResponse: () => new Response(JSON.stringify({ kind: 'Pod', metadata: {} }), { status: 200 }),
    };
    client.use(wrongKind);
    await expect(client.readServiceStatus({ namespace: 'default', name: 'redis' })).rejects.toMatchObject({
      name: 'CciResponseError',
      reason: 'InvalidResponse',
    });
    client.eject(wrongKind);
    client.use({
      onResponse: () =>
        new Response(JSON.stringify({ kind: 'Status', reason: 'NotFound', code: 404 }), { status: 404 }),
    });
    await expect(client.readServiceStatus({ namespace: 'default', name: 'redis' })).rejects.toBeInstanceOf(CciApiError);
  });

  it('onError sees a network failure once, and can replace it or recover with a Response', async () => {
    const server = await serve((req) => req.socket.destroy());
    const client = clientFor(server, { retry: false });
    const errors: unknown[] = [];
    const logger: Middleware = {
      onError({ error }) {
        errors.push(error);
      },
    };
    client.use(logger);
    await expect(client.readServiceStatus({ namespace: 'default', name: 'redis' })).rejects.toBeInstanceOf(
      CciNetworkError,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CciNetworkError);

    const replaced = new Error('replaced by middleware');
    const replacer: Middleware = { onError: () => replaced };
    client.use(replacer);
    await expect(client.GET(OPERATION_PATH, { params: { path: { namespace: 'a', name: 'b' } } })).rejects.toBe(
      replaced,
    );
    client.eject(replacer);

    client.use({ onError: () => new Response(JSON.stringify(exampleService()), { status: 200 }) });
    await expect(client.readServiceStatus({ namespace: 'default', name: 'redis' })).resolves.toEqual(exampleService());
    // onError runs in reverse order (as in openapi-fetch): the newest recovered, so the logger saw no third error.
    expect(errors).toHaveLength(2);
  });

  it('eject removes a middleware from every kind of call', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, loadBalancer()));
    const client = clientFor(server);
    const { seen, middleware } = recorder();
    client.use(middleware);
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    client.eject(middleware);
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    await client.GET(OPERATION_PATH, { params: { path: { namespace: 'default', name: 'redis' } } });
    await client.waitForLoadBalancerIngress({ namespace: 'default', name: 'redis' });
    expect(seen).toHaveLength(1);
    expect(server.requests.map((r) => r.headers['x-from-middleware'])).toEqual(['1', undefined, undefined, undefined]);
  });

  it('middleware given to one client.GET call runs once, after the client’s', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, exampleService()));
    const client = clientFor(server);
    const order: string[] = [];
    client.use({ onRequest: () => void order.push('client') });
    await client.GET(OPERATION_PATH, {
      params: { path: { namespace: 'default', name: 'redis' } },
      middleware: [{ onRequest: () => void order.push('call') }],
    });
    expect(order).toEqual(['client', 'call']);
    expect(server.requests).toHaveLength(1);
  });

  it('a middleware that is not one is refused at use()', () => {
    const client = clientFor({ url: 'http://127.0.0.1:9' } as TestServer);
    expect(() => client.use({} as Middleware)).toThrow(/onRequest\(\), onResponse\(\) or onError\(\)/);
  });
});
