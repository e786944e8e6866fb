// `cci-mock --profile cci|kube` as a subprocess (the built dist/bin.js): the demo credentials it
// prints work as printed, and no secret reaches a log line — neither the `--log` lines of the
// command nor the `onRequest` entries of the API.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ACCESS_KEY,
  DEMO_IAM_USER,
  DEMO_TEMPORARY_KEY,
  startMockServer,
  type RequestLogEntry,
} from '../src/index.js';
import { assertBinBuilt, bin, startBin } from './helpers/bin.js';
import { READ_PATH, officialSigned, send, signIn, signInBody } from './helpers/gateway.js';

beforeAll(assertBinBuilt);

/** Starts cci-mock, resolving once it has printed its last start-up line; `stop` ends it with SIGINT. */
async function startUntilReady(args: string[]) {
  const { child, url, output } = await startBin(args, (stdout) => stdout.includes('try: '));
  const stop = async () => {
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await exited;
  };
  return { url, stop, output };
}

/** The variables of a printed `export A=… B=…` line. */
function exported(line: string): Record<string, string> {
  const assignments = line
    .replace(/#.*$/, '')
    .trim()
    .replace(/^export /, '')
    .split(/\s+/);
  return Object.fromEntries(assignments.map((assignment) => assignment.split('=', 2) as [string, string]));
}

const SECRETS = [
  DEMO_IAM_USER.password,
  DEMO_ACCESS_KEY.sk,
  DEMO_TEMPORARY_KEY.sk,
  DEMO_TEMPORARY_KEY.securityToken,
  'mock-token',
];

describe('cci-mock --profile cci (the default)', () => {
  let mock: Awaited<ReturnType<typeof startUntilReady>>;
  let lines: string[];
  beforeAll(async () => {
    mock = await startUntilReady(['--log']);
    lines = mock.output().stdout.split('\n');
  });
  afterAll(() => mock?.stop());

  it('prints the profile, the demo AK/SK as shell exports, the temporary key and the IAM user', () => {
    expect(lines.some((line) => line.startsWith('profile cci:'))).toBe(true);
    const [permanent, temporary] = lines.filter((line) => line.trim().startsWith('export '));
    expect(exported(permanent as string)).toEqual({
      HUAWEICLOUD_SDK_AK: DEMO_ACCESS_KEY.ak,
      HUAWEICLOUD_SDK_SK: DEMO_ACCESS_KEY.sk,
      HUAWEICLOUD_SDK_PROJECT_ID: DEMO_IAM_USER.projectId,
    });
    expect(exported(temporary as string)).toEqual({
      HUAWEICLOUD_SDK_AK: DEMO_TEMPORARY_KEY.ak,
      HUAWEICLOUD_SDK_SK: DEMO_TEMPORARY_KEY.sk,
      HUAWEICLOUD_SDK_SECURITY_TOKEN: DEMO_TEMPORARY_KEY.securityToken,
      HUAWEICLOUD_SDK_PROJECT_ID: DEMO_IAM_USER.projectId,
    });
    const user = lines.find((line) => line.includes('IAM user:')) as string;
    for (const value of [DEMO_IAM_USER.username, DEMO_IAM_USER.password, DEMO_IAM_USER.domainName, 'cn-north-4'])
      expect(user).toContain(value);
  });

  it('the printed shell line is valid: a shell that runs it has the variables', () => {
    const line = lines.find((l) => l.includes('# AK/SK')) as string;
    const result = spawnSync('sh', ['-c', `${line}\nprintf '%s %s' "$HUAWEICLOUD_SDK_AK" "$HUAWEICLOUD_SDK_SK"`], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe(`${DEMO_ACCESS_KEY.ak} ${DEMO_ACCESS_KEY.sk}`);
  });

  it('the printed keys sign requests the mock serves; the printed IAM user gets a token', async () => {
    const temporary = exported(lines.find((line) => line.includes('# temporary AK/SK')) as string);
    const key = {
      ak: temporary.HUAWEICLOUD_SDK_AK as string,
      sk: temporary.HUAWEICLOUD_SDK_SK as string,
      securityToken: temporary.HUAWEICLOUD_SDK_SECURITY_TOKEN as string,
    };
    expect((await send(mock.url, officialSigned(mock.url, key, { path: READ_PATH, date: Date.now() }))).status).toBe(
      200,
    );
    const curl = lines.find((line) => line.startsWith('IAM token')) as string;
    const body = (/-d '([^']+)'/.exec(curl) as RegExpExecArray)[1] as string;
    expect(JSON.parse(body)).toEqual(JSON.parse(signInBody()));
    const answer = await signIn(mock.url, body);
    expect(answer.status).toBe(201);
    expect(
      (await send(mock.url, { path: READ_PATH, headers: { authorization: `Bearer ${answer.token}` } })).status,
    ).toBe(200);
    expect(
      (await send(mock.url, { path: '/api/v1/services', headers: { 'x-auth-token': answer.token as string } })).status,
    ).toBe(403);
  });

  it('--log lines name method, path and status, and never a password, SK, security token or token', async () => {
    const { token } = await signIn(mock.url);
    await send(mock.url, { path: `${READ_PATH}?x=${token}`, headers: { 'x-auth-token': token as string } });
    await signIn(mock.url, signInBody({ password: 'a-wrong-password' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { stderr } = mock.output();
    expect(stderr).toContain('POST /v3/auth/tokens 201');
    expect(stderr).toContain('POST /v3/auth/tokens 401');
    expect(stderr).toContain(`GET ${READ_PATH} 200`);
    for (const secret of [...SECRETS, token as string, 'a-wrong-password']) expect(stderr).not.toContain(secret);
  });
});

describe('cci-mock --profile kube', () => {
  it('prints no demo credentials and serves as kube-apiserver: all-namespace lists, Status errors', async () => {
    const mock = await startUntilReady(['--profile', 'kube']);
    try {
      const { stdout } = mock.output();
      expect(stdout).not.toContain('HUAWEICLOUD_SDK');
      expect(stdout).toContain('token: mock-token');
      expect(
        (await send(mock.url, { path: '/api/v1/services', headers: { 'x-auth-token': 'mock-token' } })).status,
      ).toBe(200);
      expect((await send(mock.url, { path: READ_PATH })).json).toMatchObject({ kind: 'Status', code: 401 });
    } finally {
      await mock.stop();
    }
  });
});

describe('flags', () => {
  it('--token-lifetime makes issued tokens expire (APIGW.0307)', async () => {
    const mock = await startUntilReady(['--token-lifetime', '1']);
    try {
      const { token } = await signIn(mock.url);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(
        (await send(mock.url, { path: READ_PATH, headers: { 'x-auth-token': token as string } })).json.error_code,
      ).toBe('APIGW.0307');
    } finally {
      await mock.stop();
    }
  });

  it.each([
    [['--profile', 'openshift'], /argument 'openshift' is invalid. Allowed choices are cci, kube/],
    [['--anonymous-auth', 'on'], /--anonymous-auth is for --profile kube/],
    [['--profile', 'kube', '--token-lifetime', '60'], /--token-lifetime is for --profile cci/],
    [['--token-lifetime', '0'], /option '--token-lifetime <seconds>' argument '0' is invalid/],
  ])('refuses %j', (args, message) => {
    const result = spawnSync(process.execPath, [bin, '--port', '0', ...args], { encoding: 'utf8', timeout: 10_000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('--help describes both profiles and the cci flags', () => {
    const result = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const text of [
      '--profile',
      'cci',
      'kube',
      'POST /v3/auth/tokens',
      'AK/SK',
      '--token-lifetime',
      '--max-body-size',
      '--profile kube --write-kubeconfig',
    ])
      expect(result.stdout).toContain(text);
  });
});

describe('onRequest (the API’s log hook)', () => {
  it('gets method, path, status and time for every kind of request, and never a secret', async () => {
    const entries: RequestLogEntry[] = [];
    const server = await startMockServer({ port: 0, onRequest: (entry) => entries.push(entry) });
    try {
      const { token } = await signIn(server.url);
      await send(server.url, { path: READ_PATH, headers: { 'x-auth-token': token as string } });
      await send(server.url, { path: READ_PATH, headers: { 'x-auth-token': 'mock-token' } });
      await send(
        server.url,
        officialSigned(server.url, DEMO_TEMPORARY_KEY, {
          path: READ_PATH,
          query: { sk: DEMO_ACCESS_KEY.sk },
          date: Date.now(),
        }),
      );
      await send(
        server.url,
        officialSigned(server.url, DEMO_ACCESS_KEY, {
          method: 'POST',
          path: READ_PATH,
          body: { password: DEMO_IAM_USER.password },
          date: Date.now(),
        }),
      );
      await signIn(server.url, signInBody({ password: 'another-password' }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(entries.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
        'POST /v3/auth/tokens 201',
        `GET ${READ_PATH} 200`,
        `GET ${READ_PATH} 200`,
        `GET ${READ_PATH} 200`,
        `POST ${READ_PATH} 405`,
        'POST /v3/auth/tokens 401',
      ]);
      const logged = JSON.stringify(entries);
      for (const secret of [...SECRETS, token as string, 'another-password']) expect(logged).not.toContain(secret);
    } finally {
      await server.close();
    }
  });
});
