import { afterEach, describe, expect, it } from 'vitest';
import { CciInputError, CciResponseError, isCciError } from '../src/index.js';
import { clientFor } from './helpers/client.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';
import { failureOf } from './helpers/failure.js';

let server: TestServer;
afterEach(() => server.close());
const PATH = '/api/v1/namespaces/{namespace}/services/{name}/status';

describe('client.GET maps every outcome to the typed errors', () => {
  it('HTTP status 600 → CciResponseError InvalidResponse, not a RangeError', async () => {
    server = await startServer((_req, res) => sendJson(res, 600, exampleService()));
    const error = await failureOf(clientFor(server).GET(PATH, { params: { path: { namespace: 'a', name: 'b' } } }));
    expect(error).toBeInstanceOf(CciResponseError);
    expect(error).toMatchObject({ status: 600, reason: 'InvalidResponse' });
  });

  it('a 200 whose body is not JSON → CciResponseError InvalidResponse, not a SyntaxError', async () => {
    server = await startServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-7' }).end('{"kind":"Serv'),
    );
    const error = await failureOf(clientFor(server).GET(PATH, { params: { path: { namespace: 'a', name: 'b' } } }));
    expect(error).toBeInstanceOf(CciResponseError);
    expect(isCciError(error, 'response')).toBe(true);
    expect(error).toMatchObject({ status: 200, reason: 'InvalidResponse', requestId: 'req-7' });
  });

  it('a missing path parameter is a CciInputError and nothing is sent', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, exampleService()));
    const client = clientFor(server);
    const error = await failureOf(client.GET(PATH, { params: { path: { namespace: 'a' } } } as never));
    expect(error).toBeInstanceOf(CciInputError);
    expect((error as Error).message).toMatch(/name/);
    expect(server.requests).toHaveLength(0);
  });

  it('query keys are percent-encoded as well as values: a key cannot add parameters', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, exampleService()));
    const query = { pretty: 'a&b', 'x&watch=true': '1' } as Record<string, string>;
    const { data } = await clientFor(server).GET(PATH, {
      params: { path: { namespace: 'a', name: 'b' }, query } as never,
    });
    expect(data?.kind).toBe('Service');
    const sent = new URL(server.requests[0]!.url, server.url);
    expect([...sent.searchParams.keys()]).toEqual(['pretty', 'x&watch=true']);
    expect(sent.searchParams.get('watch')).toBeNull();
    expect(server.requests[0]!.url).toContain('x%26watch%3Dtrue=1');
  });
});
