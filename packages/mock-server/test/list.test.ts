// List operations, served from the spec's …List operations: namespaces, selectors, pages. The
// `kube` profile, which lists across all namespaces (the cci profile refuses that: profiles.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures, startMockServer, type MockServer } from '../src/index.js';
import { request } from './helpers/http.js';
import { listProblems, serviceProblems, statusProblems } from './helpers/spec.js';

const base = loadFixtures();
const redis = base.find((s) => s.metadata.name === 'redis')!;
/** A copy of redis in another namespace, with labels. */
const service = (namespace: string, name: string, labels?: Record<string, string>) => {
  const copy = structuredClone(redis);
  copy.metadata = {
    ...copy.metadata,
    namespace,
    name,
    uid: `00000000-0000-4000-8000-${String(name.length).padStart(12, '0')}`,
  };
  if (labels) copy.metadata.labels = labels;
  else delete copy.metadata.labels;
  return copy;
};
const extra = [
  service('team-a', 'alpha', { app: 'web', tier: 'frontend', env: 'prod' }),
  service('team-a', 'beta', { app: 'web', tier: 'backend', env: 'staging' }),
  service('team-a', 'gamma', { app: 'db', env: 'prod' }),
  service('team-b', 'delta', { app: 'web', tier: 'frontend' }),
  service('team-b', 'epsilon'),
];

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ profile: 'kube', port: 0, fixtures: [...base, ...extra] });
});
afterAll(() => server.close());

const list = (path: string) => request(server.url + path);
const names = (answer: { json: any }) =>
  answer.json.items.map((s: any) => `${s.metadata.namespace}/${s.metadata.name}`);

describe('listing', () => {
  it('lists a namespace in name order, as a ServiceList valid against the spec', async () => {
    const answer = await list('/api/v1/namespaces/team-a/services');
    expect(answer.status).toBe(200);
    expect(listProblems(answer.json)).toEqual([]);
    expect(answer.json).toMatchObject({ kind: 'ServiceList', apiVersion: 'v1' });
    expect(names(answer)).toEqual(['team-a/alpha', 'team-a/beta', 'team-a/gamma']);
    expect(answer.json.metadata.resourceVersion).toBe(server.store.resourceVersion());
    expect(answer.json.metadata.continue).toBeUndefined();
  });

  it('lists every namespace on the path without {namespace}, in namespace/name order', async () => {
    const answer = await list('/api/v1/services');
    expect(names(answer)).toEqual([
      'namespace-test/external-db',
      'namespace-test/redis',
      'namespace-test/redis-headless',
      'namespace-test/web-elb',
      'namespace-test/web-nodeport',
      'team-a/alpha',
      'team-a/beta',
      'team-a/gamma',
      'team-b/delta',
      'team-b/epsilon',
    ]);
  });

  it('an empty namespace is an empty list, not a 404 (as kube-apiserver)', async () => {
    const answer = await list('/api/v1/namespaces/nobody-here/services');
    expect(answer.status).toBe(200);
    expect(answer.json.items).toEqual([]);
  });
});

describe('reading one object', () => {
  it('GET …/services/{name} and …/services/{name}/status read the same stored object', async () => {
    const read = await list('/api/v1/namespaces/team-a/services/alpha');
    const status = await list('/api/v1/namespaces/team-a/services/alpha/status');
    expect(read.status).toBe(200);
    expect(read.json).toEqual(status.json);
    expect(serviceProblems(read.json)).toEqual([]);
    const missing = await list('/api/v1/namespaces/team-a/services/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      message: 'services "nope" not found',
      details: { name: 'nope', kind: 'services' },
    });
  });
});

describe('labelSelector', () => {
  it.each([
    [
      'app=web',
      ['team-a/alpha', 'team-a/beta', 'team-b/delta', 'namespace-test/web-elb', 'namespace-test/web-nodeport'],
    ],
    ['app==web,tier=frontend', ['team-a/alpha', 'team-b/delta']],
    ['app=web,tier!=frontend', ['team-a/beta', 'namespace-test/web-elb', 'namespace-test/web-nodeport']],
    ['env in (prod,staging)', ['team-a/alpha', 'team-a/beta', 'team-a/gamma']],
    [
      'env notin (prod),app',
      [
        'team-a/beta',
        'team-b/delta',
        'namespace-test/web-elb',
        'namespace-test/web-nodeport',
        'namespace-test/redis',
        'namespace-test/redis-headless',
      ],
    ],
    ['tier', ['team-a/alpha', 'team-a/beta', 'team-b/delta']],
    ['!app', ['team-b/epsilon', 'namespace-test/external-db']],
    ['app=web,tier!=backend,env in (prod,x),!nothing', ['team-a/alpha']],
    ['  app = web , tier  in  ( frontend )  ', ['team-a/alpha', 'team-b/delta']],
    ['', undefined],
  ])('%j', async (selector, expected) => {
    const answer = await list(`/api/v1/services?labelSelector=${encodeURIComponent(selector)}`);
    expect(answer.status).toBe(200);
    const all = (await list('/api/v1/services')).json.items.length;
    if (expected) expect([...names(answer)].sort()).toEqual([...expected].sort());
    else expect(answer.json.items).toHaveLength(all);
  });

  it.each([
    ['app in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['=web', "found '=', expected: !, identifier, or 'end of string'"],
    ['app=web,', "found '', expected: identifier after ','"],
    ['app web', "unable to parse requirement: found 'web', expected: '=', '!=', '==', 'in', notin'"],
    ['app=web x', "found 'x', expected: ',' or 'end of string'"],
    ['app in a', "unable to parse requirement: found 'a' expected: '('"],
    ['app >', "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"],
    ['app > x', "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"],
    ['-app=web', 'unable to parse requirement: invalid label key "-app"'],
    ['app=-web', 'unable to parse requirement: invalid label value: "-web": at key: "app"'],
    ['!app=web', "found '=', expected: ',' or 'end of string'"],
  ])('malformed %j → 400 BadRequest in kube-apiserver’s words', async (selector, message) => {
    const answer = await list(`/api/v1/namespaces/team-a/services?labelSelector=${encodeURIComponent(selector)}`);
    expect(answer.status).toBe(400);
    expect(statusProblems(answer.json)).toEqual([]);
    expect(answer.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    expect(answer.json.message).toContain(message);
  });

  it('the empty value is a value: "app=" selects objects whose app label is empty, "x in ()" the empty string', async () => {
    // One object whose app label is the empty string, so that the selections are not all empty.
    server.store.apply(service('team-a', 'blank', { app: '' }));
    try {
      for (const selector of ['app=', 'app in ()', 'app notin ()']) {
        const answer = await list(`/api/v1/namespaces/team-a/services?labelSelector=${encodeURIComponent(selector)}`);
        expect(answer.status).toBe(200);
        expect(names(answer)).toEqual(
          selector === 'app notin ()' ? ['team-a/alpha', 'team-a/beta', 'team-a/gamma'] : ['team-a/blank'],
        );
      }
    } finally {
      server.store.delete('team-a', 'blank');
    }
  });
});

describe('fieldSelector', () => {
  it.each([
    ['metadata.name=alpha', ['team-a/alpha']],
    ['metadata.name==alpha', ['team-a/alpha']],
    ['metadata.namespace=team-b', ['team-b/delta', 'team-b/epsilon']],
    [
      'metadata.namespace!=namespace-test,metadata.name!=alpha',
      ['team-a/beta', 'team-a/gamma', 'team-b/delta', 'team-b/epsilon'],
    ],
  ])('%s', async (selector, expected) => {
    const answer = await list(`/api/v1/services?fieldSelector=${encodeURIComponent(selector)}`);
    expect(answer.status).toBe(200);
    expect(names(answer)).toEqual(expected);
  });

  it('combines with a label selector', async () => {
    const answer = await list(
      `/api/v1/namespaces/team-a/services?fieldSelector=metadata.name%21%3Dalpha&labelSelector=app%3Dweb`,
    );
    expect(names(answer)).toEqual(['team-a/beta']);
  });

  it.each([
    ['spec.type=ClusterIP', '"spec.type" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['metadata.name=a=b', 'invalid field selector: unescaped character in value: 61'],
    ['metadata.name=a\\x', 'invalid field selector: invalid escape sequence: \\x'],
  ])('%j → 400 with kube-apiserver’s message', async (selector, message) => {
    const answer = await list(`/api/v1/services?fieldSelector=${encodeURIComponent(selector)}`);
    expect(answer.status).toBe(400);
    expect(statusProblems(answer.json)).toEqual([]);
    expect(answer.json).toMatchObject({ reason: 'BadRequest', message });
  });
});

describe('limit and continue', () => {
  it('pages in namespace/name order with an opaque token and remainingItemCount, and the pages add up to the list', async () => {
    const whole = names(await list('/api/v1/services'));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = await list(`/api/v1/services?limit=3${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      expect(answer.status).toBe(200);
      expect(listProblems(answer.json)).toEqual([]);
      seen.push(...names(answer));
      token = answer.json.metadata.continue;
      pages += 1;
      if (token) expect(answer.json.metadata.remainingItemCount).toBe(whole.length - seen.length);
      else expect(answer.json.metadata.remainingItemCount).toBeUndefined();
    } while (token && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual(whole);
  });

  it('a continued list is the snapshot of its first page: later changes do not show', async () => {
    const mock = await startMockServer({ profile: 'kube', port: 0, fixtures: extra });
    try {
      const first = await request(`${mock.url}/api/v1/namespaces/team-a/services?limit=1`);
      expect(names(first)).toEqual(['team-a/alpha']);
      mock.store.apply(service('team-a', 'aardvark'));
      mock.store.delete('team-a', 'gamma');
      const rest = await request(
        `${mock.url}/api/v1/namespaces/team-a/services?continue=${first.json.metadata.continue}`,
      );
      expect(names(rest)).toEqual(['team-a/beta', 'team-a/gamma']);
      expect(rest.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
      // A new list sees the changes.
      expect(names(await request(`${mock.url}/api/v1/namespaces/team-a/services`))).toEqual([
        'team-a/aardvark',
        'team-a/alpha',
        'team-a/beta',
      ]);
    } finally {
      await mock.close();
    }
  });

  it('with a selector, pages hold matching items and remainingItemCount is left out (as kube-apiserver, which cannot know it)', async () => {
    const answer = await list('/api/v1/services?labelSelector=app%3Dweb&limit=2');
    expect(names(answer)).toEqual(['namespace-test/web-elb', 'namespace-test/web-nodeport']);
    expect(answer.json.metadata.continue).toEqual(expect.any(String));
    expect(answer.json.metadata.remainingItemCount).toBeUndefined();
    const next = await list(
      `/api/v1/services?labelSelector=app%3Dweb&limit=2&continue=${answer.json.metadata.continue}`,
    );
    expect(names(next)).toEqual(['team-a/alpha', 'team-a/beta']);
  });

  it('a continue token expires after the store has moved on past its history: 410 Expired with kube’s message and a token to go on inconsistently', async () => {
    const mock = await startMockServer({ profile: 'kube', port: 0, fixtures: extra, historySize: 2 });
    try {
      const first = await request(`${mock.url}/api/v1/services?limit=2`);
      for (let i = 0; i < 3; i += 1) mock.store.apply(service('team-c', `svc-${i}`));
      const expired = await request(`${mock.url}/api/v1/services?limit=2&continue=${first.json.metadata.continue}`);
      expect(expired.status).toBe(410);
      expect(statusProblems(expired.json)).toEqual([]);
      expect(expired.json).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      expect(expired.json.message).toMatch(
        /^The provided continue parameter is too old to display a consistent list result\./,
      );
      // The token in the 410 continues at the current state.
      const inconsistent = await request(
        `${mock.url}/api/v1/services?limit=10&continue=${expired.json.metadata.continue}`,
      );
      expect(inconsistent.status).toBe(200);
      expect(names(inconsistent)).toEqual([
        'team-a/gamma',
        'team-b/delta',
        'team-b/epsilon',
        'team-c/svc-0',
        'team-c/svc-1',
        'team-c/svc-2',
      ]);
    } finally {
      await mock.close();
    }
  });

  it.each([
    ['not base64', '!!!', /^invalid continue token: continue key is not valid: illegal base64 data at input byte 0$/],
    [
      'base64 of something else',
      Buffer.from('{"v":"x","rv":1,"start":"a"}').toString('base64url'),
      /server does not recognize this encoded version "x"/,
    ],
    [
      'no start key',
      Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":""}').toString('base64url'),
      /encoded start key empty/,
    ],
    [
      'a path escape',
      Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":"../x"}').toString('base64url'),
      /continue key is not valid: \.\.\/x/,
    ],
  ])('a bad continue token (%s) → 400', async (_what, token, message) => {
    const answer = await list(`/api/v1/services?continue=${token}`);
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(message);
  });

  it('refuses a resourceVersion together with continue, as kube-apiserver does', async () => {
    const first = await list('/api/v1/services?limit=1');
    const answer = await list(`/api/v1/services?continue=${first.json.metadata.continue}&resourceVersion=5`);
    expect(answer.status).toBe(400);
    expect(answer.json.message).toBe('specifying resource version is not allowed when using continue');
  });

  it.each([
    ['limit=abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['timeoutSeconds=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
  ])('%s → 400', async (query, message) => {
    const answer = await list(`/api/v1/services?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json.message).toBe(message);
  });

  it('limit=0 or a negative limit means no limit', async () => {
    for (const limit of ['0', '-5'])
      expect((await list(`/api/v1/services?limit=${limit}`)).json.items).toHaveLength(10);
  });
});

describe('resourceVersion', () => {
  it('is one counter over the store: every change bumps it, objects carry the version of their last change', async () => {
    const mock = await startMockServer({ profile: 'kube', port: 0, fixtures: extra });
    try {
      const before = Number(mock.store.resourceVersion());
      const applied = mock.store.apply(service('team-a', 'zeta'));
      expect(applied.metadata.resourceVersion).toBe(String(before + 1));
      const listed = await request(`${mock.url}/api/v1/namespaces/team-a/services`);
      expect(listed.json.metadata.resourceVersion).toBe(String(before + 1));
      mock.store.delete('team-a', 'zeta');
      expect(mock.store.resourceVersion()).toBe(String(before + 2));
      // Exact: the list as it was at a version still in the history.
      const exact = await request(
        `${mock.url}/api/v1/namespaces/team-a/services?resourceVersion=${before + 1}&resourceVersionMatch=Exact`,
      );
      expect(names(exact)).toContain('team-a/zeta');
      expect(exact.json.metadata.resourceVersion).toBe(String(before + 1));
    } finally {
      await mock.close();
    }
  });

  it('a resourceVersion newer than the store → 504 Timeout "Too large resource version"; a malformed one → 500 without a reason (both as kube-apiserver v1.20)', async () => {
    const malformed = await list('/api/v1/services?resourceVersion=abc');
    expect(malformed.status).toBe(500);
    expect(malformed.json.reason).toBeUndefined();
    expect(malformed.json.message).toBe(
      'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
    );
    const current = Number(server.store.resourceVersion());
    const answer = await list(`/api/v1/services?resourceVersion=${current + 100}`);
    expect(answer.status).toBe(504);
    expect(answer.json).toMatchObject({
      reason: 'Timeout',
      message: `Timeout: Too large resource version: ${current + 100}, current: ${current}`,
      details: {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      },
    });
  });

  it('resourceVersionMatch is checked as kube-apiserver checks ListOptions (422 Invalid)', async () => {
    const answer = await list('/api/v1/services?resourceVersionMatch=Exact');
    expect(answer.status).toBe(422);
    expect(statusProblems(answer.json)).toEqual([]);
    expect(answer.json.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  });
});

describe('authorisation of lists', () => {
  it('a token limited to namespaces lists those, and is refused the others and the cluster scope', async () => {
    const scoped = await startMockServer({
      profile: 'kube',
      port: 0,
      fixtures: extra,
      tokens: [{ token: 'team-a-token', user: 'team-a', namespaces: ['team-a'] }],
    });
    try {
      expect((await request(`${scoped.url}/api/v1/namespaces/team-a/services`, { token: 'team-a-token' })).status).toBe(
        200,
      );
      const other = await request(`${scoped.url}/api/v1/namespaces/team-b/services`, { token: 'team-a-token' });
      expect(other.status).toBe(403);
      expect(other.json.message).toBe(
        'services is forbidden: User "team-a" cannot list resource "services" in API group "" in the namespace "team-b"',
      );
      const cluster = await request(`${scoped.url}/api/v1/services`, { token: 'team-a-token' });
      expect(cluster.json.message).toBe(
        'services is forbidden: User "team-a" cannot list resource "services" in API group "" at the cluster scope',
      );
    } finally {
      await scoped.close();
    }
  });
});
