// The commands this repository prints — by `npm start`, in the READMEs, in `cci-svc status --help`
// — run verbatim from the repository root: `npx cci-svc …`, `npx cci-mock …`. And npm links both
// bins when it installs, before anything is built, so they exist right after `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '@cci-openapi/test-support';

const root = join(import.meta.dirname, '..', '..', '..');
const PACKAGES = {
  'cci-svc': join(root, 'packages', 'cli'),
  'cci-mock': join(root, 'packages', 'mock-server'),
} as const;
const MOCK_URL = 'http://127.0.0.1:4010';

/** The environment of a user's shell, without CCI_* settings; npm never goes to the registry. */
const shellEnv = (): Record<string, string> => ({
  ...(Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('CCI_') && !key.startsWith('HUAWEICLOUD_SDK_') && !key.startsWith('npm_'),
    ),
  ) as Record<string, string>),
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
});

/** Runs a command line with sh, from the repository root, as a user would paste it (killed if it hangs). */
const runLine = (line: string) => runProcess('sh', ['-c', line], { cwd: root, env: shellEnv() });

/** Starts a server command line; resolves once it prints that it listens, with a stop function. */
function startLine(line: string): Promise<{ output: string; stop(): Promise<void> }> {
  const child = spawn('sh', ['-c', `exec ${line}`], {
    cwd: root,
    env: shellEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // already gone
    }
    await exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/listening on http/.test(output)) resolve({ output, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${line} exited with ${code}: ${output}`)));
  });
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

/** The shell lines of the ```sh blocks of a Markdown file. */
function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const [, body] of markdown.matchAll(/```sh\n([\s\S]*?)```/g))
    lines.push(...body!.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')));
  return lines;
}

/**
 * Commands that name the reader's own files (fixtures, certificates, a kubeconfig to read or to
 * write): examples of options, not runnable as they stand (nor to be run from the repository root).
 */
const namesUserFiles = (line: string) =>
  /\s--(fixtures|tls-cert|tls-key|tls-ca|kubeconfig|write-kubeconfig)\s/.test(line);

/** The `$ ` lines of the ```console blocks of a Markdown file, each with the output printed under it. */
function transcripts(markdown: string): Array<{ line: string; output: string }> {
  const runs: Array<{ line: string; output: string }> = [];
  for (const [, body] of markdown.matchAll(/```console\n([\s\S]*?)```/g))
    for (const [, line, output] of body!.matchAll(/^\$ (.*)\n((?:(?!\$ ).*\n)*)/gm))
      runs.push({ line: line!, output: output! });
  return runs;
}

const printed = {
  cciSvc: [] as string[],
  cciMock: [] as string[],
  /** The CLI README's transcripts: commands with the output they print. */
  cciSvcTranscripts: [] as Array<{ line: string; output: string }>,
};
beforeAll(() => {
  for (const [name, dir] of Object.entries(PACKAGES))
    if (!existsSync(join(dir, 'dist', 'bin.js'))) throw new Error(`${name} is not built: run \`npm run build\` first`);
  const help = spawnSync(process.execPath, [join(PACKAGES['cci-svc'], 'dist', 'bin.js'), 'status', '--help'], {
    encoding: 'utf8',
  }).stdout;
  const fromHelp = help
    .split('\n')
    .filter((l) => l.trim().startsWith('$ '))
    .map((l) => l.trim().slice(2));
  const fromReadmes = ['README.md', 'packages/cli/README.md', 'packages/mock-server/README.md'].flatMap((file) =>
    shellLines(readFileSync(join(root, file), 'utf8')),
  );
  printed.cciSvcTranscripts = transcripts(readFileSync(join(root, 'packages/cli/README.md'), 'utf8'));
  for (const line of [...fromHelp, ...fromReadmes]) {
    if (/\bnpx cci-svc\b/.test(line)) printed.cciSvc.push(line);
    else if (/^npx cci-mock\b/.test(line) && !namesUserFiles(line)) printed.cciMock.push(line);
  }
});

describe('npm links the bins at install time', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cci-bins-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(Object.entries(PACKAGES))('%s: a committed file npm links before any build', (name, dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const target: string = manifest.bin[name];
    expect(manifest.files).toContain(dirname(target).replace(/^\.\//, ''));
    // Committed, executable: present in a fresh clone.
    const tracked = spawnSync('git', ['ls-files', '-s', '--', target], { cwd: dir, encoding: 'utf8' }).stdout;
    expect(tracked).toMatch(/^100755 /);
    // A workspace of that package as a fresh clone has it (its committed bin file, no dist/, no
    // dependencies), installed by npm itself without the network: the bin is linked.
    const workspace = join(scratch, name);
    const copy = join(workspace, 'pkg');
    cpSync(join(dir, target), join(copy, target));
    writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, dependencies: {}, devDependencies: {} }));
    writeFileSync(
      join(workspace, 'package.json'),
      JSON.stringify({ name: 'fresh-clone', private: true, workspaces: ['pkg'] }),
    );
    const install = spawnSync('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: workspace,
      env: shellEnv(),
      encoding: 'utf8',
    });
    expect(install.status, install.stderr).toBe(0);
    const linked = spawnSync(join(workspace, 'node_modules', '.bin', name), [], { encoding: 'utf8' });
    // Not built in the copy: the shim says what to do instead of crashing.
    expect({ status: linked.status, stderr: linked.stderr }).toEqual({
      status: 1,
      stderr: `${name} is not built yet: run \`npm run build\` (or \`npm start\`) at the repository root first.\n`,
    });
  });
});

describe('printed commands run verbatim from the repository root', () => {
  it('finds them: npm start, the READMEs and --help print npx commands', () => {
    expect(printed.cciSvc).toContain(
      `HUAWEICLOUD_SDK_AK=CCIMOCKDEMOAK0000001 HUAWEICLOUD_SDK_SK=cciMockDemoSecretKey0123456789abcdefABCD npx cci-svc status namespace-test/redis --server ${MOCK_URL}`,
    );
    expect(printed.cciMock).toContain(
      'npx cci-mock                                  # http://127.0.0.1:4010, token mock-token',
    );
    expect(printed.cciSvcTranscripts.map((run) => run.line)).toContain(
      `CCI_TOKEN=mock-token npx cci-svc delete namespace-test/web --server ${MOCK_URL}`,
    );
  });

  it('the commands `npm start` prints (cci-svc and curl) work against its mock', async () => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: { ...shellEnv(), CCI_MOCK_PORT: '0', CCI_DOCS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => stdout.includes('serving until Ctrl-C') && resolve());
        child.on('exit', (code) => reject(new Error(`start.mjs exited with ${code}: ${stdout}`)));
      });
      const block = stdout.slice(stdout.indexOf('the same with the CLI'), stdout.indexOf('serving until Ctrl-C'));
      const lines = block
        .split('\n')
        .filter((l) => l.startsWith('  '))
        .map((l) => l.trim());
      // cci-svc with the demo AK/SK, cci-svc as the demo IAM user, curl with a token from the mock's IAM.
      expect(lines).toHaveLength(3);
      for (const line of lines) {
        const ran = await runLine(line);
        expect({ line, code: ran.code, stderr: ran.stderr }).toEqual({
          line,
          code: 0,
          stderr: expect.not.stringMatching(/error/i),
        });
        expect(ran.stdout).toMatch(/10\.247\.212\.210/);
      }
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  });

  // About ten CLI and mock processes one after another: 20 s alone, nearly 40 s beside the rest of CI on 2 cores.
  it('the cci-mock commands of the README start the mock, and the cci-svc commands of the READMEs and --help read from it', {
    timeout: 150_000,
  }, async (context) => {
    if (!(await portIsFree(4010))) {
      // A developer's own `npm start` or cci-mock holds the port the printed commands name. In CI
      // nothing should: there the test fails rather than pass unseen.
      if (process.env.CI) throw new Error('127.0.0.1:4010 is in use in CI; these commands name that port');
      context.skip('127.0.0.1:4010 is in use; these commands name that port');
    }
    // A printed command that writes a file would write it into the repository: none may.
    const before = readdirSync(root).sort();
    const [plain, ...variants] = printed.cciMock;
    expect(plain).toMatch(/^npx cci-mock\s+#/);
    expect(variants.length).toBeGreaterThan(0);
    const mock = await startLine(plain!);
    try {
      expect(mock.output).toContain(`listening on ${MOCK_URL}`);
      expect(printed.cciSvc.length).toBeGreaterThanOrEqual(2);
      for (const command of ['status', 'get', 'list'])
        expect(printed.cciSvc.some((l) => l.includes(`npx cci-svc ${command} `))).toBe(true);
      for (const line of printed.cciSvc) {
        const ran = await runLine(line);
        expect({ line, code: ran.code, stderr: ran.stderr }).toEqual({ line, code: 0, stderr: '' });
        // status prints its table; get and list print kubectl's rows (redis among them), or the objects.
        if (/ status /.test(line)) expect(ran.stdout).toContain('Cluster IP:             10.247.212.210');
        else if (/ -o (json|yaml) /.test(line)) expect(ran.stdout).toMatch(/clusterIP"?: "?10\.247\.212\.210/);
        else expect(ran.stdout).toMatch(/^(ADDED +)?(namespace-test +)?redis +ClusterIP +10\.247\.212\.210 /m);
      }
      // The README's create/apply/delete transcript, in order (it leaves the mock as it found it): each
      // command prints what the README shows under it.
      for (const { line, output } of printed.cciSvcTranscripts) {
        const ran = await runLine(line);
        expect({ line, code: ran.code, stdout: ran.stdout, stderr: ran.stderr }).toEqual({
          line,
          code: 0,
          stdout: output,
          stderr: '',
        });
      }
    } finally {
      await mock.stop();
    }
    for (const line of variants) {
      const variant = await startLine(line);
      await variant.stop();
      expect(variant.output).toContain(`listening on ${MOCK_URL}`);
    }
    expect(readdirSync(root).sort()).toEqual(before);
  });
});
