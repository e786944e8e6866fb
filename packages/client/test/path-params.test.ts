import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CciInputError } from '../src/index.js';
import { clientFor } from './helpers/client.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { exampleService, OPERATION_PATH } from './helpers/spec.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => sendJson(res, 200, exampleService()));
});
afterAll(() => server.close());

const STATUS_PATH = /^\/api\/v1\/namespaces\/([^/?#]+)\/services\/([^/?#]+)\/status$/;

/** The namespace and name the server saw, decoded from the raw request-target. */
function received(index: number): { namespace: string; name: string } {
  const match = STATUS_PATH.exec(server.requests[index]!.url);
  if (!match) throw new Error(`the path changed: ${server.requests[index]!.url}`);
  return { namespace: decodeURIComponent(match[1]!), name: decodeURIComponent(match[2]!) };
}

type Call = (client: ReturnType<typeof clientFor>, namespace: string, name: string) => Promise<unknown>;
const CALLS: Array<[string, Call]> = [
  ['readServiceStatus', (client, namespace, name) => client.readServiceStatus({ namespace, name })],
  [
    'client.GET',
    async (client, namespace, name) => {
      const { error } = await client.GET(OPERATION_PATH, { params: { path: { namespace, name } } });
      if (error) throw new Error('unexpected error');
    },
  ],
];

describe.each(CALLS)('path parameters of %s', (_label, call) => {
  let client: ReturnType<typeof clientFor>;
  beforeAll(() => {
    client = clientFor(server);
  });

  it.each([
    '../',
    '..%2f',
    '/',
    'a/b',
    '%',
    '%2e%2e',
    '50%',
    'a b',
    '  ',
    '?x=1',
    '#frag',
    'ünïcødé',
    '服务',
    '😀',
    '\\..\\',
    '...',
    '.a',
    'a.',
    '\t',
  ])('%j reaches the server percent-encoded and decodes back exactly', async (value) => {
    const before = server.requests.length;
    await call(client, value, value);
    expect(server.requests).toHaveLength(before + 1);
    expect(received(before)).toEqual({ namespace: value, name: value });
  });

  it.each([
    ['empty', ''],
    ['64 characters', 'a'.repeat(64)],
    ['NUL', 'a\0b'],
    ['CR', 'a\rb'],
    ['LF', 'a\nb'],
    ['dot segment .', '.'],
    ['dot segment ..', '..'],
    ['lone surrogate', 'a\ud800'],
  ])('rejects %s with CciInputError before any request', async (_what, value) => {
    const before = server.requests.length;
    await expect(call(client, value, 'redis')).rejects.toThrow(CciInputError);
    await expect(call(client, 'default', value)).rejects.toThrow(CciInputError);
    expect(server.requests).toHaveLength(before);
  });

  it('accepts exactly 63 characters', async () => {
    await call(client, 'n'.repeat(63), 'x'.repeat(63));
    expect(received(server.requests.length - 1)).toEqual({ namespace: 'n'.repeat(63), name: 'x'.repeat(63) });
  });

  it('property: any string is either rejected before sending, or arrives intact under /api/v1/namespaces/', async () => {
    const anyString = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 70 }),
      fc.string({
        unit: fc.constantFrom('.', '/', '%', '2', 'e', 'f', ' ', '\\', '?', '#', '\r', '\n', '\0'),
        maxLength: 8,
      }),
    );
    const seen = { sent: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(anyString, anyString, async (namespace, name) => {
        const before = server.requests.length;
        let rejected = false;
        try {
          await call(client, namespace, name);
        } catch (error) {
          expect(error).toBeInstanceOf(CciInputError);
          rejected = true;
        }
        seen[rejected ? 'rejected' : 'sent']++;
        if (rejected) {
          expect(server.requests).toHaveLength(before);
        } else {
          expect(server.requests).toHaveLength(before + 1);
          expect(server.requests[before]!.url.startsWith('/api/v1/namespaces/')).toBe(true);
          expect(received(before)).toEqual({ namespace, name });
        }
      }),
      { numRuns: 300 },
    );
    // Both branches were exercised, so the property says something about each.
    expect(seen.sent).toBeGreaterThan(50);
    expect(seen.rejected).toBeGreaterThan(5);
  });
});

it('pretty is sent as an encoded query parameter', async () => {
  const before = server.requests.length;
  await clientFor(server).readServiceStatus({ namespace: 'default', name: 'redis', pretty: 'true' });
  await clientFor(server).readServiceStatus({ namespace: 'default', name: 'redis', pretty: 'a&b=c' });
  expect(server.requests.slice(before).map((r) => r.url)).toEqual([
    '/api/v1/namespaces/default/services/redis/status?pretty=true',
    '/api/v1/namespaces/default/services/redis/status?pretty=a%26b%3Dc',
  ]);
});
