// On Node the client carries requests over node:http (src/wire/node-wire.ts), not fetch: what that wire
// must do that fetch did for free (gzip, the body limit on decoded bytes, connection reuse) and
// what it must not do (touch globalThis.fetch, keep sockets after close()).
import type { Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CciApiError, CciResponseError, createCciClient } from '../src/index.js';
import { TOKEN } from './helpers/client.js';
import { failureOf } from './helpers/failure.js';
import { sendJson, serveClosedAfterEach } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';

const serve = serveClosedAfterEach();
afterEach(() => vi.unstubAllGlobals());

const service = exampleService();
const params = { namespace: service.metadata!.namespace!, name: service.metadata!.name! };

describe('the node:http wire (the default on Node)', () => {
  it('is what a client without a fetch option uses: globalThis.fetch is never called', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, service));
    const fetchSpy = vi.fn(() => Promise.reject(new Error('fetch must not be used')));
    vi.stubGlobal('fetch', fetchSpy);
    const client = createCciClient({ baseUrl: server.url, token: TOKEN });
    await expect(client.readCoreV1NamespacedServiceStatus(params)).resolves.toMatchObject({
      metadata: { uid: service.metadata!.uid },
    });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(server.requests[0]!.headers).toMatchObject({
      'x-auth-token': TOKEN,
      accept: 'application/json',
      'accept-encoding': 'gzip, deflate',
    });
    await client.close();
  });

  it("sends the same headers on every call, with a fixed token or one from a function, and a caller's Accept-Encoding wins", async () => {
    const server = await serve((_req, res) => sendJson(res, 200, service));
    const fixed = createCciClient({ baseUrl: server.url, token: TOKEN });
    const own = createCciClient({ baseUrl: server.url, token: TOKEN, headers: { 'Accept-Encoding': 'identity' } });
    const dynamic = createCciClient({ baseUrl: server.url, getToken: async () => TOKEN });
    for (const client of [fixed, own, dynamic, fixed, own, dynamic])
      await client.readCoreV1NamespacedServiceStatus(params);
    const sent = server.requests.map((request) => [
      request.headers['accept-encoding'],
      request.headers['x-auth-token'],
    ]);
    const expected = [
      ['gzip, deflate', TOKEN],
      ['identity', TOKEN],
      ['gzip, deflate', TOKEN],
    ];
    expect(sent).toEqual([...expected, ...expected]);
    await Promise.all([fixed.close(), own.close(), dynamic.close()]);
  });

  it('reads the length and the encoding of an answer whatever the case of their header names', async () => {
    const body = JSON.stringify(service);
    const compressed = gzipSync(body);
    const server = await serve((_req, res) => {
      // Raw header lines, so that the names keep the case the server gave them.
      res.socket!.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCONTENT-ENCODING: gzip\r\nContent-Length: ${compressed.byteLength}\r\n\r\n`,
      );
      res.socket!.end(compressed);
    });
    const client = createCciClient({ baseUrl: server.url, token: TOKEN, maxResponseBytes: body.length + 10 });
    await expect(client.readCoreV1NamespacedServiceStatus(params)).resolves.toMatchObject({
      metadata: { uid: service.metadata!.uid },
    });
    // The declared length counts against the limit before a byte is read.
    const small = createCciClient({ baseUrl: server.url, token: TOKEN, maxResponseBytes: 64 });
    await expect(failureOf(small.readCoreV1NamespacedServiceStatus(params))).resolves.toMatchObject({
      reason: 'ResponseTooLarge',
    });
    await Promise.all([client.close(), small.close()]);
  });

  it('a runtime whose node:http is missing or partial gets the fetch wire instead', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, service));
    const fetchSpy = vi.fn(globalThis.fetch);
    vi.stubGlobal('fetch', fetchSpy);
    const real = process.getBuiltinModule;
    for (const imitation of [
      () => {
        throw new Error('No such built-in module: node:http');
      },
      (id: string) => (id === 'node:http' ? {} : real(id)),
    ]) {
      process.getBuiltinModule = imitation as typeof real;
      try {
        const client = createCciClient({ baseUrl: server.url, token: TOKEN });
        await expect(client.readCoreV1NamespacedServiceStatus(params)).resolves.toMatchObject({ kind: 'Service' });
      } finally {
        process.getBuiltinModule = real;
      }
    }
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('a fetch passed in options is used instead', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, service));
    const fetchSpy = vi.fn(globalThis.fetch);
    const client = createCciClient({ baseUrl: server.url, token: TOKEN, fetch: fetchSpy });
    await client.readCoreV1NamespacedServiceStatus(params);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    const server = await serve((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding })
        .end(compress(JSON.stringify(service))),
    );
    const client = createCciClient({ baseUrl: server.url, token: TOKEN });
    await expect(client.readCoreV1NamespacedServiceStatus(params)).resolves.toEqual(service);
  });

  it('counts the body limit in decoded bytes: a small gzip that inflates past maxResponseBytes is refused', async () => {
    const huge = JSON.stringify({ ...service, padding: 'x'.repeat(4 * 1024 * 1024) });
    const compressed = gzipSync(huge);
    expect(compressed.byteLength).toBeLessThan(64 * 1024);
    const server = await serve((_req, res) =>
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': compressed.byteLength,
        })
        .end(compressed),
    );
    const client = createCciClient({ baseUrl: server.url, token: TOKEN, maxResponseBytes: 1024 * 1024 });
    const error = await failureOf(client.readCoreV1NamespacedServiceStatus(params));
    expect(error).toBeInstanceOf(CciResponseError);
    expect(error).toMatchObject({ reason: 'ResponseTooLarge' });
  });

  it('a corrupt gzip body is a typed error, not a crash', async () => {
    const server = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end('not gzip at all'),
    );
    const client = createCciClient({ baseUrl: server.url, token: TOKEN, retry: false });
    const error = await failureOf(client.readCoreV1NamespacedServiceStatus(params));
    expect(error).toMatchObject({ name: 'CciNetworkError' });
  });

  it('close() while answers are arriving: every call rejects with the closed error, and nothing crashes', async () => {
    let answered = 0;
    const server = await serve((_req, res) => {
      answered++;
      // Headers now, the body in pieces: the calls are between their answer and their body.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"kind":"Service",');
      setTimeout(() => res.end('"apiVersion":"v1"}'), 200);
    });
    const client = createCciClient({ baseUrl: server.url, token: TOKEN });
    const calls = Array.from({ length: 8 }, () => failureOf(client.readCoreV1NamespacedServiceStatus(params)));
    await vi.waitFor(() => expect(answered).toBe(8));
    await client.close();
    for (const error of await Promise.all(calls))
      expect(error).toMatchObject({ name: 'CciInputError', message: expect.stringMatching(/closed/) });
  });

  it('reuses one connection for calls in a row, and close() closes it', async () => {
    const sockets = new Set<Socket>();
    let closedSockets = 0;
    const server = await serve((req, res) => {
      if (!sockets.has(req.socket)) {
        sockets.add(req.socket);
        req.socket.once('close', () => closedSockets++);
      }
      sendJson(res, 200, service);
    });
    const client = createCciClient({ baseUrl: server.url, token: TOKEN });
    for (let i = 0; i < 5; i++) await client.readCoreV1NamespacedServiceStatus(params);
    expect(sockets.size).toBe(1);
    expect(closedSockets).toBe(0);
    await client.close();
    await vi.waitFor(() => expect(closedSockets).toBe(1));
  });

  it("the answer's headers reach the caller, repeated ones joined as fetch joins them", async () => {
    const server = await serve((_req, res) => {
      res.setHeader('warning', ['299 - "first"', '299 - "second"']);
      sendJson(
        res,
        404,
        {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'NotFound',
          code: 404,
          message: 'services "redis" not found',
        },
        {
          'x-request-id': 'req-42',
        },
      );
    });
    const client = createCciClient({ baseUrl: server.url, token: TOKEN });
    const error = (await failureOf(client.readCoreV1NamespacedServiceStatus(params))) as CciApiError;
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({ status: 404, reason: 'NotFound', requestId: 'req-42' });
    const { response } = await client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
      params: { path: params },
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('warning')).toBe('299 - "first", 299 - "second"');
  });
});
