import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, TOKEN } from './helpers/client.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { errorCases, exampleService, OPERATION_PATH } from './helpers/spec.js';

let server: TestServer;
const notFound = errorCases().find((c) => c.status === 404)!.example;
beforeAll(async () => {
  server = await startServer((req, res) =>
    req.url?.includes('/missing/') ? sendJson(res, 404, notFound) : sendJson(res, 200, exampleService()),
  );
});
afterAll(() => server.close());

describe('the raw openapi-fetch client stays available', () => {
  it('client.GET returns typed data, with the token and the query', async () => {
    const { data, error, response } = await clientFor(server).GET(OPERATION_PATH, {
      params: { path: { namespace: 'default', name: 'redis' }, query: { pretty: 'true' } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.metadata.name).toBe(exampleService().metadata.name);
    expect(server.requests.at(-1)).toMatchObject({
      url: '/api/v1/namespaces/default/services/redis/status?pretty=true',
      headers: { 'x-auth-token': TOKEN },
    });
  });

  it('client.GET returns a declared error as the typed Status, without throwing', async () => {
    const { data, error, response } = await clientFor(server).GET(OPERATION_PATH, {
      params: { path: { namespace: 'default', name: 'missing' } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toEqual(notFound);
    expect(error?.reason).toBe('NotFound');
  });

  it('openapi-fetch middleware (client.use) still runs', async () => {
    const client = clientFor(server);
    const seen: string[] = [];
    client.use({
      onRequest: ({ request }) => {
        seen.push(new URL(request.url).pathname);
        request.headers.set('x-from-middleware', 'yes');
      },
    });
    await client.GET(OPERATION_PATH, { params: { path: { namespace: 'default', name: 'redis' } } });
    expect(seen).toEqual(['/api/v1/namespaces/default/services/redis/status']);
    expect(server.requests.at(-1)!.headers['x-from-middleware']).toBe('yes');
  });
});
