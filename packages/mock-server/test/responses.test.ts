// The mock's answers for each status code of the operation, checked against the spec's schemas.
// The `kube` profile, whose 401 is a Status (the cci profile's gateway refusals: gateway-*.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index.js';
import { request, statusPath } from './helpers/http.js';
import { declaredCodes, serviceProblems, spec, statusProblems } from './helpers/spec.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ profile: 'kube', port: 0 });
});
afterAll(() => server.close());

/** An error answer: JSON Status valid against the spec, with the code both in HTTP and in the body. */
function expectStatus(answer: { status: number; json: any; headers: Headers }, code: number, reason: string) {
  expect(answer.status).toBe(code);
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(statusProblems(answer.json)).toEqual([]);
  expect(answer.json).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
  expect(declaredCodes()).toContain(code);
}

describe('200 OK', () => {
  it('serves the page example namespace-test/redis exactly as the spec example gives it', async () => {
    const answer = await request(server.url + statusPath('namespace-test', 'redis'));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.json).toEqual(spec.components.examples.ServiceRedisClusterIP.value);
    expect(serviceProblems(answer.json)).toEqual([]);
  });

  it.each([
    ['web-nodeport', 'NodePort'],
    ['web-elb', 'LoadBalancer'],
    ['redis-headless', 'ClusterIP'],
    ['external-db', 'ExternalName'],
  ])('serves %s (%s), valid against the Service schema', async (name, type) => {
    const answer = await request(server.url + statusPath('namespace-test', name));
    expect(answer.status).toBe(200);
    expect(serviceProblems(answer.json)).toEqual([]);
    expect(answer.json.metadata).toMatchObject({ namespace: 'namespace-test', name });
    expect(answer.json.spec.type).toBe(type);
  });

  // As kube-apiserver v1.20 writes them: compact JSON through Go's json.Encoder ends with a newline,
  // indented JSON (json.MarshalIndent) does not.
  it('answers compact JSON ending in a newline, and indented JSON with pretty=true (and Go ParseBool spellings) without one', async () => {
    const compact = await request(server.url + statusPath('namespace-test', 'redis'));
    expect(compact.text).toBe(`${JSON.stringify(compact.json)}\n`);
    for (const pretty of ['true', '1', 'True', 't']) {
      const indented = await request(`${server.url}${statusPath('namespace-test', 'redis')}?pretty=${pretty}`);
      expect(indented.text).toBe(JSON.stringify(compact.json, null, 2));
    }
    const notPretty = await request(`${server.url}${statusPath('namespace-test', 'redis')}?pretty=false`);
    expect(notPretty.text).toBe(compact.text);
  });

  it('pretty-prints error bodies too', async () => {
    const answer = await request(`${server.url}${statusPath('namespace-test', 'missing')}?pretty=true`);
    expect(answer.text).toBe(JSON.stringify(answer.json, null, 2));
  });

  it.each([
    'application/json',
    '*/*',
    '*/*;q=0.1',
    'application/yaml',
    'application/json; charset=utf-8',
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    'text/html;q=0.9, application/json;q=0.5',
    'application/json;q=0',
  ])('accepts Accept: %s', async (accept) => {
    const answer = await request(server.url + statusPath('namespace-test', 'redis'), { headers: { accept } });
    expect(answer.status).toBe(200);
  });

  it('sends a request id and no-cache', async () => {
    const answer = await request(server.url + statusPath('namespace-test', 'redis'));
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('cache-control')).toBe('no-cache, private');
  });
});

describe('400 BadRequest', () => {
  it.each([['an encoded "%" in the name', statusPath('namespace-test', 'a%25b'), `may not contain '%'`]])(
    'for %s',
    async (_what, path, message) => {
      const answer = await request(server.url + path);
      expectStatus(answer, 400, 'BadRequest');
      expect(answer.json.message).toContain(message);
    },
  );

  // Go's HTTP server refuses these before kube-apiserver sees them (see bad-input.test.ts).
  it.each([
    ['an invalid percent-escape', statusPath('namespace-test', 'red%zzis')],
    ['a truncated percent-escape', statusPath('namespace-test', 'redis%2')],
  ])('for %s: plain text "400 Bad Request", as Go answers', async (_what, path) => {
    const answer = await request(server.url + path);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(answer.text).toBe('400 Bad Request');
  });
});

describe('401 Unauthorized', () => {
  it.each([
    ['no X-Auth-Token', null],
    ['a wrong X-Auth-Token', 'not-the-token'],
    ['an empty X-Auth-Token', ''],
    ['the token with a suffix', 'mock-token-x'],
  ])('with %s', async (_what, token) => {
    const answer = await request(server.url + statusPath('namespace-test', 'redis'), { token });
    expectStatus(answer, 401, 'Unauthorized');
    expect(answer.text).not.toContain('mock-token');
  });

  it('comes before routing: an unknown path without a token is 401, not 404', async () => {
    expectStatus(await request(`${server.url}/healthz`, { token: null }), 401, 'Unauthorized');
  });

  it('accepts any of several configured tokens', async () => {
    const multi = await startMockServer({ profile: 'kube', port: 0, tokens: ['first-token', 'second-token'] });
    try {
      expect((await request(multi.url + statusPath('namespace-test', 'redis'), { token: 'second-token' })).status).toBe(
        200,
      );
      expect((await request(multi.url + statusPath('namespace-test', 'redis'), { token: 'mock-token' })).status).toBe(
        401,
      );
    } finally {
      await multi.close();
    }
  });
});

describe('403 Forbidden', () => {
  it('for a token limited to other namespaces, before the lookup, in kube-apiserver’s words', async () => {
    const scoped = await startMockServer({
      profile: 'kube',
      port: 0,
      tokens: ['mock-token', { token: 'team-a-token', user: 'team-a', namespaces: ['team-a'] }],
    });
    try {
      const forbidden = await request(scoped.url + statusPath('namespace-test', 'redis'), { token: 'team-a-token' });
      expectStatus(forbidden, 403, 'Forbidden');
      expect(forbidden.json.message).toBe(
        'services "redis" is forbidden: User "team-a" cannot get resource "services/status" in API group "" in the namespace "namespace-test"',
      );
      expect(forbidden.json.details).toEqual({ name: 'redis', kind: 'services' });
      // A name that does not exist is forbidden too: a forbidden read learns nothing.
      expectStatus(
        await request(scoped.url + statusPath('namespace-test', 'nope'), { token: 'team-a-token' }),
        403,
        'Forbidden',
      );
      // Inside its namespace the token reads (here: finds nothing), and the unscoped token reads anywhere.
      expectStatus(
        await request(scoped.url + statusPath('team-a', 'redis'), { token: 'team-a-token' }),
        404,
        'NotFound',
      );
      expect((await request(scoped.url + statusPath('namespace-test', 'redis'))).status).toBe(200);
    } finally {
      await scoped.close();
    }
  });

  it('refuses bad token lists at start', async () => {
    await expect(startMockServer({ profile: 'kube', port: 0, tokens: [] })).rejects.toThrow(/tokens must not be empty/);
    await expect(startMockServer({ profile: 'kube', port: 0, tokens: [''] })).rejects.toThrow(/non-empty string/);
    await expect(startMockServer({ profile: 'kube', port: 0, tokens: [{ token: 'x' } as never] })).rejects.toThrow(
      /needs namespaces/,
    );
  });
});

describe('404 NotFound', () => {
  it('for an unknown name, with details naming it', async () => {
    const answer = await request(server.url + statusPath('namespace-test', 'nginx'));
    expectStatus(answer, 404, 'NotFound');
    expect(answer.json.message).toBe('services "nginx" not found');
    expect(answer.json.details).toEqual({ name: 'nginx', kind: 'services' });
  });

  it('for an unknown namespace', async () => {
    const answer = await request(server.url + statusPath('other-namespace', 'redis'));
    expectStatus(answer, 404, 'NotFound');
    expect(answer.json.details).toEqual({ name: 'redis', kind: 'services' });
  });

  // kube-apiserver does not validate names on a read: the lookup just finds nothing (see src/names.ts).
  it.each([
    ['an upper-case name', 'namespace-test', 'Redis'],
    ['a name starting with a digit (not DNS-1035)', 'namespace-test', '1redis'],
    ['a name with "_"', 'namespace-test', 'red_is'],
    ['a name of 64 characters', 'namespace-test', 'a'.repeat(64)],
    ['a name ending with "-"', 'namespace-test', 'redis-'],
    ['a non-ASCII name', 'namespace-test', encodeURIComponent('rédis')],
    ['an upper-case namespace', 'Namespace-Test', 'redis'],
    ['a namespace of 64 characters', 'n'.repeat(64), 'redis'],
  ])('for %s', async (_what, namespace, name) => {
    const answer = await request(server.url + statusPath(namespace, name));
    expectStatus(answer, 404, 'NotFound');
    expect(answer.json.details).toEqual({ name: decodeURIComponent(name), kind: 'services' });
  });

  it.each([
    '/',
    '/api/v2',
    '/apis/apps/v1',
    '/api/v1/namespaces/namespace-test/services/redis/scale',
    '/api/v1/namespaces/namespace-test/widgets/redis',
    '/api/v1/namespaces/namespace-test/services/redis/status/extra',
    '/api/v1/namespaces/namespace-test/services//status',
  ])('for the unknown path %s', async (path) => {
    const answer = await request(server.url + path);
    expectStatus(answer, 404, 'NotFound');
    expect(answer.json.message).toBe('the server could not find the requested resource');
    expect(answer.json.details).toEqual({});
  });
});

describe('405 MethodNotAllowed', () => {
  // The status subresource is read, replaced and patched (GET, PUT, PATCH); nothing else.
  it.each(['POST', 'DELETE', 'OPTIONS'])('for %s, with Allow listing the spec’s methods', async (method) => {
    const answer = await request(server.url + statusPath('namespace-test', 'redis'), {
      method,
      ...(method === 'OPTIONS' ? {} : { body: '{}' }),
    });
    expectStatus(answer, 405, 'MethodNotAllowed');
    expect(answer.headers.get('allow')).toBe('GET, PUT, PATCH');
    // A generic error of kube-apiserver's router carries empty details.
    expect(answer.json.details).toEqual({});
  });

  it('keeps serving on the same connection after a 405 with a body', async () => {
    await request(server.url + statusPath('namespace-test', 'redis'), { method: 'POST', body: 'x'.repeat(100_000) });
    expect((await request(server.url + statusPath('namespace-test', 'redis'))).status).toBe(200);
  });
});

describe('406 NotAcceptable', () => {
  // A media type the route produces (JSON, YAML, protobuf) reaches content negotiation, which lists
  // what it can serve: YAML is served wherever JSON is (as kube-apiserver does); the /status
  // subresource has no Table; the mock speaks no protobuf.
  it.each(['application/vnd.kubernetes.protobuf', 'application/json;as=Table;v=v1;g=meta.k8s.io'])(
    'for Accept: %s, listing the media types served',
    async (accept) => {
      const answer = await request(server.url + statusPath('namespace-test', 'redis'), { headers: { accept } });
      expectStatus(answer, 406, 'NotAcceptable');
      expect(answer.json.message).toBe(
        'only the following media types are accepted: application/json, application/yaml',
      );
      expect(answer.json).not.toHaveProperty('details');
      expect(answer.text).toBe(JSON.stringify(answer.json, null, 2));
    },
  );

  // No media type the route produces at all: kube-apiserver's router (go-restful) refuses it first,
  // in its own words, with the empty details of a generic error, indented when kube-apiserver's own
  // negotiation finds no type for the error either.
  it.each(['text/html', 'nonsense', 'Application/JSON', 'text/*;q=0.5'])(
    'for Accept: %s, "406: Not Acceptable" from the router',
    async (accept) => {
      const answer = await request(server.url + statusPath('namespace-test', 'redis'), { headers: { accept } });
      expectStatus(answer, 406, 'NotAcceptable');
      expect(answer.json.message).toBe('406: Not Acceptable');
      expect(answer.json.details).toEqual({});
      expect(answer.text).toBe(JSON.stringify(answer.json, null, 2));
    },
  );

  it('for Accept: application/* (the router does not expand it; the error is then written as JSON)', async () => {
    const answer = await request(server.url + statusPath('namespace-test', 'redis'), {
      headers: { accept: 'application/*' },
    });
    expectStatus(answer, 406, 'NotAcceptable');
    expect(answer.json).toMatchObject({ message: '406: Not Acceptable', details: {} });
    expect(answer.text).toBe(`${JSON.stringify(answer.json)}\n`);
  });
});
