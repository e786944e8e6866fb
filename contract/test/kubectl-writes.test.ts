// kubectl's write commands (Debian's 1.20.2, the server's own version) against a real kube-apiserver
// and against `cci-mock --write-kubeconfig`, step by step on the same objects: create (one and
// several documents), client-side apply (created, unchanged, configured), server-side apply (with
// a conflict and --force-conflicts), patch (strategic, merge, json; label, annotate), replace, delete (by name,
// waiting for it to go, and by file), --dry-run=server, explain and client-side validation, which
// kubectl does with the server's /openapi/v2. The outputs must match once server-set fields are
// dropped, or the difference is declared in differences.yaml.
//
// The steps write, so they run on a real server of their own (the shared one serves the read
// cases of the other files, whose cluster-wide lists would see these objects). The mock knows a
// namespace only by the objects it serves (it has no Namespace operation; `kubectl create
// namespace` finds no Namespace kind there): the steps use namespace-test, which the mock's
// fixtures fill and which is created on the real server first.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DifferenceLedger, loadDeclarations } from '../src/declared.js';
import { diff } from '../src/diff.js';
import { send, type Target } from '../src/http.js';
import { comparable, kubectl, type OutputForm } from '../src/kubectl.js';
import { startMockWithKubeconfig, type MockProcess } from '../src/mock-cli.js';
import { startRealServer, stopRealServer, type RealServerInfo, writeAdminKubeconfig } from '../src/real-server.js';

/** The shared server of the run: null when no kube-apiserver is built here (then this file is skipped too). */
const shared = inject('realServer');
const declarations = loadDeclarations(new URL('../differences.yaml', import.meta.url).pathname);
const NS = 'namespace-test';
const PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** A Service manifest; cluster IPs are given so that both servers hold the same ones. */
function service(
  name: string,
  clusterIP: string,
  ports: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, labels: { app: 'kubectl-writes' } },
    spec: { clusterIP, selector: { app: name }, ports, ...extra },
  };
}
const HTTP = { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' };

/** The manifests, by file name, written to the run's directory (kubectl names the file in its messages). */
const FILES: Record<string, unknown[]> = {
  'one.yaml': [service('kw-one', '10.247.100.1', [HTTP])],
  // No cluster IP: a second create is refused as AlreadyExists (with one, kube-apiserver first finds the IP taken).
  'one-no-ip.yaml': [{ ...service('kw-one', '', [HTTP]), spec: { selector: { app: 'kw-one' }, ports: [HTTP] } }],
  'one-replaced.yaml': [
    service('kw-one', '10.247.100.1', [{ ...HTTP, targetPort: 8888 }], { sessionAffinity: 'ClientIP' }),
  ],
  'multi.yaml': [
    service('kw-multi-a', '10.247.100.2', [HTTP]),
    service('kw-multi-b', '10.247.100.3', [{ name: 'dns', port: 53, protocol: 'UDP' }]),
  ],
  'apply.yaml': [service('kw-apply', '10.247.100.4', [HTTP])],
  'apply-2.yaml': [
    service('kw-apply', '10.247.100.4', [HTTP, { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }]),
  ],
  'ssa.yaml': [service('kw-ssa', '10.247.100.5', [HTTP])],
  'ssa-other.yaml': [service('kw-ssa', '10.247.100.5', [{ ...HTTP, targetPort: 9999 }])],
  'dry.yaml': [service('kw-dry', '10.247.100.6', [HTTP])],
  'json.yaml': [service('kw-json', '10.247.100.7', [HTTP])],
  'unknown-field.yaml': [
    {
      ...service('kw-bad', '10.247.100.8', [HTTP]),
      spec: { clusterIP: '10.247.100.8', portz: [{ port: 80 }], ports: [HTTP] },
    },
  ],
  'wrong-type.yaml': [service('kw-bad', '10.247.100.8', [{ ...HTTP, port: 'eighty' }])],
};

interface Step {
  /** The case id (differences.yaml's `cases`), "kubectl <args>" with file names as written. */
  args: string[];
  form: OutputForm;
}

const step = (form: OutputForm, ...args: string[]): Step => ({ args, form });
const ns = ['-n', NS];

// In order: each step sees what the earlier ones did, on both servers alike.
const STEPS: Step[] = [
  step('text', 'create', 'namespace', 'kubectl-writes'),
  step('text', 'explain', 'service.spec.ports'),
  step('text', 'explain', 'service'),
  step('text', 'create', '-f', 'unknown-field.yaml', ...ns),
  step('text', 'create', '-f', 'wrong-type.yaml', ...ns),
  // Without kubectl's validation the server drops the unknown field.
  step('text', 'create', '-f', 'unknown-field.yaml', ...ns, '--validate=false'),
  step('json', 'get', 'svc', 'kw-bad', ...ns, '-o', 'json'),
  step('text', 'delete', 'svc', 'kw-bad', ...ns),
  step('text', 'create', '-f', 'one.yaml', ...ns),
  step('json', 'get', 'svc', 'kw-one', ...ns, '-o', 'json'),
  step('text', 'create', '-f', 'one.yaml', ...ns),
  step('text', 'create', '-f', 'one-no-ip.yaml', ...ns),
  step('yaml', 'create', '-f', 'multi.yaml', ...ns, '-o', 'yaml'),
  step('json', 'create', '-f', 'json.yaml', ...ns, '-o', 'json'),
  step('text', 'apply', '-f', 'apply.yaml', ...ns),
  step('text', 'apply', '-f', 'apply.yaml', ...ns),
  step('text', 'apply', '-f', 'apply-2.yaml', ...ns),
  step('json', 'get', 'svc', 'kw-apply', ...ns, '-o', 'json'),
  step('text', 'apply', '--server-side', '-f', 'ssa.yaml', ...ns),
  step('text', 'apply', '--server-side', '--field-manager=other', '-f', 'ssa-other.yaml', ...ns),
  step('text', 'apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', 'ssa-other.yaml', ...ns),
  step('text', 'apply', '--server-side', '--dry-run=server', '-f', 'ssa.yaml', ...ns),
  step('yaml', 'get', 'svc', 'kw-ssa', ...ns, '-o', 'yaml'),
  step(
    'text',
    'patch',
    'svc',
    'kw-one',
    ...ns,
    '--type=strategic',
    '-p',
    '{"spec":{"ports":[{"name":"https","port":443,"targetPort":8443}]}}',
  ),
  step('text', 'patch', 'svc', 'kw-one', ...ns, '--type=merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}'),
  step(
    'json',
    'patch',
    'svc',
    'kw-one',
    ...ns,
    '--type=json',
    '-p',
    '[{"op":"replace","path":"/spec/ports/0/targetPort","value":9090}]',
    '-o',
    'json',
  ),
  step('text', 'patch', 'svc', 'kw-one', ...ns, '--type=merge', '-p', '{}'),
  step('text', 'patch', 'svc', 'kw-nope', ...ns, '--type=merge', '-p', '{"metadata":{"labels":{"a":"b"}}}'),
  // label and annotate are patches too.
  step('text', 'label', 'svc', 'kw-one', ...ns, 'tier=back', '--overwrite'),
  step('text', 'annotate', 'svc', 'kw-one', ...ns, 'note=kubectl-writes'),
  step('yaml', 'get', 'svc', 'kw-one', ...ns, '-o', 'yaml'),
  step('text', 'replace', '-f', 'one-replaced.yaml', ...ns),
  step('yaml', 'get', 'svc', 'kw-one', ...ns, '-o', 'yaml'),
  step('text', 'create', '-f', 'dry.yaml', ...ns, '--dry-run=server'),
  step('text', 'apply', '-f', 'dry.yaml', ...ns, '--dry-run=server'),
  step('text', 'get', 'svc', 'kw-dry', ...ns, '-o', 'name'),
  step('text', 'delete', 'svc', 'kw-one', ...ns, '--dry-run=server'),
  step('text', 'get', 'svc', 'kw-one', ...ns, '-o', 'name'),
  step('text', 'delete', 'svc', 'kw-one', ...ns),
  step('text', 'get', 'svc', 'kw-one', ...ns, '-o', 'name'),
  step('text', 'delete', '-f', 'multi.yaml', ...ns),
  step('text', 'delete', 'svc', 'kw-nope', ...ns),
  step('text', 'delete', '-f', 'apply.yaml', ...ns),
  step('text', 'delete', 'svc', 'kw-ssa', 'kw-json', ...ns),
];

/** "kubectl <args>", with " (#n)" for the n-th run of the same command. */
const caseIds = STEPS.map((s, index) => {
  const id = `kubectl ${s.args.join(' ')}`;
  const repeat = STEPS.slice(0, index).filter((earlier) => earlier.args.join(' ') === s.args.join(' ')).length;
  return repeat === 0 ? id : `${id} (#${repeat + 1})`;
});
const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));

describe.skipIf(!shared)('kubectl writes: mock vs kube-apiserver', () => {
  let dir: string;
  let real: RealServerInfo | undefined;
  let realKubeconfig: string;
  let mock: MockProcess | undefined;
  const ledger = new DifferenceLedger(declarations, caseIds);
  /** Runs one command on both servers at once, from the manifests' directory. */
  const both = (args: string[]) =>
    Promise.all([
      kubectl(real!.kubectl, realKubeconfig, join(dir, 'cache-real'), args, dir),
      kubectl(real!.kubectl, mock!.kubeconfig, join(dir, 'cache-mock'), args, dir),
    ]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cci-contract-kubectl-writes-'));
    for (const [name, documents] of Object.entries(FILES))
      writeFileSync(join(dir, name), documents.map((d) => stringify(d)).join('---\n'));
    // Both start at once; whichever did start is stopped in afterAll even if the other failed.
    const [startedReal, startedMock] = await Promise.allSettled([
      startRealServer(),
      startMockWithKubeconfig(join(dir, 'mock.kubeconfig')),
    ]);
    real = startedReal.status === 'fulfilled' ? startedReal.value : undefined;
    mock = startedMock.status === 'fulfilled' ? startedMock.value : undefined;
    for (const started of [startedReal, startedMock]) if (started.status === 'rejected') throw started.reason;
    if (!real) return;
    realKubeconfig = join(dir, 'real.kubeconfig');
    writeAdminKubeconfig(real, realKubeconfig);
    const created = await kubectl(real.kubectl, realKubeconfig, join(dir, 'cache-real'), ['create', 'namespace', NS]);
    if (created.exitCode !== 0)
      throw new Error(`could not create namespace ${NS} on the real server: ${created.stderr}`);
  });
  afterAll(async () => {
    await mock?.stop();
    if (real) await stopRealServer(real);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // One test per step, in order (vitest runs a file's tests one after another).
  STEPS.forEach(({ args, form }, index) => {
    const id = caseIds[index]!;
    it(id, async () => {
      const [fromReal, fromMock] = await both(args);
      const undeclared = ledger.record(id, diff(comparable(fromReal, form), comparable(fromMock, form)));
      expect(
        undeclared.map((d) => `${d.path || '(output)'}: real ${show(d.real)} | mock ${show(d.mock)}`),
        `undeclared differences (fix the mock or declare them in contract/differences.yaml)\nreal (${fromReal.exitCode}):\n${fromReal.stdout}${fromReal.stderr}\nmock (${fromMock.exitCode}):\n${fromMock.stdout}${fromMock.stderr}`,
      ).toEqual([]);
    });
  });

  it('kubectl explain reads the mock’s /openapi/v2: the fields of service.spec.ports, from the spec', async () => {
    const out = await kubectl(
      real!.kubectl,
      mock!.kubeconfig,
      join(dir, 'cache-mock'),
      ['explain', 'service.spec.ports'],
      dir,
    );
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/^KIND: {5}Service\nVERSION: {2}v1\n\nRESOURCE: ports <\[\]Object>/);
    for (const field of [
      'port\t<integer> -required-',
      'protocol\t<string>',
      'targetPort\t<string>',
      'nodePort\t<integer>',
      'name\t<string>',
    ]) {
      expect(out.stdout).toContain(field);
    }
  });

  it('kubectl validates with the mock’s /openapi/v2 as with the real one: an unknown field is refused', async () => {
    const [fromReal, fromMock] = await both(['create', '-f', 'unknown-field.yaml', ...ns]);
    expect(fromReal.stderr).toContain(
      'error validating data: ValidationError(Service.spec): unknown field "portz" in io.k8s.api.core.v1.ServiceSpec',
    );
    expect(fromMock.stderr).toBe(fromReal.stderr);
    expect(fromMock.exitCode).toBe(1);
  });

  it('GET /openapi/v2 answers as kube-apiserver’s: per Accept the status, media type, validators; 304; 406 with no body; 404 beside it; 403 anonymous', async () => {
    const config = parse(readFileSync(mock!.kubeconfig, 'utf8'));
    const cluster = config.clusters[0].cluster;
    const targets: Array<[Target, string]> = [
      [{ url: real!.url, ca: readFileSync(real!.servingCa) }, real!.adminToken],
      [
        { url: cluster.server, ca: Buffer.from(cluster['certificate-authority-data'], 'base64') },
        config.users[0].user.token,
      ],
    ];
    const view = async ([target, token]: [Target, string], headers: Record<string, string>) => {
      const answer = await send(target, {
        path: '/openapi/v2',
        headers: { ...(token && { authorization: `Bearer ${token}` }), ...headers },
      });
      const h = answer.headers;
      const etag = typeof h.etag === 'string' ? h.etag : undefined;
      return {
        view: {
          status: answer.status,
          contentType: h['content-type'],
          etag: etag && /^"[0-9A-F]{128}"$/.test(etag) ? 'sha512' : etag,
          lastModified: typeof h['last-modified'] === 'string',
          vary: h.vary,
          cacheControl: h['cache-control'],
          acceptRanges: h['accept-ranges'],
          emptyBody: answer.body === '',
        },
        etag,
      };
    };
    for (const accept of [
      'application/json',
      PROTOBUF,
      '',
      '*/*',
      `${PROTOBUF}, application/json`,
      `application/json;q=0.5, ${PROTOBUF}`,
      'application/yaml',
      'text/plain',
    ]) {
      const headers: Record<string, string> = accept === '' ? {} : { accept };
      const [fromReal, fromMock] = await Promise.all(targets.map((t) => view(t, headers)));
      expect(fromMock!.view, `Accept: ${accept || '(none)'}`).toEqual(fromReal!.view);
      if (fromReal!.view.status !== 200) continue;
      const again = await Promise.all(
        targets.map((t, i) => view(t, { ...headers, 'if-none-match': [fromReal, fromMock][i]!.etag! })),
      );
      expect(
        again.map((a) => a.view.status),
        `If-None-Match, Accept: ${accept || '(none)'}`,
      ).toEqual([304, 304]);
    }
    // Only /openapi/v2 itself: a trailing slash or /openapi is 404 on both (kube-apiserver's 404 body lists its paths; the mock's is a Status).
    for (const path of ['/openapi/v2/', '/openapi']) {
      const answers = await Promise.all(
        targets.map(([target, token]) => send(target, { path, headers: { authorization: `Bearer ${token}` } })),
      );
      expect(
        answers.map((a) => a.status),
        path,
      ).toEqual([404, 404]);
    }
    const anonymous = await Promise.all(targets.map(([target]) => send(target, { path: '/openapi/v2' })));
    expect(anonymous.map((a) => [a.status, JSON.parse(a.body).message])).toEqual([
      [403, 'forbidden: User "system:anonymous" cannot get path "/openapi/v2"'],
      [403, 'forbidden: User "system:anonymous" cannot get path "/openapi/v2"'],
    ]);
  });

  it('declares only kubectl-writes differences that still occur', (ctx) => {
    if (!ledger.complete()) ctx.skip();
    expect(
      ledger.stale(),
      'declared differences that no longer occur: remove them from contract/differences.yaml',
    ).toEqual([]);
  });
});
