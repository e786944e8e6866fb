// cci-svc create / apply / delete end to end: the built CLI as a subprocess against the mock server
// on 127.0.0.1 (kube profile, a bearer token). Every expected server message below was first read
// from a real kube-apiserver v1.20.2 (contract/scripts/kube-apiserver.sh) with kubectl 1.20.2 and
// curl; the success lines are kubectl's own words. CCI_SVC_WRITES_REAL_SERVER=<server.json of
// kube-apiserver.sh start> runs the same cases against that real server instead (through a
// kubeconfig with its admin token); the cases only the mock can stage stay on the mock.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { runProcess } from '@cci-openapi/test-support';
import { assertBuilt, bin, runCli } from './helpers/run.js';

const TOKEN = 'writes-token-0123456789';
const NS = 'namespace-test';
const scratch = mkdtempSync(join(tmpdir(), 'cci-svc-writes-'));
let server: MockServer;

/** How the CLI reaches the server under test: the mock's URL, or a kubeconfig for the real one. */
let target: string[] = [];
/** A Service every usage-error case checks is still there (those send nothing). */
const KEEP = 'w-keep';

/** A kubeconfig for the real kube-apiserver of kube-apiserver.sh, its namespace-test made. */
function realServerTarget(serverJson: string): string[] {
  const real = JSON.parse(readFileSync(serverJson, 'utf8')) as {
    url: string;
    adminToken: string;
    servingCa: string;
    kubectl: string;
  };
  const path = join(scratch, 'real-kubeconfig');
  const cluster = { server: real.url, 'certificate-authority': real.servingCa };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'real', cluster }],
    users: [{ name: 'admin', user: { token: real.adminToken } }],
  };
  writeFileSync(
    path,
    YAML.stringify({
      ...config,
      contexts: [{ name: 'real', context: { cluster: 'real', user: 'admin' } }],
      'current-context': 'real',
    }),
  );
  try {
    execFileSync(real.kubectl, ['--kubeconfig', path, 'create', 'namespace', NS], { stdio: 'ignore' });
  } catch {
    // it exists already
  }
  return ['--kubeconfig', path];
}

beforeAll(async () => {
  assertBuilt();
  server = await startMockServer({ profile: 'kube', port: 0, tokens: [TOKEN] });
  const real = process.env.CCI_SVC_WRITES_REAL_SERVER;
  target = real ? realServerTarget(real) : ['--server', server.url];
  await cli('delete', '-f', manifest([service(KEEP)]), '-n', NS);
  expect((await cli('create', '-f', manifest([service(KEEP)]), '-n', NS)).code).toBe(0);
});
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli([...args, ...target], { CCI_TOKEN: TOKEN });

let files = 0;
/** A manifest file in the scratch folder: objects as YAML documents, or text as it is. */
function manifest(content: string | object[], name = `m${++files}.yaml`): string {
  const path = join(scratch, name);
  writeFileSync(
    path,
    typeof content === 'string' ? content : content.map((object) => YAML.stringify(object)).join('---\n'),
  );
  return path;
}

function service(name: string, extra: { namespace?: string; port?: number; targetPort?: number } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(extra.namespace !== undefined && { namespace: extra.namespace }) },
    spec: {
      selector: { app: name },
      ports: [{ port: extra.port ?? 80, protocol: 'TCP', targetPort: extra.targetPort ?? 8080 }],
    },
  };
}

/** The stored Service as JSON, or undefined when the server says 404. */
async function stored(name: string, namespace = NS) {
  const result = await cli('get', `${namespace}/${name}`, '-o', 'json');
  if (result.code === 3) return undefined;
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { spec: { ports: Array<{ targetPort: number }> } };
}

describe('cci-svc create', () => {
  it("creates, then refuses the same Service with the server's 409 AlreadyExists", async () => {
    const file = manifest([service('w-create')]);
    const first = await cli('create', '-f', file, '-n', NS);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('service/w-create created\n');
    expect(first.code).toBe(0);
    expect((await stored('w-create'))?.spec.ports[0]?.targetPort).toBe(8080);

    const again = await cli('create', '-f', file, '-n', NS);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      `cci-svc: error when creating service/w-create in namespace ${NS} (${file}): services "w-create" already exists (409 AlreadyExists)\n`,
    );
  });

  it('--dry-run=server answers as kubectl does and stores nothing', async () => {
    const result = await cli('create', '-f', manifest([service('w-dry')]), '-n', NS, '--dry-run=server');
    expect(result.stdout).toBe('service/w-dry created (server dry run)\n');
    expect(result.code).toBe(0);
    expect(await stored('w-dry')).toBeUndefined();
  });

  it('prints -o name, and -o json / -o yaml as the created objects (YAML documents split by ---)', async () => {
    const name = await cli('create', '-f', manifest([service('w-oname')]), '-n', NS, '-o', 'name');
    expect(name.stdout).toBe('service/w-oname\n');
    const json = await cli('create', '-f', manifest([service('w-ojson')]), '-n', NS, '-o', 'json', '--dry-run=server');
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'Service', metadata: { name: 'w-ojson', namespace: NS } });
    const yaml = await cli(
      'create',
      '-f',
      manifest([service('w-oyaml1'), service('w-oyaml2')]),
      '-n',
      NS,
      '-o',
      'yaml',
      '--dry-run=server',
    );
    expect(yaml.code).toBe(0);
    expect(YAML.parseAllDocuments(yaml.stdout).map((doc) => doc.toJS().metadata.name)).toEqual([
      'w-oyaml1',
      'w-oyaml2',
    ]);
  });

  it('reports each object of a multi-document file on its own line and goes on after a 422 (exit 1)', async () => {
    const bad = { ...service('w-multi2'), spec: { ports: [{ port: 0, protocol: 'TCP' }] } };
    const file = manifest([service('w-multi1'), bad, service('w-multi3')]);
    const result = await cli('create', '-f', file, '-n', NS);
    expect(result.stdout).toBe('service/w-multi1 created\nservice/w-multi3 created\n');
    expect(result.stderr).toBe(
      [
        `cci-svc: error when creating service/w-multi2 in namespace ${NS} (${file} document 2, line 13): The Service "w-multi2" is invalid (422 Invalid):`,
        '* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        '* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
        '',
      ].join('\n'),
    );
    expect(result.code).toBe(1);
  });

  it('reads stdin with -f -', async () => {
    const result = await runProcess(process.execPath, [bin, 'create', '-f', '-', '-n', NS, ...target], {
      env: { PATH: process.env.PATH ?? '', CCI_TOKEN: TOKEN },
      input: YAML.stringify(service('w-stdin')),
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('service/w-stdin created\n');
    expect(result.code).toBe(0);
  });

  it('reads a JSON file, and a v1 List as its items', async () => {
    const json = manifest(JSON.stringify(service('w-json1')), 'svc.json');
    expect((await cli('create', '-f', json, '-n', NS)).stdout).toBe('service/w-json1 created\n');
    const list = manifest(
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [service('w-list1'), service('w-list2')] }),
      'list.json',
    );
    const result = await cli('create', '-f', list, '-n', NS);
    expect(result.stdout).toBe('service/w-list1 created\nservice/w-list2 created\n');
    expect(result.code).toBe(0);
  });

  it('opens a ServiceList as the API answers it (items without apiVersion and kind)', async () => {
    const items = [service('w-slist1'), service('w-slist2')].map(({ apiVersion: _a, kind: _k, ...item }) => item);
    const file = manifest(
      JSON.stringify({ apiVersion: 'v1', kind: 'ServiceList', metadata: {}, items }),
      'servicelist.json',
    );
    const result = await cli('create', '-f', file, '-n', NS, '--dry-run=server');
    expect(result.stdout).toBe(
      'service/w-slist1 created (server dry run)\nservice/w-slist2 created (server dry run)\n',
    );
    expect(result.code).toBe(0);
  });

  it('exit 4 when the token may not write in that namespace (403), in the words of the write', async () => {
    const scoped = await startMockServer({
      profile: 'kube',
      port: 0,
      tokens: [{ token: 'team-a-token-000', namespaces: ['team-a'] }],
    });
    try {
      const result = await runCli(['create', '-f', manifest([service('w-403')]), '-n', NS, '--server', scoped.url], {
        CCI_TOKEN: 'team-a-token-000',
      });
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^cci-svc: error when creating service\/w-403 in namespace namespace-test \(.*\): not authorised to create service\/w-403 in namespace namespace-test \(403 Forbidden: services is forbidden/,
      );
      expect(result.code).toBe(4);
    } finally {
      await scoped.close();
    }
  });

  it('refuses a file with a YAML error, naming the file and the line, and sends nothing (exit 2)', async () => {
    const file = manifest(
      `${YAML.stringify(service('w-yaml-ok'))}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: w-yaml-bad\n  labels: [a\nspec: {}\n`,
    );
    const result = await cli('create', '-f', file, '-n', NS);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^cci-svc: error parsing ${file.replace(/[.]/g, '\\.')}: line 18: `));
    expect(await stored('w-yaml-ok')).toBeUndefined();
  });

  it('refuses an object that is not a v1 Service without sending it, and writes the others (exit 2)', async () => {
    const file = manifest([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w-cm' } }, service('w-notcm')]);
    const result = await cli('create', '-f', file, '-n', NS);
    expect(result.stdout).toBe('service/w-notcm created\n');
    expect(result.stderr).toBe(
      `cci-svc: ${file} document 1, line 1: not a v1 Service (kind ConfigMap, apiVersion v1): cci-svc writes v1 Services only, so nothing was sent for it\n`,
    );
    expect(result.code).toBe(2);
  });

  it("refuses a field the schema does not know, or a wrong type, in kubectl's words; --validate=false sends it and the server drops the field", async () => {
    const typo = { ...service('w-typo'), spec: { ...service('w-typo').spec, portz: [{ port: 81 }] } };
    const wrongType = {
      ...service('w-type'),
      spec: { ...service('w-type').spec, ports: [{ port: '80', protocol: 'TCP' }] },
    };
    const file = manifest([typo, wrongType]);
    const refused = await cli('apply', '-f', file, '-n', NS);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `cci-svc: ${file} document 1, line 1: error validating data: ValidationError(Service.spec): unknown field "portz" in io.k8s.api.core.v1.ServiceSpec; if you choose to ignore these errors, turn validation off with --validate=false\n` +
        `cci-svc: ${file} document 2, line 15: error validating data: ValidationError(Service.spec.ports[0].port): invalid type for io.k8s.api.core.v1.ServicePort.port: got "string", expected "integer"; if you choose to ignore these errors, turn validation off with --validate=false\n`,
    );
    expect(refused.code).toBe(2);
    expect(await stored('w-typo')).toBeUndefined();
    const sent = await cli('create', '-f', manifest([typo]), '-n', NS, '--validate=false');
    expect(sent.stdout).toBe('service/w-typo created\n');
    expect(await stored('w-typo')).not.toHaveProperty('spec.portz');
  });

  it("refuses an object whose namespace contradicts -n, in kubectl's words", async () => {
    const file = manifest([service('w-nsconflict', { namespace: 'team-a' }), service('w-nsok')]);
    const result = await cli('create', '-f', file, '-n', NS);
    expect(result.stderr).toBe(
      `cci-svc: ${file} document 1, line 1: the namespace from the provided object "team-a" does not match the namespace "${NS}". You must pass '--namespace=team-a' to perform this operation.\n`,
    );
    expect(result.stdout).toBe('service/w-nsok created\n');
    expect(result.code).toBe(2);
  });

  it('refuses what is not a regular file, and stdin over 8 MiB, before any request (exit 2)', async () => {
    const device = await cli('create', '-f', '/dev/zero');
    expect(device.stderr).toBe('cci-svc: cannot read "/dev/zero": not a regular file (a character device)\n');
    expect(device.code).toBe(2);
    const missing = await cli('create', '-f', join(scratch, 'nope.yaml'));
    expect(missing.stderr).toContain('no such file (ENOENT)');
    const big = await runProcess(process.execPath, [bin, 'apply', '-f', '-', ...target], {
      env: { PATH: process.env.PATH ?? '', CCI_TOKEN: TOKEN },
      input: `# ${'x'.repeat(8 * 1024 * 1024)}\n`,
    });
    expect(big.stderr).toBe('cci-svc: STDIN: larger than the 8388608-byte limit\n');
    expect(big.code).toBe(2);
  });

  it('failures of different kinds exit 1: a refused object (2) and a 422 (1)', async () => {
    const bad = { ...service('w-mixed-422'), spec: { ports: [{ port: 0, protocol: 'TCP' }] } };
    const result = await cli(
      'create',
      '-f',
      manifest([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, bad]),
      '-n',
      NS,
    );
    expect(result.stderr.split('\n').filter((line) => line.startsWith('cci-svc: '))).toHaveLength(2);
    expect(result.code).toBe(1);
  });

  it('more than 1,000 objects is a usage error before any request', async () => {
    const items = Array.from({ length: 1_001 }, (_, i) => service(`w-many-${i}`));
    const result = await cli(
      'create',
      '-f',
      manifest(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), 'many.json'),
      '-n',
      NS,
    );
    expect(result.stderr).toMatch(/more than 1000 objects \(the limit of one file\)\n$/);
    expect(result.code).toBe(2);
    expect(await stored('w-many-0')).toBeUndefined();
  });

  it('an empty file is a usage error', async () => {
    const result = await cli('create', '-f', manifest('# nothing\n'));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('cci-svc: no objects passed to create\n');
  });
});

describe('cci-svc apply (server-side)', () => {
  it('says created, unchanged, then configured, as kubectl apply', async () => {
    const first = await cli('apply', '-f', manifest([service('w-apply')]), '-n', NS);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('service/w-apply created\n');
    const same = await cli('apply', '-f', manifest([service('w-apply')]), '-n', NS);
    expect(same.stdout).toBe('service/w-apply unchanged\n');
    const changed = await cli('apply', '-f', manifest([service('w-apply', { targetPort: 9090 })]), '-n', NS);
    expect(changed.stdout).toBe('service/w-apply configured\n');
    expect(changed.code).toBe(0);
    expect((await stored('w-apply'))?.spec.ports[0]?.targetPort).toBe(9090);
  });

  it('--dry-run=server tells configured from unchanged and stores nothing', async () => {
    await cli('apply', '-f', manifest([service('w-applydry')]), '-n', NS);
    const unchanged = await cli('apply', '-f', manifest([service('w-applydry')]), '-n', NS, '--dry-run=server');
    expect(unchanged.stdout).toBe('service/w-applydry unchanged (server dry run)\n');
    const configured = await cli(
      'apply',
      '-f',
      manifest([service('w-applydry', { targetPort: 7070 })]),
      '-n',
      NS,
      '--dry-run=server',
    );
    expect(configured.stdout).toBe('service/w-applydry configured (server dry run)\n');
    const created = await cli('apply', '-f', manifest([service('w-applydry-new')]), '-n', NS, '--dry-run=server');
    expect(created.stdout).toBe('service/w-applydry-new created (server dry run)\n');
    expect((await stored('w-applydry'))?.spec.ports[0]?.targetPort).toBe(8080);
    expect(await stored('w-applydry-new')).toBeUndefined();
  });

  it('fails on fields another manager owns (409 Conflict, each field listed), and takes them with --force-conflicts', async () => {
    await cli('create', '-f', manifest([service('w-conflict')]), '-n', NS);
    const file = manifest([service('w-conflict', { targetPort: 9191 })]);
    const refused = await cli('apply', '-f', file, '-n', NS);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      [
        `cci-svc: error when applying service/w-conflict in namespace ${NS} (${file}): Apply failed with 1 conflict (409 Conflict):`,
        '* .spec.ports[port=80,protocol="TCP"].targetPort: conflict with "cci-svc-create" using v1',
        'hint: other field managers own these fields; take them over with --force-conflicts, leave them out of the file, or give them the values they have',
        '',
      ].join('\n'),
    );
    const forced = await cli('apply', '-f', file, '-n', NS, '--force-conflicts');
    expect(forced.stderr).toBe('');
    expect(forced.stdout).toBe('service/w-conflict configured\n');
    expect((await stored('w-conflict'))?.spec.ports[0]?.targetPort).toBe(9191);
  });

  it('prints one applied object with -o json, a v1 List for several with -o yaml', async () => {
    const one = await cli('apply', '-f', manifest([service('w-aj')]), '-n', NS, '-o', 'json');
    expect(JSON.parse(one.stdout)).toMatchObject({ kind: 'Service', metadata: { name: 'w-aj' } });
    const two = await cli('apply', '-f', manifest([service('w-ay1'), service('w-ay2')]), '-n', NS, '-o', 'yaml');
    const list = YAML.parse(two.stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((item: { metadata: { name: string } }) => item.metadata.name)).toEqual(['w-ay1', 'w-ay2']);
  });

  it('a port without protocol is applied as TCP (kube-apiserver 1.20 cannot key it otherwise)', async () => {
    const object = { ...service('w-noproto'), spec: { ports: [{ port: 80, targetPort: 8080 }] } };
    const result = await cli('apply', '-f', manifest([object]), '-n', NS);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('service/w-noproto created\n');
  });
});

describe('cci-svc delete', () => {
  it("deletes <namespace>/<name> in kubectl's words; a second time is 404 (exit 3)", async () => {
    await cli('create', '-f', manifest([service('w-del')]), '-n', NS);
    const dry = await cli('delete', `${NS}/w-del`, '--dry-run=server');
    expect(dry.stdout).toBe('service "w-del" deleted (server dry run)\n');
    expect(await stored('w-del')).toBeDefined();
    const gone = await cli('delete', `${NS}/w-del`);
    expect(gone.stderr).toBe('');
    expect(gone.stdout).toBe('service "w-del" deleted\n');
    expect(await stored('w-del')).toBeUndefined();
    const again = await cli('delete', `${NS}/w-del`);
    expect(again.code).toBe(3);
    expect(again.stderr).toBe(
      `cci-svc: error when deleting service/w-del in namespace ${NS}: services "w-del" not found (404 NotFound)\n`,
    );
  });

  it('a bare NAME says which namespace it is deleted from; -o name', async () => {
    await cli('create', '-f', manifest([service('w-bare')]), '-n', NS);
    const result = await cli('delete', 'w-bare', '-n', NS, '-o', 'name');
    expect(result.stderr).toBe(`cci-svc: deleting service "w-bare" in namespace "${NS}" (-n)\n`);
    expect(result.stdout).toBe('service/w-bare\n');
    const fallback = await cli('delete', 'w-nothere');
    expect(fallback.stderr).toContain(
      'cci-svc: deleting service "w-nothere" in namespace "default" (no -n given and no namespace in the kubeconfig context)\n',
    );
    expect(fallback.code).toBe(3);
  });

  it('deletes what a file names, each on its own line, going on after a 404', async () => {
    const file = manifest([service('w-fdel1'), service('w-fdel-missing'), service('w-fdel3')]);
    await cli('create', '-f', manifest([service('w-fdel1'), service('w-fdel3')]), '-n', NS);
    const result = await cli('delete', '-f', file, '-n', NS);
    expect(result.stdout).toBe('service "w-fdel1" deleted\nservice "w-fdel3" deleted\n');
    expect(result.stderr).toBe(
      `cci-svc: error when deleting service/w-fdel-missing in namespace ${NS} (${file} document 2, line 13): services "w-fdel-missing" not found (404 NotFound)\n`,
    );
    expect(result.code).toBe(3);
  });

  it('says which namespace an object of the file without one is deleted from, unless -n named it', async () => {
    const file = manifest([service('w-fdel-ns')]);
    const result = await cli('delete', '-f', file, '--dry-run=server');
    expect(result.stderr).toContain(
      'cci-svc: deleting service "w-fdel-ns" in namespace "default" (no -n given and no namespace in the kubeconfig context)\n',
    );
    const named = await cli('delete', '-f', file, '-n', NS, '--dry-run=server');
    expect(named.stderr).toBe(
      `cci-svc: error when deleting service/w-fdel-ns in namespace ${NS} (${file}): services "w-fdel-ns" not found (404 NotFound)\n`,
    );
  });

  it.each([
    [['delete'], /name the Services to delete/],
    [['delete', ''], /expected <namespace>\/<name> or <name>, got ""/],
    [['delete', 'ns/'], /expected <namespace>\/<name> or <name>, got "ns\/"/],
    [['delete', 'a/b/c'], /expected <namespace>\/<name> or <name>/],
    [['delete', '*'], /no wildcard or --all/],
    [['delete', `${NS}/*`], /no wildcard or --all/],
    [['delete', '--all'], /unknown option '--all'/],
    [['delete', `${NS}/${KEEP}`, '-n', 'other'], /names namespace "namespace-test", -n says "other"/],
    [['delete', `${NS}/${KEEP}`, '-f', 'x.yaml'], /either as <namespace>\/<name> or with -f FILE, not both/],
    [['create'], /required option '-f, --filename <file>'/],
    [['apply', '-f', 'x.yaml', '--dry-run=client'], /Allowed choices are none, server/],
    [['delete', `${NS}/${KEEP}`, '-o', 'json'], /Allowed choices are name/],
  ])('usage errors send nothing (exit 2): %j', async (args, message) => {
    const result = await cli(...args);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(await stored(KEEP)).toBeDefined();
  });
});

describe('time limits', () => {
  it('--timeout bounds each object: two objects on a server that never answers in time, two lines, exit 5', async () => {
    const slow = await startMockServer({
      profile: 'kube',
      port: 0,
      tokens: [TOKEN],
      faults: { delay: { ms: 20_000 } },
    });
    try {
      const file = manifest([service('w-slow1'), service('w-slow2')]);
      const result = await runCli(['create', '-f', file, '-n', NS, '--timeout', '500ms', '--server', slow.url], {
        CCI_TOKEN: TOKEN,
      });
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        /^cci-svc: error when creating service\/w-slow1 in namespace namespace-test \(.* document 1, line 1\): .*no result within 500ms/,
      );
      expect(lines[1]).toMatch(/^cci-svc: error when creating service\/w-slow2 /);
      expect(result.code).toBe(5);
    } finally {
      await slow.close();
    }
  });
});

describe('the kubeconfig context namespace', () => {
  it('is the namespace of objects that name none, and a bare NAME to delete says so', async () => {
    const kubeconfig = join(scratch, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      YAML.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'mock', cluster: { server: server.url } }],
        users: [{ name: 'me', user: { token: TOKEN } }],
        contexts: [{ name: 'mock', context: { cluster: 'mock', user: 'me', namespace: NS } }],
        'current-context': 'mock',
      }),
    );
    const created = await runCli(['create', '-f', manifest([service('w-ctx')]), '--kubeconfig', kubeconfig]);
    expect(created.stdout).toBe('service/w-ctx created\n');
    // Read back through the same kubeconfig: this case is always on the mock.
    const read = await runCli(['get', `${NS}/w-ctx`, '--kubeconfig', kubeconfig]);
    expect(read.code).toBe(0);
    const deleted = await runCli(['delete', 'w-ctx', '--kubeconfig', kubeconfig]);
    expect(deleted.stderr).toBe(
      `cci-svc: deleting service "w-ctx" in namespace "${NS}" (the kubeconfig context's namespace)\n`,
    );
    expect(deleted.stdout).toBe('service "w-ctx" deleted\n');
    expect(deleted.stdout + deleted.stderr).not.toContain(TOKEN);
  });
});

describe('signed in to the cci profile with the demo access key', () => {
  it('creates, applies and deletes; the secret key appears nowhere', async () => {
    const cci = await startMockServer({ port: 0 });
    const SK = 'cciMockDemoSecretKey0123456789abcdefABCD';
    const env = { HUAWEICLOUD_SDK_AK: 'CCIMOCKDEMOAK0000001', HUAWEICLOUD_SDK_SK: SK };
    try {
      const file = manifest([service('w-signed')]);
      const run = (...args: string[]) => runCli([...args, '--server', cci.url, '-v'], env);
      const results = [
        await run('create', '-f', file, '-n', NS),
        await run('apply', '-f', file, '-n', NS),
        await run('delete', `${NS}/w-signed`),
      ];
      expect(results.map((result) => result.stdout)).toEqual([
        'service/w-signed created\n',
        'service/w-signed configured\n',
        'service "w-signed" deleted\n',
      ]);
      for (const result of results) {
        expect(result.code).toBe(0);
        expect(result.stdout + result.stderr).not.toContain(SK);
      }
    } finally {
      await cci.close();
    }
  });
});

describe('help', () => {
  it('cci-svc --help lists the write commands; each has its own help', async () => {
    const top = await runCli(['--help']);
    for (const command of ['create', 'apply', 'delete']) expect(top.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    const apply = await runCli(['apply', '--help']);
    expect(apply.stdout).toContain('--force-conflicts');
    expect(apply.stdout).toContain('--field-manager <name>');
    expect(apply.stdout).toContain('--dry-run <strategy>');
  });
});
