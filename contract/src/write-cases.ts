// The write cases: requests that create, replace, patch and delete Services, each run against the
// real kube-apiserver and the mock in its own namespace (`{ns}` in a path), answer by answer.
// A case is a list of steps; `setup` steps prepare (their answers are not compared), the others
// are compared. A body may be a function of the last answer on the same server, so that a replace
// carries that server's resourceVersion. A case id ending in "(NNN)" also checks that the real
// server's first compared answer has that status.

export type Auth = 'admin' | 'reader';

export interface WriteStep {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query; `{ns}` is the case's namespace. */
  path: string;
  body?: string | ((last: any) => string);
  contentType?: string;
  auth?: Auth;
  setup?: boolean;
}

export interface WriteCase {
  id: string;
  steps: WriteStep[];
}

const SVC = '/api/v1/namespaces/{ns}/services';
const json = (value: unknown) => JSON.stringify(value);
const service = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  json({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...metadata }, spec });
const web = { ports: [{ port: 80 }], selector: { app: 'web' } };

const create = (body: string, extra: Partial<WriteStep> = {}): WriteStep => ({
  method: 'POST',
  path: SVC,
  body,
  ...extra,
});
const setupCreate = (
  name: string,
  spec: Record<string, unknown> = web,
  metadata: Record<string, unknown> = {},
): WriteStep => create(service(name, spec, metadata), { setup: true });
const get = (name: string, extra: Partial<WriteStep> = {}): WriteStep => ({
  method: 'GET',
  path: `${SVC}/${name}`,
  ...extra,
});
const put = (name: string, body: WriteStep['body'], extra: Partial<WriteStep> = {}): WriteStep => ({
  method: 'PUT',
  path: `${SVC}/${name}`,
  body,
  ...extra,
});
const patch = (name: string, contentType: string, body: string, extra: Partial<WriteStep> = {}): WriteStep => ({
  method: 'PATCH',
  path: `${SVC}/${name}`,
  body,
  contentType,
  ...extra,
});
const del = (name: string, extra: Partial<WriteStep> = {}): WriteStep => ({
  method: 'DELETE',
  path: `${SVC}/${name}`,
  ...extra,
});
/** The last answer, changed: for a replace that carries the server's own resourceVersion. */
const edited = (change: (object: any) => void) => (last: any) => {
  const object = structuredClone(last);
  change(object);
  return json(object);
};

const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const APPLY = 'application/apply-patch+yaml';

function createCases(): WriteCase[] {
  const one = (id: string, body: string, extra: Partial<WriteStep> = {}): WriteCase => ({
    id: `create ${id}`,
    steps: [create(body, extra)],
  });
  return [
    one('ClusterIP, defaults (201)', service('a', { ports: [{ port: 80 }], selector: { app: 'a' } })),
    one(
      'named ports, targetPort name (201)',
      service('a', {
        ports: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443, targetPort: 'https' },
        ],
      }),
    ),
    one(
      'UDP and TCP on one port (201)',
      service('a', {
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53 },
        ],
      }),
    ),
    one('selector-less (201)', service('a', { ports: [{ port: 8080, targetPort: 9090 }] })),
    one('NodePort, allocated (201)', service('a', { type: 'NodePort', ports: [{ port: 80 }] })),
    one('NodePort, requested 30101 (201)', service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30101 }] })),
    one(
      'NodePort, one node port for two protocols (201)',
      service('a', {
        type: 'NodePort',
        ports: [
          { name: 'u', port: 53, protocol: 'UDP' },
          { name: 't', port: 53 },
        ],
      }),
    ),
    one('LoadBalancer (201)', service('a', { type: 'LoadBalancer', ports: [{ port: 80 }] })),
    one(
      'LoadBalancer, externalTrafficPolicy Local (201)',
      service('a', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }),
    ),
    one('headless, no ports (201)', service('a', { clusterIP: 'None', selector: { app: 'a' } })),
    one('headless with ports (201)', service('a', { clusterIP: 'None', ports: [{ port: 80 }] })),
    one('ExternalName (201)', service('a', { type: 'ExternalName', externalName: 'example.com' })),
    one('ExternalName with trailing dot (201)', service('a', { type: 'ExternalName', externalName: 'example.com.' })),
    one('requested clusterIP 10.247.200.10 (201)', service('a', { clusterIP: '10.247.200.10', ports: [{ port: 80 }] })),
    one(
      'clusterIP and clusterIPs given (201)',
      service('a', { clusterIP: '10.247.200.12', clusterIPs: ['10.247.200.12'], ports: [{ port: 80 }] }),
    ),
    one(
      'sessionAffinity ClientIP, config defaulted (201)',
      service('a', { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }),
    ),
    one(
      'status in the body is ignored (201)',
      json({ metadata: { name: 'a' }, spec: web, status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } } }),
    ),
    one('labels and annotations kept (201)', service('a', web, { labels: { app: 'web' }, annotations: { note: 'x' } })),
    one('apiVersion and kind left out (201)', json({ metadata: { name: 'a' }, spec: web })),
    one('kind only (201)', json({ kind: 'Service', metadata: { name: 'a' }, spec: web })),
    one('generateName (201)', service('', web, { name: undefined, generateName: 'gen-' })),
    one('YAML body (201)', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - port: 80\n', {
      contentType: 'application/yaml',
    }),
    one('no Content-Type (201)', service('a', web), { contentType: '' }),
    one('label value invalid (422)', service('a', web, { labels: { app: 'bad value!' } })),
    one('label key invalid (422)', service('a', web, { labels: { 'Bad Key': 'x' } })),
    one('label key with a prefix (201)', service('a', web, { labels: { 'example.com/team': 'a' } })),
    one('selector value invalid (422)', service('a', { ports: [{ port: 80 }], selector: { app: 'bad value!' } })),
    one('externalIPs (201)', service('a', { ports: [{ port: 80 }], externalIPs: ['192.0.2.50'] })),
    one(
      'externalIPs loopback and invalid (422)',
      service('a', { ports: [{ port: 80 }], externalIPs: ['127.0.0.1', 'x', '169.254.1.1'] }),
    ),
    one(
      'sessionAffinity ClientIP, timeout 3600 (201)',
      service('a', {
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 3600 } },
        ports: [{ port: 80 }],
      }),
    ),
    one(
      'sessionAffinity ClientIP, timeout 0 (422)',
      service('a', {
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } },
        ports: [{ port: 80 }],
      }),
    ),
    one(
      'finalizers and ownerReferences kept (201)',
      service('a', web, {
        finalizers: ['example.com/keep'],
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '6f1b8c4e-0000-4000-8000-000000000001' },
        ],
      }),
    ),
    one(
      'unknown fields dropped (201)',
      json({ metadata: { name: 'a', bogus: 1 }, spec: { ports: [{ port: 80, extra: true }], nonsense: 'x' } }),
    ),
    one('JSON with a charset parameter (201)', service('a', web), { contentType: 'application/json; charset=utf-8' }),
    one('fieldManager set (201)', service('a', web), { path: `${SVC}?fieldManager=my-tool` }),
    one('fieldManager of 129 bytes (422)', service('a', web), { path: `${SVC}?fieldManager=${'m'.repeat(129)}` }),
    one('ports missing (422)', service('a', { selector: { app: 'a' } })),
    one('LoadBalancer without ports (422)', service('a', { type: 'LoadBalancer' })),
    one('port 0 and 70000 (422)', service('a', { ports: [{ port: 0 }, { port: 70000 }] })),
    one('duplicate port and protocol (422)', service('a', { ports: [{ port: 80 }, { port: 80 }] })),
    one(
      'duplicate port names (422)',
      service('a', {
        ports: [
          { name: 'x', port: 80 },
          { name: 'x', port: 81 },
        ],
      }),
    ),
    one('port name not a DNS label (422)', service('a', { ports: [{ name: 'Bad_Name', port: 80 }] })),
    one('targetPort name invalid (422)', service('a', { ports: [{ port: 80, targetPort: 'Not--ok-' }] })),
    one('protocol ICMP (422)', service('a', { ports: [{ port: 80, protocol: 'ICMP' }] })),
    one('type Foo (422)', service('a', { type: 'Foo', ports: [{ port: 80 }] })),
    one('sessionAffinity Foo (422)', service('a', { sessionAffinity: 'Foo', ports: [{ port: 80 }] })),
    one(
      'externalTrafficPolicy on ClusterIP (422)',
      service('a', { externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }),
    ),
    one(
      'externalTrafficPolicy Bogus (422)',
      service('a', { type: 'NodePort', externalTrafficPolicy: 'Bogus', ports: [{ port: 80 }] }),
    ),
    one('ExternalName without externalName (422)', service('a', { type: 'ExternalName' })),
    one('ExternalName not a DNS name (422)', service('a', { type: 'ExternalName', externalName: 'Bad_Name' })),
    one(
      'ExternalName with clusterIP (422)',
      service('a', { type: 'ExternalName', externalName: 'example.com', clusterIP: '10.247.3.3' }),
    ),
    one('NodePort headless (422)', service('a', { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] })),
    one(
      'LoadBalancer mixing TCP and UDP (422)',
      service('a', {
        type: 'LoadBalancer',
        ports: [
          { name: 'u', port: 53, protocol: 'UDP' },
          { name: 't', port: 80 },
        ],
      }),
    ),
    one('LoadBalancer on port 10250 (422)', service('a', { type: 'LoadBalancer', ports: [{ port: 10250 }] })),
    one('nodePort on ClusterIP (422)', service('a', { ports: [{ port: 80, nodePort: 30102 }] })),
    one(
      'nodePort 20080 out of range (422)',
      service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 20080 }] }),
    ),
    one('clusterIP out of range (422)', service('a', { clusterIP: '10.1.7.7', ports: [{ port: 80 }] })),
    one('clusterIP banana (422)', service('a', { clusterIP: 'banana', ports: [{ port: 80 }] })),
    one(
      'clusterIPs not matching clusterIP (422)',
      service('a', { clusterIP: '10.247.200.13', clusterIPs: ['10.247.200.14'], ports: [{ port: 80 }] }),
    ),
    one('name 1abc, not DNS-1035 (422)', service('1abc', web)),
    one('name with upper case (422)', service('Web', web)),
    one('name of 64 characters (422)', service('a'.repeat(64), web)),
    one('no name (422)', json({ metadata: {}, spec: web })),
    one('generateName invalid (422)', service('', web, { name: undefined, generateName: 'Gen_' })),
    one('resourceVersion set (500)', service('a', web, { resourceVersion: '5' })),
    one('namespace mismatch (400)', service('a', web, { namespace: 'other' })),
    one('namespace missing (404)', service('a', web), { path: '/api/v1/namespaces/no-such-namespace/services' }),
    one('kind Pod (400)', json({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: web })),
    one('apiVersion v2 (400)', json({ apiVersion: 'v2', kind: 'Service', metadata: { name: 'a' }, spec: web })),
    one('malformed JSON (400)', 'not json'),
    one('malformed JSON object (400)', '{"metadata": '),
    one('empty body (400)', ''),
    one('malformed YAML (400)', 'apiVersion: v1\nkind: Service\nmetadata: [\n', { contentType: 'application/yaml' }),
    one('port not a number (400)', json({ metadata: { name: 'a' }, spec: { ports: [{ port: 'x' }] } })),
    one('text/plain (415)', service('a', web), { contentType: 'text/plain' }),
    one('dryRun=Foo (422)', service('a', web), { path: `${SVC}?dryRun=Foo` }),
    one('user without rights (403)', service('a', web), { auth: 'reader' }),
    one(
      'NodePort with more ports than the node port range (500)',
      service('a', {
        type: 'NodePort',
        ports: Array.from({ length: 3000 }, (_, i) => ({ name: `p${i}`, port: i + 1 })),
      }),
    ),
    one('body over 3 MiB (413)', `{"metadata":{"name":"a"},"x":"${'x'.repeat(3 * 1024 * 1024)}"}`),
    {
      id: 'create dryRun=All, nothing stored (201)',
      steps: [create(service('a', web), { path: `${SVC}?dryRun=All` }), get('a')],
    },
    {
      id: 'create dryRun=All NodePort, dummy node ports (201)',
      steps: [
        create(
          service('a', {
            type: 'NodePort',
            ports: [
              { name: 'a', port: 80 },
              { name: 'b', port: 81 },
            ],
          }),
          { path: `${SVC}?dryRun=All` },
        ),
      ],
    },
    { id: 'create already exists (409)', steps: [setupCreate('a'), create(service('a', web))] },
    {
      id: 'create already exists, invalid body (422)',
      steps: [setupCreate('a'), create(service('a', { ports: [{ port: 0 }] }))],
    },
    {
      id: 'create clusterIP taken (422)',
      steps: [
        setupCreate('a', { clusterIP: '10.247.200.11', ports: [{ port: 80 }] }),
        create(service('b', { clusterIP: '10.247.200.11', ports: [{ port: 80 }] })),
      ],
    },
    {
      id: 'create nodePort taken (422)',
      steps: [
        setupCreate('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30111 }] }),
        create(service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30111 }] })),
      ],
    },
    {
      id: 'create clusterIP released by delete (201)',
      steps: [
        setupCreate('a', { clusterIP: '10.247.200.15', ports: [{ port: 80 }] }),
        del('a', { setup: true }),
        create(service('b', { clusterIP: '10.247.200.15', ports: [{ port: 80 }] })),
      ],
    },
    {
      id: 'create nodePort released by delete (201)',
      steps: [
        setupCreate('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30112 }] }),
        del('a', { setup: true }),
        create(service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30112 }] })),
      ],
    },
  ];
}

function replaceCases(): WriteCase[] {
  const withLive = (id: string, spec: Record<string, unknown>, steps: WriteStep[]): WriteCase => ({
    id: `replace ${id}`,
    steps: [setupCreate('a', spec), get('a', { setup: true }), ...steps],
  });
  return [
    withLive('with the current resourceVersion (200)', web, [
      put(
        'a',
        edited((o) => {
          o.metadata.labels = { v: '2' };
          o.spec.ports[0].port = 81;
        }),
      ),
      get('a'),
    ]),
    withLive('without resourceVersion (422)', web, [
      put(
        'a',
        edited((o) => delete o.metadata.resourceVersion),
      ),
    ]),
    withLive('stale resourceVersion (409)', web, [
      put(
        'a',
        edited((o) => (o.metadata.resourceVersion = '1')),
      ),
    ]),
    withLive('stale resourceVersion and invalid (422)', web, [
      put(
        'a',
        edited((o) => {
          o.metadata.resourceVersion = '1';
          o.spec.ports[0].port = 0;
        }),
      ),
    ]),
    withLive('name differs from the path (400)', web, [
      put(
        'a',
        edited((o) => (o.metadata.name = 'b')),
      ),
    ]),
    withLive('namespace differs (400)', web, [
      put(
        'a',
        edited((o) => (o.metadata.namespace = 'other')),
      ),
    ]),
    withLive('uid changed (422)', web, [
      put(
        'a',
        edited((o) => (o.metadata.uid = 'abc')),
      ),
    ]),
    withLive('clusterIP changed (422)', web, [
      put(
        'a',
        edited((o) => (o.spec.clusterIP = '10.247.200.20')),
      ),
    ]),
    withLive('clusterIP and clusterIPs changed (422)', web, [
      put(
        'a',
        edited((o) => {
          o.spec.clusterIP = '10.247.200.21';
          o.spec.clusterIPs = ['10.247.200.21'];
        }),
      ),
    ]),
    withLive('clusterIP dropped (422)', web, [
      put(
        'a',
        edited((o) => {
          delete o.spec.clusterIP;
          delete o.spec.clusterIPs;
        }),
      ),
    ]),
    withLive('clusterIPs dropped, clusterIP kept (200)', web, [
      put(
        'a',
        edited((o) => delete o.spec.clusterIPs),
      ),
    ]),
    withLive('status is ignored (200)', web, [
      put(
        'a',
        edited((o) => (o.status = { loadBalancer: { ingress: [{ ip: '192.0.2.9' }] } })),
      ),
      get('a'),
    ]),
    withLive('creationTimestamp is ignored (200)', web, [
      put(
        'a',
        edited((o) => (o.metadata.creationTimestamp = '2001-01-01T00:00:00Z')),
      ),
    ]),
    withLive('ClusterIP to NodePort (200)', web, [
      put(
        'a',
        edited((o) => (o.spec.type = 'NodePort')),
      ),
    ]),
    withLive('ClusterIP to LoadBalancer (200)', web, [
      put(
        'a',
        edited((o) => (o.spec.type = 'LoadBalancer')),
      ),
    ]),
    withLive('NodePort to ClusterIP, node ports sent back (200)', { type: 'NodePort', ports: [{ port: 80 }] }, [
      put(
        'a',
        edited((o) => (o.spec.type = 'ClusterIP')),
      ),
    ]),
    withLive('NodePort to ClusterIP, a node port changed (422)', { type: 'NodePort', ports: [{ port: 80 }] }, [
      put(
        'a',
        edited((o) => {
          o.spec.type = 'ClusterIP';
          o.spec.ports[0].nodePort = 30121;
        }),
      ),
    ]),
    withLive('name left out (400)', web, [
      put(
        'a',
        edited((o) => delete o.metadata.name),
      ),
    ]),
    withLive('NodePort to ClusterIP, node ports removed (200)', { type: 'NodePort', ports: [{ port: 80 }] }, [
      put(
        'a',
        edited((o) => {
          o.spec.type = 'ClusterIP';
          delete o.spec.externalTrafficPolicy;
          for (const p of o.spec.ports) delete p.nodePort;
        }),
      ),
    ]),
    withLive('label value invalid (422)', web, [
      put(
        'a',
        edited((o) => (o.metadata.labels = { app: 'bad value!' })),
      ),
    ]),
    withLive('YAML body (200)', web, [
      put(
        'a',
        (last: any) =>
          `apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  resourceVersion: "${last.metadata.resourceVersion}"\nspec:\n  clusterIP: ${last.spec.clusterIP}\n  ports:\n  - port: 8080\n`,
        { contentType: 'application/yaml' },
      ),
    ]),
    withLive('invalid port (422)', web, [
      put(
        'a',
        edited((o) => (o.spec.ports[0].protocol = 'ICMP')),
      ),
    ]),
    withLive('dryRun=All, nothing stored (200)', web, [
      put(
        'a',
        edited((o) => (o.metadata.labels = { dry: 'run' })),
        { path: `${SVC}/a?dryRun=All` },
      ),
      get('a'),
    ]),
    withLive('user without rights (403)', web, [
      put(
        'a',
        edited(() => undefined),
        { auth: 'reader' },
      ),
    ]),
    withLive('text/plain (415)', web, [
      put(
        'a',
        edited(() => undefined),
        { contentType: 'text/plain' },
      ),
    ]),
    { id: 'replace missing Service (404)', steps: [put('a', service('a', web, { resourceVersion: '5' }))] },
    withLive('status: ingress set, spec ignored, labels kept (200)', web, [
      put(
        'a',
        edited((o) => {
          o.status = { loadBalancer: { ingress: [{ ip: '192.0.2.7' }] } };
          o.spec.ports[0].port = 99;
          o.metadata.labels = { status: 'yes' };
        }),
        { path: `${SVC}/a/status` },
      ),
      get('a'),
    ]),
    withLive('status without resourceVersion (200)', web, [
      put(
        'a',
        edited((o) => {
          delete o.metadata.resourceVersion;
          o.status = { loadBalancer: { ingress: [{ ip: '192.0.2.8' }] } };
        }),
        { path: `${SVC}/a/status` },
      ),
    ]),
    withLive('status stale resourceVersion (409)', web, [
      put(
        'a',
        edited((o) => (o.metadata.resourceVersion = '1')),
        { path: `${SVC}/a/status` },
      ),
    ]),
    withLive('status user without rights (403)', web, [
      put(
        'a',
        edited(() => undefined),
        { path: `${SVC}/a/status`, auth: 'reader' },
      ),
    ]),
    {
      id: 'replace status of a missing Service creates it, nothing allocated (201)',
      steps: [
        put('a', service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30122 }] }, { resourceVersion: '5' }), {
          path: `${SVC}/a/status`,
        }),
        get('a'),
      ],
    },
    {
      id: 'replace status of a missing Service, invalid (422)',
      steps: [put('a', service('a', {}, { resourceVersion: '5' }), { path: `${SVC}/a/status` })],
    },
  ];
}

function patchCases(): WriteCase[] {
  const withLive = (id: string, steps: WriteStep[], spec: Record<string, unknown> = web): WriteCase => ({
    id: `patch ${id}`,
    steps: [setupCreate('a', spec), ...steps],
  });
  return [
    withLive('merge: add a label (200)', [patch('a', MERGE, json({ metadata: { labels: { team: 'a' } } })), get('a')]),
    withLive('merge: remove the selector (200)', [patch('a', MERGE, json({ spec: { selector: null } }))]),
    withLive('merge: type NodePort (200)', [patch('a', MERGE, json({ spec: { type: 'NodePort' } }))]),
    withLive('merge: ports replaced (200)', [patch('a', MERGE, json({ spec: { ports: [{ port: 8080 }] } }))]),
    withLive(
      'merge: LoadBalancer to NodePort keeps the ingress (200)',
      [
        patch('a', MERGE, json({ status: { loadBalancer: { ingress: [{ ip: '192.0.2.4' }] } } }), {
          path: `${SVC}/a/status`,
          setup: true,
        }),
        patch('a', MERGE, json({ spec: { type: 'NodePort' } })),
      ],
      { type: 'LoadBalancer', ports: [{ port: 80 }] },
    ),
    withLive(
      'merge: NodePort mixing protocols becomes a LoadBalancer (200)',
      [patch('a', MERGE, json({ spec: { type: 'LoadBalancer' } }))],
      {
        type: 'NodePort',
        ports: [
          { name: 'u', port: 53, protocol: 'UDP' },
          { name: 't', port: 80 },
        ],
      },
    ),
    withLive(
      'merge: a LoadBalancer starts mixing protocols (422)',
      [
        patch(
          'a',
          MERGE,
          json({
            spec: {
              ports: [
                { name: 'u', port: 53, protocol: 'UDP' },
                { name: 't', port: 80 },
              ],
            },
          }),
        ),
      ],
      { type: 'LoadBalancer', ports: [{ name: 'u', port: 53, protocol: 'UDP' }] },
    ),
    withLive('merge: clusterIP changed (422)', [patch('a', MERGE, json({ spec: { clusterIP: '10.247.200.30' } }))]),
    withLive('merge: stale resourceVersion (409)', [patch('a', MERGE, json({ metadata: { resourceVersion: '1' } }))]),
    withLive('merge: name changed (400)', [patch('a', MERGE, json({ metadata: { name: 'other' } }))]),
    withLive('merge: invalid result (422)', [patch('a', MERGE, json({ spec: { sessionAffinity: 'Foo' } }))]),
    withLive('merge: malformed body (500)', [patch('a', MERGE, 'bad')]),
    withLive('merge: dryRun=All, nothing stored (200)', [
      patch('a', MERGE, json({ metadata: { labels: { dry: 'run' } } }), { path: `${SVC}/a?dryRun=All` }),
      get('a'),
    ]),
    withLive('json patch: replace the port (200)', [
      patch('a', JSON_PATCH, json([{ op: 'replace', path: '/spec/ports/0/port', value: 8080 }])),
    ]),
    withLive('json patch: test fails (422)', [
      patch('a', JSON_PATCH, json([{ op: 'test', path: '/spec/type', value: 'NodePort' }])),
    ]),
    withLive('json patch: path missing (422)', [
      patch('a', JSON_PATCH, json([{ op: 'replace', path: '/spec/nothing/here', value: 1 }])),
    ]),
    withLive(
      'strategic: add a named port (200)',
      [patch('a', STRATEGIC, json({ spec: { ports: [{ name: 'b', port: 81 }] } }))],
      {
        ports: [{ name: 'a', port: 80 }],
      },
    ),
    withLive('strategic: unnamed second port (422)', [
      patch('a', STRATEGIC, json({ spec: { ports: [{ port: 9090 }] } })),
    ]),
    withLive(
      'strategic: delete a port by $patch (200)',
      [patch('a', STRATEGIC, json({ spec: { ports: [{ port: 81, $patch: 'delete' }] } }))],
      {
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 81 },
        ],
      },
    ),
    withLive('json patch on status (200)', [
      patch(
        'a',
        JSON_PATCH,
        json([{ op: 'add', path: '/status/loadBalancer/ingress', value: [{ ip: '192.0.2.5' }] }]),
        { path: `${SVC}/a/status` },
      ),
    ]),
    withLive('merge: labels null removes them (200)', [patch('a', MERGE, json({ metadata: { labels: null } }))]),
    withLive('content type application/json (415)', [
      patch('a', 'application/json', json({ metadata: { labels: { a: 'b' } } })),
    ]),
    withLive('force on a merge patch (422)', [patch('a', MERGE, json({}), { path: `${SVC}/a?force=true` })]),
    withLive('apply without fieldManager (422)', [patch('a', APPLY, service('a', web))]),
    withLive('user without rights (403)', [patch('a', MERGE, json({}), { auth: 'reader' })]),
    withLive('status: merge ingress, spec ignored (200)', [
      patch(
        'a',
        MERGE,
        json({ spec: { type: 'NodePort' }, status: { loadBalancer: { ingress: [{ ip: '192.0.2.3' }] } } }),
        { path: `${SVC}/a/status` },
      ),
      get('a'),
    ]),
    {
      id: 'patch apply creates (201)',
      steps: [
        patch(
          'a',
          APPLY,
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n',
          {
            path: `${SVC}/a?fieldManager=me`,
          },
        ),
        get('a'),
      ],
    },
    {
      id: 'patch apply without the protocol key (500)',
      steps: [
        patch('a', APPLY, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - port: 80\n', {
          path: `${SVC}/a?fieldManager=me`,
        }),
      ],
    },
    {
      id: 'patch apply changes what it owns (200)',
      steps: [
        patch(
          'a',
          APPLY,
          json({
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'a' },
            spec: { ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'a' } },
          }),
          {
            path: `${SVC}/a?fieldManager=me`,
            setup: true,
          },
        ),
        patch(
          'a',
          APPLY,
          json({
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'a' },
            spec: { ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'b' } },
          }),
          {
            path: `${SVC}/a?fieldManager=me`,
          },
        ),
      ],
    },
    withLive('apply conflicts with another manager (409)', [
      patch(
        'a',
        APPLY,
        json({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { selector: { app: 'other' } } }),
        {
          path: `${SVC}/a?fieldManager=me`,
        },
      ),
    ]),
    withLive('apply with force takes the field (200)', [
      patch(
        'a',
        APPLY,
        json({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { selector: { app: 'other' } } }),
        {
          path: `${SVC}/a?fieldManager=me&force=true`,
        },
      ),
    ]),
    withLive('apply, name differs from the path (400)', [
      patch('a', APPLY, json({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' }, spec: {} }), {
        path: `${SVC}/a?fieldManager=me`,
      }),
    ]),
    { id: 'patch missing Service (404)', steps: [patch('a', MERGE, json({ metadata: { labels: { a: 'b' } } }))] },
    {
      id: 'patch status of a missing Service (404)',
      steps: [patch('a', MERGE, json({}), { path: `${SVC}/a/status` })],
    },
  ];
}

function deleteCases(): WriteCase[] {
  const withLive = (id: string, steps: WriteStep[]): WriteCase => ({
    id: `delete ${id}`,
    steps: [setupCreate('a'), ...steps],
  });
  return [
    withLive('Status Success, then gone (200)', [del('a'), get('a')]),
    withLive('with an empty DeleteOptions body (200)', [
      del('a', { body: json({ kind: 'DeleteOptions', apiVersion: 'v1' }) }),
    ]),
    withLive('propagationPolicy Foreground (200)', [del('a', { body: json({ propagationPolicy: 'Foreground' }) })]),
    withLive('precondition uid mismatch (409)', [del('a', { body: json({ preconditions: { uid: 'nope' } }) })]),
    withLive('precondition resourceVersion mismatch (409)', [
      del('a', { body: json({ preconditions: { resourceVersion: '1' } }) }),
    ]),
    withLive('dryRun=All in the query, nothing deleted (200)', [del('a', { path: `${SVC}/a?dryRun=All` }), get('a')]),
    withLive('dryRun in the body, nothing deleted (200)', [del('a', { body: json({ dryRun: ['All'] }) }), get('a')]),
    withLive('body wins over the query (200)', [del('a', { path: `${SVC}/a?dryRun=All`, body: json({}) }), get('a')]),
    withLive('dryRun=Foo (422)', [del('a', { path: `${SVC}/a?dryRun=Foo` })]),
    withLive('propagationPolicy Bogus (422)', [del('a', { body: json({ propagationPolicy: 'Bogus' }) })]),
    withLive('garbage body (500)', [del('a', { body: 'garbage' })]),
    withLive('gracePeriodSeconds=0 (200)', [del('a', { path: `${SVC}/a?gracePeriodSeconds=0` })]),
    withLive('orphanDependents with propagationPolicy (422)', [
      del('a', { body: json({ orphanDependents: true, propagationPolicy: 'Orphan' }) }),
    ]),
    withLive('DeleteOptions in YAML (200)', [
      del('a', {
        body: 'kind: DeleteOptions\napiVersion: v1\npropagationPolicy: Background\n',
        contentType: 'application/yaml',
      }),
    ]),
    withLive('gracePeriodSeconds=abc (400)', [del('a', { path: `${SVC}/a?gracePeriodSeconds=abc` })]),
    withLive('user without rights (403)', [del('a', { auth: 'reader' })]),
    withLive('twice (404)', [del('a', { setup: true }), del('a')]),
    { id: 'delete missing Service (404)', steps: [del('a')] },
  ];
}

export function writeCases(): WriteCase[] {
  const cases = [...createCases(), ...replaceCases(), ...patchCases(), ...deleteCases()];
  const ids = cases.map((c) => c.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`duplicate write case id: ${duplicate}`);
  return cases;
}
