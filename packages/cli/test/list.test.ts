// cci-svc get / list / list --watch end to end: the built CLI as a subprocess against a real mock
// server on 127.0.0.1. Tables are checked three ways: against rows derived from the served objects
// through serviceTableRow (the one place kubectl's printer rules live), against a row written out
// by hand as kubectl prints it, and (when Debian's kubectl is installed) against kubectl itself.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Service } from '@cci-openapi/client';
import { serviceTableRow } from '@cci-openapi/internals/service-table';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { runProcess } from '@cci-openapi/test-support';
import { assertBuilt, bin, runCli } from './helpers/run.js';
import { createTestPki } from './helpers/certs.js';

const TOKEN = 'mock-token';
const OLD = '2020-01-01T00:00:00Z';

let server: MockServer;
beforeAll(async () => {
  assertBuilt();
  // kube: `list -A` lists across all namespaces, which the cci profile refuses as CCI does.
  server = await startMockServer({ profile: 'kube', port: 0, tokens: [TOKEN] });
});
afterAll(() => server?.close());

const cli = (...args: string[]) => runCli([...args, '--server', server.url], { CCI_TOKEN: TOKEN });

/** A valid Service for mock.store.apply, created long ago (a stable AGE). */
function service(
  namespace: string,
  name: string,
  spec: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, creationTimestamp: OLD, labels: { app: name } },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.247.0.1',
      clusterIPs: ['10.247.0.1'],
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
      selector: { app: name },
      ...spec,
    },
    status: { loadBalancer: {} },
    ...extra,
  } as unknown as Service;
}

/**
 * kubectl's layout, written independently of the CLI's: each column as wide as its widest cell
 * plus 3 spaces, the last one unpadded.
 */
function layout(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('')}\n`).join('');
}

const HEADER = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'];

/**
 * The table kubectl prints for what the mock serves, at `now`: rows from serviceTableRow, built
 * wide as kube-apiserver builds its Table answers (kubectl then hides SELECTOR unless -o wide).
 */
function expectedTable(namespace: string | undefined, wide: boolean, now: number): string {
  const header = [...(namespace === undefined ? ['NAMESPACE'] : []), ...HEADER, ...(wide ? ['SELECTOR'] : [])];
  const items = server.store.list(namespace === undefined ? {} : { namespace }) as Service[];
  return layout([
    header,
    ...items.map((s) => [
      ...(namespace === undefined ? [s.metadata.namespace!] : []),
      ...serviceTableRow(s, { now, wide: true }).slice(0, wide ? 7 : 6),
    ]),
  ]);
}

/** Runs the CLI and checks its table against the expected one at a time during the run (AGE moves). */
async function expectTableOutput(args: string[], namespace: string | undefined, wide: boolean): Promise<void> {
  const before = Date.now();
  const result = await cli(...args);
  const after = Date.now();
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect([expectedTable(namespace, wide, before), expectedTable(namespace, wide, after)]).toContain(result.stdout);
}

describe('cci-svc list: kubectl tables', () => {
  it('-n namespace-test: NAME, TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE from serviceTableRow of the served objects', async () => {
    await expectTableOutput(['list', '-n', 'namespace-test'], 'namespace-test', false);
  });

  it('-o wide adds SELECTOR', async () => {
    await expectTableOutput(['list', '-n', 'namespace-test', '-o', 'wide'], 'namespace-test', true);
  });

  it('-A adds a leading NAMESPACE column, across every namespace', async () => {
    server.store.apply(service('other-ns', 'api'));
    try {
      await expectTableOutput(['list', '-A'], undefined, false);
      await expectTableOutput(['list', '--all-namespaces', '-o', 'wide'], undefined, true);
    } finally {
      server.store.delete('other-ns', 'api');
    }
  });

  // kubectl 1.20 prints a load-balancer's addresses whole, also without -o wide: it shows the
  // server's Table, which kube-apiserver builds wide. (Its client-side printer would cut them to
  // "192.0.2.44,st...": a table that did so would not match kubectl.)
  it('prints a LoadBalancer Service exactly as kubectl does (hand-checked rows)', async () => {
    // Created 3 days and 30 minutes ago: kubectl's AGE is "3d" for the next half hour.
    const created = new Date(Date.now() - (3 * 24 * 60 + 30) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const storefront = service(
      'shop',
      'storefront',
      {
        type: 'LoadBalancer',
        clusterIP: '10.247.31.7',
        clusterIPs: ['10.247.31.7'],
        ports: [
          { name: 'http', port: 80, targetPort: 8080, nodePort: 31000, protocol: 'TCP' },
          { name: 'https', port: 443, targetPort: 8443, nodePort: 31443, protocol: 'TCP' },
        ],
        selector: { app: 'shop', tier: 'front' },
      },
      {
        status: { loadBalancer: { ingress: [{ ip: '192.0.2.44' }, { hostname: 'storefront.shop.elb.example.com' }] } },
      },
    );
    (storefront.metadata as { creationTimestamp?: string }).creationTimestamp = created;
    server.store.apply(storefront);
    server.store.apply(
      service('shop', 'cart', {
        clusterIP: 'None',
        clusterIPs: ['None'],
        ports: [{ port: 6379, targetPort: 6379, protocol: 'TCP' }],
        selector: {},
      }),
    );
    const table = await cli('list', '-n', 'shop');
    expect(table).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'NAME         TYPE           CLUSTER-IP    EXTERNAL-IP                                  PORT(S)                      AGE',
        `cart         ClusterIP      None          <none>                                       6379/TCP                     ${serviceTableRow(server.store.get('shop', 'cart') as Service, { now: Date.now(), wide: false })[5]}`,
        'storefront   LoadBalancer   10.247.31.7   192.0.2.44,storefront.shop.elb.example.com   80:31000/TCP,443:31443/TCP   3d',
        '',
      ].join('\n'),
    });
    const wide = await cli('get', 'shop/storefront', '-o', 'wide');
    expect(wide).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'NAME         TYPE           CLUSTER-IP    EXTERNAL-IP                                  PORT(S)                      AGE   SELECTOR',
        'storefront   LoadBalancer   10.247.31.7   192.0.2.44,storefront.shop.elb.example.com   80:31000/TCP,443:31443/TCP   3d    app=shop,tier=front',
        '',
      ].join('\n'),
    });
  });

  it('says so on stderr when nothing matches, as kubectl does', async () => {
    expect(await cli('list', '-n', 'empty-ns')).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No resources found in empty-ns namespace.\n',
    });
  });
});

describe('cci-svc list: selectors, paging, json and yaml', () => {
  it('-l and --field-selector reach the server', async () => {
    const byLabel = await cli('list', '-n', 'namespace-test', '-l', 'app=web');
    expect(byLabel.code).toBe(0);
    expect(
      byLabel.stdout
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(' ')[0]),
    ).toEqual(['web-elb', 'web-nodeport']);
    const byField = await cli('list', '-A', '--field-selector', 'metadata.name=redis');
    expect(
      byField.stdout
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(/ +/).slice(0, 2).join('/')),
    ).toEqual(['namespace-test/redis']);
    const bad = await cli('list', '-n', 'namespace-test', '-l', 'app in (');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^cci-svc: API error 400 BadRequest: .+\n$/);
  });

  it('pages with --chunk-size: every Service, one request per page, in order', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `svc-${i}`);
    for (const name of names) server.store.apply(service('paged', name));
    const result = await cli('list', '-n', 'paged', '--chunk-size', '3', '--verbose');
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(' ')[0]),
    ).toEqual(names);
    const requests = result.stderr.split('\n').filter((l) => l.startsWith('GET '));
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatch(/\/api\/v1\/namespaces\/paged\/services\?limit=3 -> 200/);
    expect(requests.slice(1).every((l) => /limit=3&continue=[^&\s]+ -> 200/.test(l))).toBe(true);
  });

  it('-o json and -o yaml print a v1 List of the Services, as kubectl does', async () => {
    const served = (server.store.list({ namespace: 'namespace-test' }) as Service[]).map((s) => ({
      ...s,
      apiVersion: 'v1',
      kind: 'Service',
    }));
    const expected = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '', selfLink: '' }, items: served };
    const json = await cli('list', '-n', 'namespace-test', '-o', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(expected);
    const yaml = await cli('list', '-n', 'namespace-test', '-o', 'yaml');
    expect(YAML.parse(yaml.stdout)).toEqual(expected);
  });

  it('2 for -n with -A, a bad --chunk-size or output', async () => {
    for (const args of [
      ['list', '-n', 'a', '-A'],
      ['list', '--chunk-size', '0'],
      ['list', '-o', 'name'],
    ]) {
      const result = await cli(...args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
    }
  });
});

describe('cci-svc get', () => {
  it('prints the Service object (readCoreV1NamespacedService) as json, and its kubectl row', async () => {
    const json = await cli('get', 'namespace-test/web-elb', '-o', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(server.store.get('namespace-test', 'web-elb'));
    const table = await cli('get', 'namespace-test/web-elb');
    expect(table.stdout).toBe(
      layout([
        HEADER,
        serviceTableRow(server.store.get('namespace-test', 'web-elb') as Service, {
          now: Date.now(),
          wide: true,
        }).slice(0, 6),
      ]),
    );
  });

  it("3 for a missing Service, in the server's words", async () => {
    const result = await cli('get', 'namespace-test/nope');
    expect(result).toEqual({
      code: 3,
      stdout: '',
      stderr: 'cci-svc: Service namespace-test/nope not found (404 NotFound: services "nope" not found)\n',
    });
  });

  it('4 for a wrong token', async () => {
    const result = await runCli(['get', 'namespace-test/redis', '--server', server.url], {
      CCI_TOKEN: 'wrong-token-123',
    });
    expect(result.code).toBe(4);
    expect(result.stderr).not.toContain('wrong-token-123');
  });
});

describe('terminal safety of list output', () => {
  it('shows control and BiDi characters from the server as escapes, columns still aligned', async () => {
    server.store.apply(service('esc', 'evil\u001b[2J', { selector: { app: 'x\u202ey' } }));
    server.store.apply(
      service('esc', 'plain', {
        type: 'ExternalName',
        externalName: 'db\u001b]0;title\u0007.example.com',
        clusterIP: undefined,
        clusterIPs: undefined,
        ports: [],
      }),
    );
    const result = await cli('list', '-n', 'esc', '-o', 'wide');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    const lines = result.stdout.split('\n');
    expect(lines[1]).toMatch(/^evil\\x1b\[2J {3}ClusterIP .* app=x\\u202ey$/);
    expect(lines[2]).toContain('db\\x1b]0;title\\x07.example.com');
    // Aligned: TYPE starts at the same column on every line.
    expect(new Set(lines.slice(0, 3).map((l) => l.search(/(TYPE|ClusterIP|ExternalName)/))).size).toBe(1);
    const json = await cli('list', '-n', 'esc', '-o', 'json');
    expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(json.stdout).items.map((s: Service) => s.metadata.name)).toEqual(['evil\u001b[2J', 'plain']);
  });
});

/** The CLI as a long-running subprocess: its output so far, a wait for some text, its exit. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args, '--server', server.url], {
    env: { ...process.env, CCI_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = async (pattern: RegExp) => {
    for (let i = 0; i < 600 && !pattern.test(out.stdout); i++) await new Promise((r) => setTimeout(r, 50));
    if (!pattern.test(out.stdout)) throw new Error(`no ${pattern} in ${JSON.stringify(out)}`);
  };
  return { child, out, exited, waitFor };
}

describe('cci-svc list --watch', () => {
  it('prints the table with an EVENT column, then a line per change: MODIFIED, ADDED, DELETED', async () => {
    server.store.apply(service('watched', 'alpha'));
    server.store.apply(
      service('watched', 'a-much-longer-name', { clusterIP: '10.247.100.100', clusterIPs: ['10.247.100.100'] }),
    );
    const watch = startCli(['list', '-n', 'watched', '--watch']);
    try {
      await watch.waitFor(
        /^EVENT +NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nADDED +a-much-longer-name +ClusterIP +10\.247\.100\.100 .*\nADDED +alpha +ClusterIP +10\.247\.0\.1 +<none> +80\/TCP +\S+\n$/,
      );
      server.store.apply(
        service('watched', 'alpha', {
          type: 'NodePort',
          ports: [{ port: 80, targetPort: 8080, nodePort: 30123, protocol: 'TCP' }],
        }),
      );
      await watch.waitFor(/\nMODIFIED +alpha +NodePort +10\.247\.0\.1 +<none> +80:30123\/TCP +\S+\n$/);
      server.store.apply(service('watched', 'beta'));
      await watch.waitFor(/\nADDED +beta +ClusterIP/);
      server.store.delete('watched', 'alpha');
      await watch.waitFor(/\nDELETED +alpha +NodePort/);
      // Another namespace's change is not this watch's.
      server.store.apply(service('elsewhere', 'gamma'));
      server.store.delete('watched', 'beta');
      await watch.waitFor(/\nDELETED +beta/);
      server.store.delete('watched', 'a-much-longer-name');
      expect(watch.out.stdout).not.toContain('gamma');
      expect(watch.out.stderr).toBe('');
      // Columns stay aligned across the lines: NAME, TYPE and CLUSTER-IP start where the header's do.
      const lines = watch.out.stdout.trimEnd().split('\n');
      for (const column of ['NAME', 'TYPE', 'CLUSTER-IP']) {
        const at = lines[0]!.indexOf(column);
        expect(lines.map((l) => l[at - 1] === ' ' && l[at] !== ' ')).toEqual(lines.map(() => true));
      }
    } finally {
      watch.child.kill('SIGINT');
    }
    expect((await watch.exited).signal).toBe('SIGINT');
  });

  it('ends with exit 0, quietly, when the reader of its output goes away (… | head)', async () => {
    server.store.apply(service('watched-pipe', 'first'));
    const watch = startCli(['list', '-n', 'watched-pipe', '--watch']);
    await watch.waitFor(/ADDED +first/);
    watch.child.stdout.destroy();
    // The next line written finds the pipe closed.
    server.store.apply(service('watched-pipe', 'second'));
    const guard = setTimeout(() => watch.child.kill('SIGKILL'), 30_000);
    try {
      expect(await watch.exited).toEqual({ code: 0, signal: null });
      expect(watch.out.stderr).toBe('');
    } finally {
      clearTimeout(guard);
    }
  });

  it('ends with exit 0 when --timeout runs out; -o json prints WatchEvents', async () => {
    server.store.apply(service('watched-json', 'one'));
    const watch = startCli(['list', '-n', 'watched-json', '--watch', '--timeout', '6s', '-o', 'json']);
    await watch.waitFor(/"type":"ADDED"/);
    server.store.apply(service('watched-json', 'one', { clusterIP: '10.247.0.9', clusterIPs: ['10.247.0.9'] }));
    await watch.waitFor(/"type":"MODIFIED"/);
    expect(await watch.exited).toEqual({ code: 0, signal: null });
    const events = watch.out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.object.metadata.name, e.object.spec.clusterIP])).toEqual([
      ['ADDED', 'one', '10.247.0.1'],
      ['MODIFIED', 'one', '10.247.0.9'],
    ]);
  });
});

describe('the same table as kubectl', () => {
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  const hasKubectl = kubectl.status === 0;

  it('cci-svc list -n namespace-test prints what kubectl get svc -n namespace-test prints (AGE aside)', async (context) => {
    if (!hasKubectl) {
      if (process.env.CI) throw new Error("kubectl is missing in CI: install Debian's kubernetes-client");
      console.log('kubectl is not installed: skipping the comparison with kubectl get svc');
      context.skip();
    }
    const pki = await createTestPki();
    const tls = await startMockServer({
      port: 0,
      tokens: [TOKEN],
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
    });
    const scratch = mkdtempSync(join(tmpdir(), 'cci-svc-kubectl-'));
    try {
      const config = join(scratch, 'config');
      writeFileSync(
        config,
        YAML.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'mock',
              cluster: { server: tls.url, 'certificate-authority-data': Buffer.from(pki.ca).toString('base64') },
            },
          ],
          users: [{ name: 'me', user: { token: TOKEN } }],
          contexts: [{ name: 'mock', context: { cluster: 'mock', user: 'me' } }],
          'current-context': 'mock',
        }),
      );
      for (const wide of [false, true]) {
        const extra = wide ? ['-o', 'wide'] : [];
        // Not spawnSync: the mock answering kubectl runs in this process.
        const theirs = await run('kubectl', ['--kubeconfig', config, 'get', 'svc', '-n', 'namespace-test', ...extra], {
          ...process.env,
          HOME: scratch,
        });
        expect({ code: theirs.code, stderr: theirs.stderr }).toEqual({ code: 0, stderr: '' });
        const ours = await runCli(['list', '-n', 'namespace-test', '--kubeconfig', config, ...extra]);
        expect(ours.stderr).toBe('');
        expect(withoutAge(ours.stdout)).toEqual(withoutAge(theirs.stdout));
        expect(ours.stdout.split('\n')).toHaveLength(theirs.stdout.split('\n').length);
      }
    } finally {
      await tls.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

const run = (command: string, args: string[], env: NodeJS.ProcessEnv) => runProcess(command, args, { env });

/** The table with the AGE column cut out (its start to the next column's). */
function withoutAge(table: string): string[] {
  const lines = table.split('\n');
  const start = lines[0]!.indexOf('AGE');
  const end = lines[0]!.indexOf('SELECTOR');
  return lines.map((l) => l.slice(0, start) + (end === -1 ? '' : l.slice(end)));
}
