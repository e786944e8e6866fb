// The write operations on the wire: bodies and their Content-Type, the checks before sending, and
// which writes are retried. A real HTTP server on 127.0.0.1 records what arrives.
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CciInputError, type ServiceManifest } from '../src/index.js';
import { clientFor } from './helpers/client.js';
import { sendJson, startServer, type TestServer, readRequestBody } from './helpers/server.js';

interface Arrived {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

const SERVICE: ServiceManifest = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { ports: [{ port: 80 }] },
};

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that records each request with its body and answers with `answer(index, arrived)`. */
async function recording(answer: (index: number, arrived: Arrived, res: ServerResponse) => void) {
  const arrived: Arrived[] = [];
  server = await startServer(async (req, res, index) => {
    const entry = {
      method: req.method ?? '',
      url: req.url ?? '',
      contentType: req.headers['content-type'],
      body: await readRequestBody(req),
    };
    arrived.push(entry);
    answer(index, entry, res);
  });
  return { arrived, client: clientFor(server) };
}

const echoService = (_index: number, arrived: Arrived, res: ServerResponse) =>
  sendJson(res, arrived.method === 'POST' ? 201 : 200, {
    ...SERVICE,
    metadata: { ...SERVICE.metadata, resourceVersion: '7' },
  });

describe('request bodies', () => {
  it('create sends the Service as JSON with its Content-Type and the query parameters', async () => {
    const { arrived, client } = await recording(echoService);
    const created = await client.createCoreV1NamespacedService({
      namespace: 'ns',
      body: SERVICE,
      dryRun: 'All',
      fieldManager: 'me',
    });
    expect(created.metadata?.resourceVersion).toBe('7');
    expect(arrived[0]).toEqual({
      method: 'POST',
      url: '/api/v1/namespaces/ns/services?dryRun=All&fieldManager=me',
      contentType: 'application/json',
      body: JSON.stringify(SERVICE),
    });
  });

  it.each([
    ['application/json-patch+json', [{ op: 'replace', path: '/spec/ports/0/port', value: 81 }]],
    ['application/merge-patch+json', { metadata: { labels: { tier: 'web', old: null } } }],
    ['application/strategic-merge-patch+json', { spec: { ports: [{ port: 9090 }] } }],
    ['application/apply-patch+yaml', SERVICE],
  ] as const)('patch sends %s with that Content-Type', async (contentType, body) => {
    const { arrived, client } = await recording(echoService);
    await client.patchCoreV1NamespacedService({ namespace: 'ns', name: 'web', contentType, body: body as never });
    expect(arrived[0]).toMatchObject({
      method: 'PATCH',
      url: '/api/v1/namespaces/ns/services/web',
      contentType,
      body: JSON.stringify(body),
    });
  });

  it('an apply configuration may be YAML text, sent as it is', async () => {
    const { arrived, client } = await recording(echoService);
    const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';
    await client.patchCoreV1NamespacedService({
      namespace: 'ns',
      name: 'web',
      contentType: 'application/apply-patch+yaml',
      body: yaml,
      fieldManager: 'me',
    });
    expect(arrived[0]).toMatchObject({ contentType: 'application/apply-patch+yaml', body: yaml });
  });

  it('delete sends its optional DeleteOptions, or no body at all', async () => {
    const { arrived, client } = await recording((_i, _a, res) =>
      sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' }),
    );
    await client.deleteCoreV1NamespacedService({ namespace: 'ns', name: 'web' });
    const options = { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'u-1', resourceVersion: '7' } };
    await client.deleteCoreV1NamespacedService({
      namespace: 'ns',
      name: 'web',
      body: options,
      propagationPolicy: 'Background',
    });
    expect(arrived[0]).toMatchObject({ method: 'DELETE', contentType: undefined, body: '' });
    expect(arrived[1]).toMatchObject({
      url: '/api/v1/namespaces/ns/services/web?propagationPolicy=Background',
      contentType: 'application/json',
      body: JSON.stringify(options),
    });
  });

  it('middleware sees the body and its Content-Type', async () => {
    const { client } = await recording(echoService);
    const seen: Array<{ type: string | null; body: string }> = [];
    client.use({
      onRequest: async ({ request }) =>
        void seen.push({ type: request.headers.get('content-type'), body: await request.clone().text() }),
    });
    await client.replaceCoreV1NamespacedService({ namespace: 'ns', name: 'web', body: SERVICE });
    expect(seen).toEqual([{ type: 'application/json', body: JSON.stringify(SERVICE) }]);
  });
});

describe('bodies refused before sending', () => {
  it.each([
    [
      'no body where one is required',
      { namespace: 'ns' },
      'create',
      /body is missing: POST \/api\/v1\/namespaces\/\{namespace\}\/services needs one \(application\/json\)/,
    ],
    [
      'a Service that is an array',
      { namespace: 'ns', body: [SERVICE] },
      'create',
      /not a valid application\/json body: expected an object, got an array/,
    ],
    [
      'a Service whose spec.ports is an object',
      { namespace: 'ns', body: { ...SERVICE, spec: { ports: { port: 80 } } } },
      'create',
      /spec\.ports is not an array/,
    ],
    [
      'text where JSON is sent',
      { namespace: 'ns', body: '{"kind":"Service"}' },
      'create',
      /body must be a value, not text/,
    ],
    [
      'a JSON Patch that is an object',
      { namespace: 'ns', name: 'web', contentType: 'application/json-patch+json', body: { op: 'add' } },
      'patch',
      /expected an array|is not an array/,
    ],
    [
      'a JSON Patch operation that is a string',
      { namespace: 'ns', name: 'web', contentType: 'application/json-patch+json', body: ['add'] },
      'patch',
      /\[0\] is not an object/,
    ],
    [
      'a merge patch that is a list',
      { namespace: 'ns', name: 'web', contentType: 'application/merge-patch+json', body: [] },
      'patch',
      /expected an object, got an array/,
    ],
    [
      'a patch without its format',
      { namespace: 'ns', name: 'web', body: {} },
      'patch',
      /contentType is missing: .* takes a body in one of application\/json-patch\+json, /,
    ],
    [
      'an unknown format',
      { namespace: 'ns', name: 'web', contentType: 'text/plain', body: {} },
      'patch',
      /contentType "text\/plain" is not one/,
    ],
    [
      'a body a JSON encoder cannot write',
      { namespace: 'ns', body: { metadata: { name: 'x' }, size: 1n } },
      'create',
      /cannot be sent as JSON/,
    ],
  ])('%s', async (_label, params, call, message) => {
    const { arrived, client } = await recording(echoService);
    const method = call === 'create' ? client.createCoreV1NamespacedService : client.patchCoreV1NamespacedService;
    const error = await (method as (p: object) => Promise<unknown>)(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciInputError);
    expect((error as Error).message).toMatch(message);
    expect(arrived).toHaveLength(0);
  });
});

describe('which writes are retried', () => {
  const failFirst = (status: number) => (index: number, arrived: Arrived, res: ServerResponse) =>
    index === 0
      ? sendJson(res, status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: status })
      : echoService(index, arrived, res);

  it.each([503, 504])('a POST answered %i is not sent again: it may have been acted on', async (status) => {
    const { arrived, client } = await recording(failFirst(status));
    await expect(client.createCoreV1NamespacedService({ namespace: 'ns', body: SERVICE })).rejects.toMatchObject({
      status,
    });
    expect(arrived).toHaveLength(1);
  });

  it('a PATCH cut off by a reset is not sent again', async () => {
    const arrived: string[] = [];
    server = await startServer(async (req, res) => {
      arrived.push(await readRequestBody(req));
      res.socket?.destroy();
    });
    const client = clientFor(server);
    await expect(
      client.patchCoreV1NamespacedService({
        namespace: 'ns',
        name: 'web',
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { a: 'b' } } },
      }),
    ).rejects.toMatchObject({ kind: 'network' });
    expect(arrived).toHaveLength(1);
  });

  it('any write refused with 429 is sent again (refused before it was acted on)', async () => {
    const { arrived, client } = await recording(failFirst(429));
    await expect(client.createCoreV1NamespacedService({ namespace: 'ns', body: SERVICE })).resolves.toMatchObject({
      kind: 'Service',
    });
    expect(arrived.map((a) => a.method)).toEqual(['POST', 'POST']);
    expect(arrived[1]!.body).toBe(arrived[0]!.body);
  });

  it('a PUT that names its resourceVersion is retried after a 503; one without is not', async () => {
    const withVersion = await recording(failFirst(503));
    const body = { ...SERVICE, metadata: { ...SERVICE.metadata, resourceVersion: '6' } };
    await expect(
      withVersion.client.replaceCoreV1NamespacedService({ namespace: 'ns', name: 'web', body }),
    ).resolves.toMatchObject({ kind: 'Service' });
    expect(withVersion.arrived).toHaveLength(2);
    await server!.close();
    const without = await recording(failFirst(503));
    await expect(
      without.client.replaceCoreV1NamespacedService({ namespace: 'ns', name: 'web', body: SERVICE }),
    ).rejects.toMatchObject({ status: 503 });
    expect(without.arrived).toHaveLength(1);
  });
});
