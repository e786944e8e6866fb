import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CciInputError, createCciClient, type CciClientOptions } from '../src/index.js';
import { clientFor, TOKEN } from './helpers/client.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';
import { failureOf } from './helpers/failure.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer((_req, res) => sendJson(res, 200, exampleService()));
});
afterEach(() => server.close());

describe('authentication and headers', () => {
  it('sends token as X-Auth-Token and asks for JSON', async () => {
    await clientFor(server).readServiceStatus({ namespace: 'default', name: 'redis' });
    expect(server.requests[0]!.headers['x-auth-token']).toBe(TOKEN);
    expect(server.requests[0]!.headers.accept).toBe('application/json');
  });

  it('sends bearerToken as Authorization: Bearer, and no X-Auth-Token (kube-apiserver)', async () => {
    const client = createCciClient({ baseUrl: server.url, bearerToken: 'kube-token' });
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    await client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
      params: { path: { namespace: 'default', name: 'redis' } },
      headers: { 'X-Per-Call': '1' },
    });
    for (const request of server.requests) {
      expect(request.headers.authorization).toBe('Bearer kube-token');
      expect(request.headers).not.toHaveProperty('x-auth-token');
    }
  });

  it('calls getBearerToken before every request and sends its result as Authorization: Bearer', async () => {
    let generation = 0;
    const client = createCciClient({ baseUrl: server.url, getBearerToken: async () => `rotated-${++generation}` });
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    await client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
      params: { path: { namespace: 'default', name: 'redis' } },
    });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer rotated-1', 'Bearer rotated-2']);
    expect(server.requests[0]!.headers).not.toHaveProperty('x-auth-token');
  });

  it('a bearer token wins over an Authorization header given in headers', async () => {
    const client = createCciClient({
      baseUrl: server.url,
      bearerToken: 'kube-token',
      headers: { Authorization: 'Basic bXVzdDpub3Q=' },
    });
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    await client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
      params: { path: { namespace: 'default', name: 'redis' } },
      headers: { Authorization: 'Basic eA==' },
    });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer kube-token', 'Bearer kube-token']);
  });

  it('keeps a bearer token out of errors, as it does a gateway token', async () => {
    const echo = await startServer((req, res) =>
      sendJson(res, 401, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Unauthorized',
        code: 401,
        message: `bad ${req.headers.authorization}`,
      }),
    );
    try {
      const error = (await failureOf(
        createCciClient({ baseUrl: echo.url, bearerToken: 'secret-bearer-token', retry: false }).readServiceStatus({
          namespace: 'default',
          name: 'redis',
        }),
      )) as Error;
      // The error really is the server's 401 (not a success), and the echoed token is cut out of it.
      expect(error).toMatchObject({ name: 'CciApiError', status: 401 });
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('secret-bearer-token');
    } finally {
      await echo.close();
    }
  });

  it('rejects a bearer token with CR LF before any request', async () => {
    expect(() => createCciClient({ baseUrl: server.url, bearerToken: 'abc\r\nX-Injected: yes' })).toThrow(
      CciInputError,
    );
    const client = createCciClient({ baseUrl: server.url, getBearerToken: () => 'abc\ndef' });
    await expect(client.readServiceStatus({ namespace: 'default', name: 'redis' })).rejects.toThrow(/getBearerToken/);
    expect(server.requests).toHaveLength(0);
  });

  it('sends no X-Auth-Token without a token', async () => {
    await createCciClient({ baseUrl: server.url }).readServiceStatus({ namespace: 'default', name: 'redis' });
    expect(server.requests[0]!.headers).not.toHaveProperty('x-auth-token');
  });

  it('calls getToken before every request, so a refreshed token is used at once', async () => {
    let generation = 0;
    const client = clientFor(server, { getToken: async () => `token-generation-${++generation}` });
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    await client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
      params: { path: { namespace: 'default', name: 'redis' } },
    });
    expect(server.requests.map((r) => r.headers['x-auth-token'])).toEqual([
      'token-generation-1',
      'token-generation-2',
      'token-generation-3',
    ]);
  });

  it('accepts a synchronous getToken', async () => {
    await clientFor(server, { getToken: () => 'sync-token' }).readServiceStatus({
      namespace: 'default',
      name: 'redis',
    });
    expect(server.requests[0]!.headers['x-auth-token']).toBe('sync-token');
  });

  it('sends extra headers on every request, under the token', async () => {
    const client = clientFor(server, {
      headers: { 'X-Trace': 'abc', 'X-Auth-Token': 'must-not-win', Accept: 'application/json;as=Table' },
    });
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    await client.GET('/api/v1/namespaces/{namespace}/services/{name}/status', {
      params: { path: { namespace: 'default', name: 'redis' } },
      headers: { 'X-Per-Call': '1' },
    });
    for (const request of server.requests) {
      expect(request.headers['x-trace']).toBe('abc');
      expect(request.headers['x-auth-token']).toBe(TOKEN);
      expect(request.headers.accept).toBe('application/json;as=Table');
    }
    expect(server.requests[1]!.headers['x-per-call']).toBe('1');
  });

  it.each([
    ['CR LF', 'abc\r\nX-Injected: yes'],
    ['LF', 'abc\ndef'],
    ['NUL', 'abc\0def'],
    ['DEL', 'abc\x7f'],
    ['non-Latin-1', 'tökén™'],
    ['empty', ''],
  ])('rejects a token with %s before any request', async (_label, token) => {
    expect(() => createCciClient({ baseUrl: server.url, token })).toThrow(CciInputError);
    const client = createCciClient({ baseUrl: server.url, getToken: () => token });
    await expect(client.readServiceStatus({ namespace: 'default', name: 'redis' })).rejects.toThrow(CciInputError);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a header value with CR/LF and an invalid header name', () => {
    expect(() => createCciClient({ baseUrl: server.url, headers: { 'X-A': 'a\r\nb' } })).toThrow(CciInputError);
    expect(() => createCciClient({ baseUrl: server.url, headers: { 'X A': 'b' } })).toThrow(/not a valid HTTP token/);
  });

  it.each<[CciClientOptions, RegExp]>([
    [{ token: 'a-token', getToken: () => 'b-token' }, /not token and getToken/],
    [{ token: 'a-token', bearerToken: 'b-token' }, /not token and bearerToken/],
    [{ getToken: () => 'a-token', getBearerToken: () => 'b-token' }, /not getToken and getBearerToken/],
    [{ bearerToken: 'a-token', getBearerToken: () => 'b-token' }, /not bearerToken and getBearerToken/],
  ])('rejects two credentials at once (%o)', (credentials, message) => {
    expect(() => createCciClient({ baseUrl: server.url, ...credentials })).toThrow(message);
  });

  it('wraps an error thrown by getToken in CciInputError (the error as cause), sending nothing', async () => {
    const failure = new Error('IAM is down');
    const client = createCciClient({ baseUrl: server.url, getToken: async () => Promise.reject(failure) });
    await expect(client.readServiceStatus({ namespace: 'default', name: 'redis' })).rejects.toMatchObject({
      name: 'CciInputError',
      cause: failure,
    });
    expect(server.requests).toHaveLength(0);
  });
});
