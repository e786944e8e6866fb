// The kubeconfig loader of the Node entry: YAML and JSON files as kubectl writes them, paths
// relative to the file, contexts, Bearer tokens and token files, exec users (accepted; their plugin
// is run when a token is needed), the refusals (auth-provider, basic auth, impersonation, proxies)
// and capped reads of regular files only.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { CciNetworkError, createCciClientFromKubeconfig, loadKubeconfig, type CciClient } from '../src/node.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';
import { createPki, type Pki } from './helpers/tls.js';
import { failureOf } from './helpers/failure.js';
import { inputErrorOf } from './helpers/failure.js';

let pki: Pki;
let server: TestServer;
let dir: string;
const clients: CciClient[] = [];

beforeAll(async () => {
  pki = await createPki();
  dir = mkdtempSync(join(tmpdir(), 'cci-kubeconfig-loader-'));
  // Like kube-apiserver: a client certificate is requested but not required, so a token works too.
  server = await startServer((_req, res) => sendJson(res, 200, exampleService()), {
    key: pki.server.key,
    cert: pki.server.cert,
    ca: [pki.ca],
    requestCert: true,
    rejectUnauthorized: false,
  });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function client(options: Parameters<typeof createCciClientFromKubeconfig>[0]): CciClient {
  const made = createCciClientFromKubeconfig({ retry: false, ...options });
  clients.push(made);
  return made;
}
const read = (c: CciClient) => c.readServiceStatus({ namespace: 'default', name: 'redis' });

/** A kubectl-style kubeconfig with two contexts; `user` is the user entry of the current one. */
function config(user: Record<string, unknown>, cluster: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'local', cluster: { server: server.url, 'certificate-authority': 'pki/ca.crt', ...cluster } },
      { name: 'elsewhere', cluster: { server: 'https://192.0.2.1:6443' } },
    ],
    users: [
      { name: 'me', user },
      { name: 'other', user: { token: 'other-token' } },
    ],
    contexts: [
      { name: 'dev', context: { cluster: 'local', user: 'me', namespace: 'team-a' } },
      { name: 'prod', context: { cluster: 'elsewhere', user: 'other' } },
    ],
    'current-context': 'dev',
  };
}

/** Writes the kubeconfig as YAML into a fresh folder with pki/ next to it; returns the file's path. */
function writeYaml(doc: unknown, files: Record<string, string> = {}): string {
  const folder = mkdtempSync(join(dir, 'cfg-'));
  mkdirSync(join(folder, 'pki'));
  writeFileSync(join(folder, 'pki/ca.crt'), pki.ca);
  writeFileSync(join(folder, 'pki/client.crt'), pki.client.cert);
  writeFileSync(join(folder, 'pki/client.key'), pki.client.key);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  const path = join(folder, 'config');
  writeFileSync(path, YAML.stringify(doc));
  return path;
}

describe('kubeconfig files as kubectl writes them', () => {
  it('reads a YAML kubeconfig whose certificate paths are relative to the file, from another working directory', async () => {
    const path = writeYaml(config({ 'client-certificate': 'pki/client.crt', 'client-key': 'pki/client.key' }));
    expect(process.cwd()).not.toBe(join(path, '..'));
    await expect(read(client({ kubeconfig: path }))).resolves.toEqual(exampleService());
    expect(server.requests.at(-1)!.headers).not.toHaveProperty('authorization');
  });

  it('the same kubeconfig as JSON text and as a JSON file read alike', async () => {
    const path = writeYaml(config({ token: 'json-token' }));
    const json = join(path, '..', 'config.json');
    const doc = config({ token: 'json-token' });
    writeFileSync(json, JSON.stringify(doc));
    await read(client({ kubeconfig: json }));
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer json-token');
    const inline = {
      ...doc,
      clusters: [
        {
          name: 'local',
          cluster: { server: server.url, 'certificate-authority-data': Buffer.from(pki.ca).toString('base64') },
        },
      ],
    };
    await read(client({ kubeconfig: JSON.stringify(inline) }));
    await read(client({ kubeconfig: YAML.stringify(inline) }));
    expect(server.requests.slice(-2).map((r) => r.headers.authorization)).toEqual([
      'Bearer json-token',
      'Bearer json-token',
    ]);
  });

  it('sends user.token as Authorization: Bearer over TLS, with no X-Auth-Token', async () => {
    const path = writeYaml(config({ token: 'kube-bearer-token' }));
    await read(client({ kubeconfig: path }));
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer kube-bearer-token');
    expect(server.requests.at(-1)!.headers).not.toHaveProperty('x-auth-token');
  });

  it('reads user.tokenFile relative to the file, without its trailing newline, as Bearer', async () => {
    const path = writeYaml(config({ tokenFile: 'pki/token' }), { 'pki/token': 'file-token\n' });
    await read(client({ kubeconfig: path }));
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer file-token');
  });

  it('re-reads a rotated tokenFile after a minute and keeps the last good token while it is missing', async () => {
    const path = writeYaml(config({ tokenFile: 'token' }), { token: 'first' });
    const tokenPath = join(path, '..', 'token');
    vi.useFakeTimers({ toFake: ['Date'] });
    const c = client({ kubeconfig: path });
    await read(c);
    writeFileSync(tokenPath, 'second');
    await read(c);
    vi.setSystemTime(Date.now() + 61_000);
    await read(c);
    rmSync(tokenPath);
    vi.setSystemTime(Date.now() + 61_000);
    await read(c);
    expect(server.requests.slice(-4).map((r) => r.headers.authorization)).toEqual([
      'Bearer first',
      'Bearer first',
      'Bearer second',
      'Bearer second',
    ]);
  });

  it('honours current-context, and context picks another; the context namespace is reported', () => {
    const path = writeYaml(config({ token: 'me-token' }));
    expect(loadKubeconfig(path)).toMatchObject({
      context: 'dev',
      server: server.url,
      namespace: 'team-a',
      token: 'me-token',
    });
    const prod = loadKubeconfig(path, 'prod');
    expect(prod).toMatchObject({ context: 'prod', server: 'https://192.0.2.1:6443', token: 'other-token' });
    expect(prod).not.toHaveProperty('namespace');
    expect(inputErrorOf(() => loadKubeconfig(path, 'staging')).message).toMatch(
      /no context named "staging" \(have: dev, prod\)/,
    );
  });

  it('takes what loadKubeconfig returned, so a caller reads the file once', async () => {
    const credentials = loadKubeconfig(writeYaml(config({ token: 'loaded-token' })));
    await read(client({ kubeconfig: credentials }));
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer loaded-token');
    // A look-alike object is read as a kubeconfig document, not trusted as loaded credentials.
    expect(inputErrorOf(() => client({ kubeconfig: { ...credentials } })).message).toMatch(/no current-context/);
  });

  it('follows a symlinked kubeconfig, resolving its paths next to the link as kubectl does', async () => {
    const path = writeYaml(config({ token: 'linked-token' }));
    const linkFolder = mkdtempSync(join(dir, 'link-'));
    mkdirSync(join(linkFolder, 'pki'));
    writeFileSync(join(linkFolder, 'pki/ca.crt'), pki.ca);
    const link = join(linkFolder, 'config');
    symlinkSync(path, link);
    await read(client({ kubeconfig: link }));
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer linked-token');
  });

  it('checks the server certificate against tls-server-name when the cluster gives one', async () => {
    const path = writeYaml(config({ token: 'sni-token' }, { 'tls-server-name': 'not-this-server.example' }));
    const error = (await failureOf(read(client({ kubeconfig: path })))) as CciNetworkError;
    expect(error).toBeInstanceOf(CciNetworkError);
    expect(error.message).toMatch(/altnames|not-this-server|ERR_TLS_CERT_ALTNAME_INVALID/i);
  });
});

describe('credential plugins', () => {
  // `touch` leaves a mark when it runs (the exec plugin tests run a real plugin: exec-plugin*.test.ts).
  const marker = () => join(dir, 'exec-ran');
  const exec = () => ({
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'touch', args: [marker()] },
  });
  const authProvider = { 'auth-provider': { name: 'gcp', config: { 'cmd-path': 'touch' } } };

  it('an auth-provider user is a clear CciInputError that says what to do instead', () => {
    const error = inputErrorOf(() => client({ kubeconfig: writeYaml(config(authProvider)) }));
    expect(error.message).toMatch(/an auth-provider plugin/);
    expect(error.message).toMatch(/does not run .*bearerToken/);
    expect(error.message).not.toContain('touch');
  });

  it('an exec user is accepted, and its plugin is not run before a request needs its token', () => {
    const credentials = loadKubeconfig(writeYaml(config(exec())));
    expect(credentials.plugin).toBe('exec');
    expect(credentials.exec).toMatchObject({ command: 'touch', args: [marker()], interactiveMode: 'IfAvailable' });
    client({ kubeconfig: credentials });
    expect(existsSync(marker())).toBe(false);
  });

  it('with a token given explicitly, the plugin user works (its plugin not run)', async () => {
    await read(client({ kubeconfig: writeYaml(config(exec())), bearerToken: 'explicit' }));
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer explicit');
    expect(existsSync(marker())).toBe(false);
  });

  it.each([
    [
      'basic authentication',
      { username: 'admin', password: 'hunter2-password' },
      /basic authentication .*removed in 1\.19/,
    ],
    ['impersonation', { token: 't-1234', as: 'system:admin' }, /\.as asks for impersonation/],
  ])('%s is refused, not ignored', (_label, user, message) => {
    const error = inputErrorOf(() => loadKubeconfig(writeYaml(config(user))));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('hunter2');
  });

  it('a proxy-url is refused rather than silently bypassed', () => {
    expect(
      inputErrorOf(() => loadKubeconfig(writeYaml(config({ token: 'x-123' }, { 'proxy-url': 'http://proxy:3128' }))))
        .message,
    ).toMatch(/proxy-url is set/);
  });
});

describe('file reads are capped and limited to regular files', () => {
  const hasFifo = process.platform !== 'win32';

  it('/dev/zero as the kubeconfig is refused at once, without reading it', () => {
    const rssBefore = process.memoryUsage().rss;
    expect(inputErrorOf(() => loadKubeconfig('/dev/zero')).message).toBe(
      'cannot read the kubeconfig /dev/zero: not a regular file (a character device).',
    );
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it.each([
    [
      'certificate-authority',
      (p: string) => config({ token: 'x-123' }, { 'certificate-authority': p }),
      /clusters\[local\]\.cluster\.certificate-authority: cannot read \/dev\/zero: not a regular file/,
    ],
    [
      'client-key',
      (p: string) => config({ 'client-certificate': 'pki/client.crt', 'client-key': p }),
      /users\[me\]\.user\.client-key: cannot read \/dev\/zero: not a regular file/,
    ],
    ['tokenFile', (p: string) => config({ tokenFile: p }), /tokenFile: cannot read \/dev\/zero: not a regular file/],
  ])('/dev/zero as %s is refused', (_field, make, message) => {
    expect(inputErrorOf(() => loadKubeconfig(writeYaml(make('/dev/zero')))).message).toMatch(message);
  });

  it.runIf(hasFifo)(
    'a FIFO (as the kubeconfig, a certificate or a token file) is refused without waiting for a writer',
    () => {
      const fifo = join(dir, `fifo-${Date.now()}`);
      execFileSync('mkfifo', [fifo]);
      expect(inputErrorOf(() => loadKubeconfig(fifo)).message).toMatch(/not a regular file \(a FIFO\)/);
      expect(
        inputErrorOf(() => loadKubeconfig(writeYaml(config({ token: 'x-123' }, { 'certificate-authority': fifo }))))
          .message,
      ).toMatch(/not a regular file \(a FIFO\)/);
      expect(inputErrorOf(() => loadKubeconfig(writeYaml(config({ tokenFile: fifo })))).message).toMatch(
        /not a regular file \(a FIFO\)/,
      );
    },
  );

  it('a directory and an oversized file are refused', () => {
    expect(inputErrorOf(() => loadKubeconfig(dir)).message).toMatch(/not a regular file \(a directory\)/);
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(4 * 1024 * 1024)}\n`);
    expect(inputErrorOf(() => loadKubeconfig(big)).message).toMatch(/larger than the 4194304-byte limit/);
  });

  it('an empty token file is refused', () => {
    expect(
      inputErrorOf(() => loadKubeconfig(writeYaml(config({ tokenFile: 'empty' }), { empty: '\n' }))).message,
    ).toMatch(/tokenFile: .*empty is empty/);
  });
});

describe('bad kubeconfig content', () => {
  it.each([
    ['a list at the top', '- a\n- b\n', /must be a YAML or JSON mapping/],
    [
      'a token that is a number',
      'users: [{ name: me, user: { token: 12345 } }]\nclusters: [{ name: c, cluster: { server: "https://192.0.2.1" } }]\ncontexts: [{ name: x, context: { cluster: c, user: me } }]\n',
      /users\[me\]\.user\.token must be a string, got number/,
    ],
    [
      'clusters that is not a list',
      'clusters: {}\ncontexts: [{ name: x, context: { cluster: c } }]\n',
      /clusters must be a list/,
    ],
    [
      'an alias bomb',
      `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
      /too many YAML aliases|not valid YAML/,
    ],
  ])('%s → CciInputError', (_label, text, message) => {
    expect(inputErrorOf(() => loadKubeconfig(text)).message).toMatch(message);
  });
});
