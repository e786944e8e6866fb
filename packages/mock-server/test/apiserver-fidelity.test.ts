// Answers where kube-apiserver v1.20 behaves in a way one would not guess, each found by the contract
// suite (contract/) comparing the mock with a real kube-apiserver, and kept here against the mock's
// real HTTP server. The `kube` profile: these are kube-apiserver's answers.
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index.js';
import { request, TOKEN } from './helpers/http.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ profile: 'kube', port: 0 });
});
afterAll(() => server.close());

const NS = '/api/v1/namespaces/namespace-test/services';
/** A GET with the path sent exactly as written (fetch would resolve "%2e%2e" segments first). */
function rawGet(base: string, path: string, token = TOKEN): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    get(`${base}/`, { path, headers: { 'x-auth-token': token } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
    }).on('error', reject);
  });
}

const names = (answer: { json: any }) =>
  (answer.json.items as Array<{ metadata: { namespace: string; name: string } }>).map(
    (item) => `${item.metadata.namespace}/${item.metadata.name}`,
  );

describe('bodies end as Go writes them', () => {
  it('compact JSON lists, errors and Tables end with a newline; YAML too', async () => {
    for (const path of [NS, `${NS}/nope`, `${NS}?limit=2`]) {
      const answer = await request(server.url + path);
      expect(answer.text.endsWith('}\n')).toBe(true);
      expect(answer.text.indexOf('\n')).toBe(answer.text.length - 1);
    }
    const table = await request(server.url + NS, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    expect(table.text.endsWith('}\n')).toBe(true);
    const yaml = await request(`${server.url}${NS}/redis`, { headers: { accept: 'application/yaml' } });
    expect(yaml.text.endsWith('\n')).toBe(true);
  });

  it('indented JSON (pretty, curl, and every 406) has no final newline', async () => {
    const pretty = await request(`${server.url}${NS}?pretty=true`);
    expect(pretty.text.endsWith('}')).toBe(true);
    const curl = await request(`${server.url}${NS}/nope`, { headers: { 'user-agent': 'curl/7.88.1' } });
    expect(curl.text).toBe(JSON.stringify(curl.json, null, 2));
    const refused = await request(`${server.url}${NS}/redis/status`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    expect(refused.status).toBe(406);
    expect(refused.text.endsWith('}')).toBe(true);
  });
});

describe('encoded slashes are routed as kube-apiserver routes them: on the decoded path', () => {
  it.each([
    ['a name with %2F', `${NS}/a%2Fb`],
    ['a name with %2F, /status', `${NS}/a%2Fb/status`],
    ['a namespace with %2F, read', '/api/v1/namespaces/a%2Fb/services/redis'],
    ['a namespace with %2F, /status', '/api/v1/namespaces/a%2Fb/services/redis/status'],
    ['a namespace with %2F, list', '/api/v1/namespaces/a%2Fb/services'],
  ])('%s: the generic 404 with empty details', async (_what, path) => {
    const answer = await request(server.url + path);
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
  });

  it('an encoded slash that lands on a real route is that route (namespace-test%2Fservices%2Fredis)', async () => {
    const answer = await request(`${server.url}/api/v1/namespaces/namespace-test%2Fservices%2Fredis`);
    expect(answer.status).toBe(200);
    expect(answer.json.metadata).toMatchObject({ namespace: 'namespace-test', name: 'redis' });
  });
});

describe('a list in namespace ".." or "." lists every namespace (the storage key is path-cleaned)', () => {
  it.each(['%2e%2e', '..', '%2e'])('/api/v1/namespaces/%s/services', async (namespace) => {
    const everywhere = await request(`${server.url}/api/v1/services`);
    const answer = await rawGet(server.url, `/api/v1/namespaces/${namespace}/services`);
    expect(answer.status).toBe(200);
    expect(names(answer)).toEqual(names(everywhere));
    expect(names(answer).length).toBeGreaterThan(0);
  });

  it('a read there still finds nothing, and a scoped token is still refused in ".."', async () => {
    expect((await rawGet(server.url, '/api/v1/namespaces/%2e%2e/services/redis')).status).toBe(404);
    expect((await rawGet(server.url, '/api/v1/namespaces/namespace-test/services/%2e%2e')).json).toMatchObject({
      code: 400,
      message: `Name parameter invalid: "..": may not be '..'`,
    });
    const scoped = await startMockServer({
      profile: 'kube',
      port: 0,
      tokens: [{ token: 'team', namespaces: ['namespace-test'] }],
    });
    try {
      expect((await rawGet(scoped.url, '/api/v1/namespaces/%2e%2e/services', 'team')).status).toBe(403);
    } finally {
      await scoped.close();
    }
  });
});

describe('resourceVersion=0 lists come from the watch cache, which ignores limit', () => {
  it('every item, no continue token, no remainingItemCount', async () => {
    const all = await request(server.url + NS);
    const answer = await request(`${server.url}${NS}?resourceVersion=0&limit=2`);
    expect(answer.status).toBe(200);
    expect(names(answer)).toEqual(names(all));
    expect(names(answer).length).toBeGreaterThan(2);
    expect(answer.json.metadata).not.toHaveProperty('continue');
    expect(answer.json.metadata).not.toHaveProperty('remainingItemCount');
  });

  it('limit still pages without resourceVersion, with another resourceVersion, and with Exact', async () => {
    const current = (await request(server.url + NS)).json.metadata.resourceVersion;
    for (const query of [
      'limit=2',
      `limit=2&resourceVersion=${current}`,
      `limit=2&resourceVersion=${current}&resourceVersionMatch=Exact`,
    ]) {
      const answer = await request(`${server.url}${NS}?${query}`);
      expect(answer.json.items).toHaveLength(2);
      expect(typeof answer.json.metadata.continue).toBe('string');
    }
  });
});

describe('a malformed continue token: Go’s JSON error, quoting the offending byte', () => {
  it.each([
    ['not-a-token', `invalid character '\\u009e' looking for beginning of value`],
    ['AAAA', `invalid character '\\x00' looking for beginning of value`],
    ['____', `invalid character 'ÿ' looking for beginning of value`],
    ['eHh4', `invalid character 'x' looking for beginning of value`],
  ])('continue=%s', async (token, why) => {
    const answer = await request(`${server.url}${NS}?continue=${token}`);
    expect(answer.status).toBe(400);
    expect(answer.json.message).toBe(`invalid continue token: continue key is not valid: ${why}`);
  });
});
