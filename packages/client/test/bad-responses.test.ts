import { describe, expect, it } from 'vitest';
import { CciNetworkError, CciResponseError, CciTimeoutError, isCciError } from '../src/index.js';
import { clientFor, TOKEN } from './helpers/client.js';
import { sendJson, serveClosedAfterEach, type TestServer } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';
import { failureOf } from './helpers/failure.js';

const serve = serveClosedAfterEach();

function readError(server: TestServer, options: Parameters<typeof clientFor>[1] = {}): Promise<unknown> {
  return failureOf(clientFor(server, options).readServiceStatus({ namespace: 'default', name: 'redis' }));
}

describe('bad responses from the server', () => {
  it('truncated JSON → CciResponseError InvalidResponse with the text kept', async () => {
    const text = JSON.stringify(exampleService()).slice(0, 120);
    const server = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length }).end(text),
    );
    const error = (await readError(server)) as CciResponseError;
    expect(error).toBeInstanceOf(CciResponseError);
    expect(isCciError(error, 'response')).toBe(true);
    expect(error).toMatchObject({ status: 200, reason: 'InvalidResponse', bodyText: text });
    expect(error.message).toContain('the body is not JSON');
  });

  it('a body cut short of its Content-Length → a typed error, not a hang', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 5000 });
      res.write('{"kind":"Service",');
      setImmediate(() => req.socket.destroy());
    });
    const error = await readError(server, { retry: false });
    expect(error).toBeInstanceOf(CciNetworkError);
  });

  it('200 with an HTML page → CciResponseError InvalidResponse', async () => {
    const server = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Login</title>'),
    );
    const error = (await readError(server)) as CciResponseError;
    expect(error).toBeInstanceOf(CciResponseError);
    expect(error).toMatchObject({
      status: 200,
      reason: 'InvalidResponse',
      bodyText: '<!doctype html><title>Login</title>',
    });
    expect(error.message).toContain('text/html');
  });

  it.each([
    ['an array', [exampleService()], /expected an object, got an array/],
    ['null', null, /got null/],
    ['a Pod', { kind: 'Pod', metadata: {} }, /kind is "Pod"/],
    ['metadata not an object', { kind: 'Service', metadata: 'x' }, /metadata is not an object/],
    [
      'a port not an object',
      { ...exampleService(), spec: { ports: [{ port: 80 }, 'x'] } },
      /spec\.ports\[1\] is not an object/,
    ],
    [
      'ingress not a list',
      { ...exampleService(), status: { loadBalancer: { ingress: 'x' } } },
      /ingress is not an array/,
    ],
  ])('JSON of the wrong shape (%s) → CciResponseError InvalidResponse', async (_label, body, message) => {
    const server = await serve((_req, res) => sendJson(res, 200, body));
    const error = (await readError(server)) as CciResponseError;
    expect(error).toBeInstanceOf(CciResponseError);
    expect(error).toMatchObject({ status: 200, reason: 'InvalidResponse' });
    expect(error.message).toMatch(message);
  });

  it('an enormous body with Content-Length → ResponseTooLarge before reading it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 50 * 1024 * 1024 });
      res.write('[');
    });
    const error = (await readError(server, { maxResponseBytes: 64 * 1024 })) as CciResponseError;
    expect(error).toBeInstanceOf(CciResponseError);
    expect(error).toMatchObject({ status: 200, reason: 'ResponseTooLarge' });
  });

  it('an enormous chunked body → ResponseTooLarge once the limit is passed, and the stream is cut', async () => {
    let written = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (written < 64 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
        if (written < 64 * 1024 * 1024 && !res.destroyed) res.once('drain', pump);
      };
      res.on('error', () => undefined);
      pump();
    });
    const error = (await readError(server, { maxResponseBytes: 1024 * 1024 })) as CciResponseError;
    expect(error).toBeInstanceOf(CciResponseError);
    expect(error).toMatchObject({ status: 200, reason: 'ResponseTooLarge' });
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('a server that stalls mid-body → CciTimeoutError', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
      res.write('{"kind":"Service","metadata":');
    });
    expect(await readError(server, { timeoutMs: 200 })).toBeInstanceOf(CciTimeoutError);
  });

  it('a reset connection → CciNetworkError with the code', async () => {
    const server = await serve((req) => req.socket.destroy());
    const error = (await readError(server, { retry: false })) as CciNetworkError;
    expect(error).toBeInstanceOf(CciNetworkError);
    expect(error.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(error.message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/default\/services\/redis\/status failed: /,
    );
  });

  it('nobody listening → CciNetworkError ECONNREFUSED', async () => {
    const server = await serve(() => undefined);
    await server.close();
    const error = (await readError(server)) as CciNetworkError;
    expect(error).toBeInstanceOf(CciNetworkError);
    expect(error.code).toBe('ECONNREFUSED');
  });
});

describe('redirects', () => {
  it('a redirect to another origin is not followed: the token never reaches it', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, exampleService()));
    const server = await serve((req, res) => res.writeHead(307, { location: `${elsewhere.url}${req.url}` }).end());
    const error = (await readError(server)) as CciResponseError;
    expect(error).toBeInstanceOf(CciResponseError);
    expect(error).toMatchObject({ status: 307, reason: 'Redirect' });
    expect(error.message).toContain(`redirected to another origin (${elsewhere.origin})`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('client.GET does not follow it either', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, exampleService()));
    const server = await serve((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/steal` }).end());
    await expect(
      clientFor(server).GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
        params: { path: { namespace: 'a', name: 'b' } },
      }),
    ).rejects.toMatchObject({ reason: 'Redirect' });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a same-origin redirect is followed with the token', async () => {
    const server = await serve((req, res) =>
      req.url?.startsWith('/old')
        ? res.writeHead(301, { location: req.url.slice(4) }).end()
        : sendJson(res, 200, exampleService()),
    );
    const client = clientFor(server, { baseUrl: `${server.url}/old` });
    await expect(client.readServiceStatus({ namespace: 'default', name: 'redis' })).resolves.toEqual(exampleService());
    expect(server.requests.map((r) => [r.url, r.headers['x-auth-token']])).toEqual([
      ['/old/api/v1/namespaces/default/services/redis/status', TOKEN],
      ['/api/v1/namespaces/default/services/redis/status', TOKEN],
    ]);
  });

  it('a redirect loop ends after 5 hops', async () => {
    const server = await serve((req, res) => res.writeHead(302, { location: req.url! }).end());
    expect(await readError(server)).toMatchObject({ reason: 'Redirect' });
    expect(server.requests).toHaveLength(6);
  });
});
