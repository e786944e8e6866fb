import { afterEach, describe, expect, it } from 'vitest';
import {
  CciInputError,
  createCciContext,
  type Middleware,
  OPERATIONS,
  readCoreV1NamespacedService,
  readCoreV1NamespacedServiceStatus,
} from '../src/index.js';
import { clientFor, TOKEN, WIRE } from './helpers/client.js';
import { exampleService } from './helpers/spec.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';

// createCciContext: a client without its operations, for the per-operation functions. The same
// options, checks and pipeline as createCciClient, against a real server on 127.0.0.1.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const contextFor = (url: string) =>
  createCciContext({ baseUrl: url, token: TOKEN, ...(WIRE === 'fetch' && { fetch: globalThis.fetch }) });

describe('createCciContext and the per-operation functions', () => {
  it('a function call goes through the context: credential, middleware once, the path of its descriptor', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, exampleService()));
    const cci = contextFor(server.url);
    const seen: string[] = [];
    const middleware: Middleware = { onRequest: ({ schemaPath }) => void seen.push(schemaPath) };
    cci.use(middleware);
    const service = await readCoreV1NamespacedServiceStatus(cci, { namespace: 'default', name: 'redis' });
    expect(service.metadata.name).toBe(exampleService().metadata.name);
    await readCoreV1NamespacedService(cci, { namespace: 'default', name: 'redis' });
    expect(seen).toEqual([
      OPERATIONS.readCoreV1NamespacedServiceStatus.path,
      OPERATIONS.readCoreV1NamespacedService.path,
    ]);
    expect(server.requests.map((r) => r.headers.authorization ?? r.headers['x-auth-token'])).toEqual([TOKEN, TOKEN]);
    cci.eject(middleware);
    await readCoreV1NamespacedServiceStatus(cci, { namespace: 'default', name: 'redis' });
    expect(seen).toHaveLength(2);
    await cci.close();
  });

  it('the same function works on a client, and each context keeps its own base URL', async () => {
    server = await startServer((req, res) => sendJson(res, 200, { ...exampleService(), metadata: { name: req.url } }));
    const client = clientFor(server);
    const other = await startServer((_req, res) =>
      sendJson(res, 200, { ...exampleService(), metadata: { name: 'other' } }),
    );
    const cci = contextFor(other.url);
    try {
      const fromClient = await readCoreV1NamespacedServiceStatus(client, { namespace: 'a', name: 'b' });
      const fromContext = await readCoreV1NamespacedServiceStatus(cci, { namespace: 'a', name: 'b' });
      expect(fromClient.metadata.name).toBe('/api/v1/namespaces/a/services/b/status');
      expect(fromContext.metadata.name).toBe('other');
      expect(cci.baseUrl).toBe(other.url);
    } finally {
      await Promise.all([client.close(), cci.close(), other.close()]);
    }
  });

  it('bad options, bad parameters, a closed context and something that is not a context are CciInputErrors', async () => {
    expect(() => createCciContext({ region: 'not a region' })).toThrow(CciInputError);
    expect(() => createCciContext({ token: 'a', bearerToken: 'b', region: 'cn-north-4' })).toThrow(
      /Give one credential/,
    );
    server = await startServer((_req, res) => sendJson(res, 200, exampleService()));
    const cci = contextFor(server.url);
    await expect(readCoreV1NamespacedServiceStatus(cci, { namespace: 'a' } as never)).rejects.toThrow(
      /name is missing/,
    );
    await expect(readCoreV1NamespacedServiceStatus({} as never, { namespace: 'a', name: 'b' })).rejects.toThrow(
      /createCciContext\(\)/,
    );
    await cci.close();
    await expect(readCoreV1NamespacedServiceStatus(cci, { namespace: 'a', name: 'b' })).rejects.toThrow(
      /The client is closed/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
