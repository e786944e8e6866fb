import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CciInputError } from '../src/index.js';
import { clientFor, TOKEN } from './helpers/client.js';
import { failureOf } from './helpers/failure.js';
import { readRequestBody, sendJson, startServer, type TestServer } from './helpers/server.js';
import { exampleService, OPERATION_PATH } from './helpers/spec.js';

// client.GET & co. (client/fetch-api.ts: openapi-fetch composed with the pipeline as its fetch) read
// the answer from the text the transport already holds (pipeline/text-response.ts): what
// openapi-fetch hands back must still be a Response that behaves as one, and every request part
// (method, body, headers, signal) must still arrive.
let server: TestServer;
const bodies: string[] = [];
beforeAll(async () => {
  server = await startServer(async (req, res) => {
    bodies.push(await readRequestBody(req));
    if (req.url?.endsWith('/empty')) return res.writeHead(204).end();
    if (req.url?.includes('/slow/')) return; // never answers: the caller's signal must end the call
    sendJson(res, req.method === 'POST' ? 201 : 200, exampleService());
  });
});
afterAll(() => server.close());
const SERVICES = '/api/v1/namespaces/{namespace}/services';
const path = { namespace: 'default', name: 'redis' };

describe('client.GET & co. without middleware (the answer read once, by the transport)', () => {
  it('the response is a Response: status, headers, bodyUsed after openapi-fetch read it, refused a second read', async () => {
    const { data, response } = await clientFor(server).GET(OPERATION_PATH, { params: { path } });
    expect(data?.metadata.uid).toBe(exampleService().metadata.uid);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
  });

  it.each(['text', 'arrayBuffer', 'blob', 'stream'] as const)(
    'parseAs %s gives the body in that form',
    async (parseAs) => {
      const { data, response } = await clientFor(server).GET(OPERATION_PATH, { params: { path }, parseAs });
      const raw = data as unknown;
      const text =
        parseAs === 'text'
          ? (raw as string)
          : parseAs === 'stream'
            ? await new Response(raw as ReadableStream).text()
            : parseAs === 'blob'
              ? await (raw as Blob).text()
              : new TextDecoder().decode(raw as ArrayBuffer);
      expect(JSON.parse(text)).toEqual(exampleService());
      expect(response.bodyUsed).toBe(true);
    },
  );

  it('a 204 answer: no data, a null body', async () => {
    const { data, error, response } = await clientFor(server).GET(
      `${SERVICES}/empty` as never,
      {
        params: { path: { namespace: 'default' } },
      } as never,
    );
    expect([data, error, response.status, response.body]).toEqual([undefined, undefined, 204, null]);
  });

  it('POST sends its JSON body, content-type, the configured headers and the token', async () => {
    const service = exampleService();
    const { data, response } = await clientFor(server, { headers: { 'X-Extra': 'yes' } }).POST(SERVICES, {
      params: { path: { namespace: 'default' } },
      body: service,
    });
    expect(response.status).toBe(201);
    expect(data?.kind).toBe('Service');
    expect(JSON.parse(bodies.at(-1)!)).toEqual(service);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-extra': 'yes', 'x-auth-token': TOKEN },
    });
  });

  it('a FormData body arrives', async () => {
    const form = new FormData();
    form.set('field', 'value-1');
    await clientFor(server).POST(SERVICES, { params: { path: { namespace: 'default' } }, body: form as never });
    expect(server.requests.at(-1)!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(bodies.at(-1)).toContain('value-1');
  });

  it("the caller's signal ends the call", async () => {
    const controller = new AbortController();
    const call = clientFor(server).GET(
      `${SERVICES}/slow/x` as never,
      {
        params: { path: { namespace: 'default' } },
        signal: controller.signal,
      } as never,
    );
    await server.waitForRequests(server.requests.length + 1);
    controller.abort(new Error('stop'));
    expect(((await failureOf(call)) as Error).message).toBe('stop');
  });

  it('a header value HTTP refuses is a CciInputError, and nothing is sent', async () => {
    const before = server.requests.length;
    const error = await failureOf(
      clientFor(server).GET(OPERATION_PATH, { params: { path }, headers: { 'x-bad': 'a\nb' } }),
    );
    expect(error).toBeInstanceOf(CciInputError);
    expect(server.requests).toHaveLength(before);
  });
});
