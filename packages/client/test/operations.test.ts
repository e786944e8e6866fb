import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALIASES, CciInputError, OPERATIONS, type CciClient } from '../src/index.js';
import { clientFor, WIRE } from './helpers/client.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { OPERATION_PATH } from './helpers/spec.js';

// Every operation of the spec is a method of the client, whatever the spec holds: these tests
// read the generated table, so a new operation is covered without a new test.

let server: TestServer;
let body: unknown;
beforeAll(async () => {
  server = await startServer((_req, res) => sendJson(res, 200, body));
});
afterAll(() => server.close());

/** Values for an operation's required parameters (path parameters are names). */
function requiredParams(id: keyof typeof OPERATIONS): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(OPERATIONS[id].params as Record<string, { in: string; required?: boolean }>)) {
    if (p.required) params[name] = `${name}-1`;
  }
  // A body of the first media type the operation takes, of the structure its shape asks for.
  const declared = (
    OPERATIONS[id] as { body?: { mediaTypes: readonly { mediaType: string; shape?: { type: string } }[] } }
  ).body;
  const first = declared?.mediaTypes[0];
  if (first) {
    params.body = first.shape?.type === 'array' ? [] : {};
    if (declared.mediaTypes.length > 1) params.contentType = first.mediaType;
  }
  return params;
}

const ids = Object.keys(OPERATIONS) as Array<keyof typeof OPERATIONS>;

describe('the client exposes every generated operation', () => {
  it.each(ids)('%s: fills its path, returns a body of its kind, refuses another kind', async (id) => {
    const client = clientFor(server) as unknown as Record<string, (params?: object) => Promise<unknown>>;
    const descriptor = OPERATIONS[id] as { path: string; kind?: string };
    const params = requiredParams(id);
    body = { kind: descriptor.kind, metadata: {} };
    await expect(client[id]!(params)).resolves.toEqual(body);
    const expectedPath = descriptor.path.replace(/\{([^}]+)\}/g, (_all, name: string) => `${name}-1`);
    expect(server.requests.at(-1)!.url).toBe(expectedPath);
    body = { kind: 'SomethingElse', metadata: {} };
    await expect(client[id]!(params)).rejects.toMatchObject({ status: 200, reason: 'InvalidResponse' });
  });

  it('every alias is the same function as its operation', () => {
    const client = clientFor(server) as unknown as Record<string, unknown>;
    for (const [alias, id] of Object.entries(ALIASES)) {
      expect(typeof client[id]).toBe('function');
      expect(client[alias]).toBe(client[id]);
    }
  });
});

describe('client.GET fills paths as the generated operations do', () => {
  it('a missing path parameter is a CciInputError, not a literal {name} on the wire', async () => {
    const client: CciClient = clientFor(server);
    const before = server.requests.length;
    // @ts-expect-error name is missing
    await expect(client.GET(OPERATION_PATH, { params: { path: { namespace: 'default' } } })).rejects.toThrow(
      CciInputError,
    );
    // @ts-expect-error params are required
    await expect(client.GET(OPERATION_PATH)).rejects.toThrow(/namespace is missing/);
    expect(server.requests.length).toBe(before);
  });

  it('an unknown path parameter is a CciInputError too', async () => {
    const client: CciClient = clientFor(server);
    await expect(
      client.GET(OPERATION_PATH, { params: { path: { namespace: 'default', name: 'redis', extra: 'x' } } }),
    ).rejects.toThrow(/Unknown path parameter "extra"/);
  });
});

describe(`the wire these tests run on (${WIRE})`, () => {
  it('is the one the suite names: fetch is called only in the fetch-wire project', async () => {
    body = { kind: 'Service', apiVersion: 'v1', metadata: { name: 'name-1' } };
    const spy = vi.fn(globalThis.fetch);
    vi.stubGlobal('fetch', spy);
    try {
      await clientFor(server).readCoreV1NamespacedService({ namespace: 'namespace-1', name: 'name-1' });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(spy).toHaveBeenCalledTimes(WIRE === 'fetch' ? 1 : 0);
  });
});
