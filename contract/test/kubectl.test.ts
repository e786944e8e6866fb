// kubectl (Debian's 1.20.2, the server's own version) runs the same commands against the real
// kube-apiserver and against `cci-mock --write-kubeconfig`; the outputs must match except the AGE
// column and server-set fields, or the difference is declared in differences.yaml.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DifferenceLedger, loadDeclarations } from '../src/declared.js';
import { diff } from '../src/diff.js';
import { comparable, kubectl } from '../src/kubectl.js';
import { startMockWithKubeconfig, type MockProcess } from '../src/mock-cli.js';
import { writeAdminKubeconfig } from '../src/real-server.js';

const server = inject('realServer');
const declarations = loadDeclarations(new URL('../differences.yaml', import.meta.url).pathname);
const STATUS_PATH = '/api/v1/namespaces/namespace-test/services/redis/status';

const COMMANDS: Array<{ args: string[]; form: 'table' | 'json' }> = [
  { args: ['get', 'svc', '-n', 'namespace-test'], form: 'table' },
  { args: ['get', 'svc', 'web-elb', '-n', 'namespace-test', '-o', 'wide'], form: 'table' },
  { args: ['get', 'svc', 'redis', '-n', 'namespace-test', '-o', 'json'], form: 'json' },
  { args: ['get', 'svc', 'nope', '-n', 'namespace-test'], form: 'table' },
  { args: ['get', '--raw', STATUS_PATH], form: 'json' },
];
const caseId = (args: string[]) => `kubectl ${args.join(' ')}`;

const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));

describe.skipIf(!server)('kubectl: mock vs kube-apiserver', () => {
  let dir: string;
  let realKubeconfig: string;
  let mock: MockProcess;
  const ledger = new DifferenceLedger(
    declarations,
    COMMANDS.map((c) => caseId(c.args)),
  );

  beforeAll(async () => {
    if (!server) return;
    dir = mkdtempSync(join(tmpdir(), 'cci-contract-kubectl-'));
    realKubeconfig = join(dir, 'real.kubeconfig');
    writeAdminKubeconfig(server, realKubeconfig);
    mock = await startMockWithKubeconfig(join(dir, 'mock.kubeconfig'));
  });
  afterAll(async () => {
    await mock?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the kubectl is the server version', async () => {
    const out = await kubectl(server!.kubectl, realKubeconfig, join(dir, 'cache-real'), ['version', '-o', 'json']);
    const versions = JSON.parse(out.stdout);
    expect(versions.clientVersion.gitVersion).toBe(server!.version);
    expect(versions.serverVersion.gitVersion).toBe(server!.version);
  });

  it.each(COMMANDS.map((c) => [caseId(c.args), c] as const))('%s', async (id, command) => {
    const [real, fromMock] = await Promise.all([
      kubectl(server!.kubectl, realKubeconfig, join(dir, 'cache-real'), command.args),
      kubectl(server!.kubectl, mock.kubeconfig, join(dir, 'cache-mock'), command.args),
    ]);
    const undeclared = ledger.record(id, diff(comparable(real, command.form), comparable(fromMock, command.form)));
    expect(
      undeclared.map((d) => `${d.path || '(output)'}: real ${show(d.real)} | mock ${show(d.mock)}`),
      `undeclared differences (fix the mock or declare them in contract/differences.yaml)\nreal:\n${real.stdout}${real.stderr}\nmock:\n${fromMock.stdout}${fromMock.stderr}`,
    ).toEqual([]);
  });

  it('kubectl get svc nope says services "nope" not found', async () => {
    const out = await kubectl(server!.kubectl, realKubeconfig, join(dir, 'cache-real'), [
      'get',
      'svc',
      'nope',
      '-n',
      'namespace-test',
    ]);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain('services "nope" not found');
  });

  it('declares only kubectl differences that still occur', (ctx) => {
    if (!ledger.complete()) ctx.skip();
    expect(
      ledger.stale(),
      'declared differences that no longer occur: remove them from contract/differences.yaml',
    ).toEqual([]);
  });
});
