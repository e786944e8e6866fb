// cci-svc end to end: the built CLI as a subprocess against a real mock server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { assertBuilt, runCli } from './helpers/run.js';
import { readSpec, typesBundlePath } from '@cci-openapi/spec-kit';

const spec = readSpec(typesBundlePath());
const TOKEN = 'mock-token';

let server: MockServer;
beforeAll(async () => {
  assertBuilt();
  // kube: the wrong-token case expects kube-apiserver's 401 Status (the cci profile answers the gateway's body).
  server = await startMockServer({ profile: 'kube', port: 0, tokens: [TOKEN] });
});
afterAll(() => server?.close());

const status = (reference: string, ...extra: string[]) =>
  runCli(['status', reference, '--server', server.url, ...extra], { CCI_TOKEN: TOKEN });

describe('output formats', () => {
  it('prints a table by default', async () => {
    const result = await status('namespace-test/redis');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        'Service:                namespace-test/redis',
        'Type:                   ClusterIP',
        'Cluster IP:             10.247.212.210',
        'Ports:                  service0 8080:80/TCP',
        'Load-balancer ingress:  <none>',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON (-o json) equal to what the API sent', async () => {
    const result = await status('namespace-test/redis', '-o', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(spec.components.examples.ServiceRedisClusterIP.value);
  });

  it('prints YAML (--output yaml)', async () => {
    const result = await status('namespace-test/redis', '--output', 'yaml');
    expect(result.code).toBe(0);
    expect(YAML.parse(result.stdout)).toEqual(spec.components.examples.ServiceRedisClusterIP.value);
  });

  it.each([
    [
      'namespace-test/web-nodeport',
      ['Type:                   NodePort', 'Ports:                  http 80:8080/TCP (nodePort 30080)'],
    ],
    [
      'namespace-test/web-elb',
      [
        'Type:                   LoadBalancer',
        'Load-balancer ingress:  192.0.2.10\n                        web-elb.namespace-test.elb.example.com\n',
        'https 443:8443/TCP (nodePort 31443)',
      ],
    ],
    ['namespace-test/redis-headless', ['Cluster IP:             None (headless)']],
    [
      'namespace-test/external-db',
      [
        'Type:                   ExternalName',
        'External name:          db.example.com',
        'Ports:                  <none>',
      ],
    ],
  ])('tabulates %s', async (reference, lines) => {
    const result = await status(reference);
    expect(result.code).toBe(0);
    for (const line of lines) expect(result.stdout).toContain(line);
  });
});

describe('configuration', () => {
  it('reads the server and token from CCI_SERVER and CCI_TOKEN', async () => {
    const result = await runCli(['status', 'namespace-test/redis', '-o', 'json'], {
      CCI_SERVER: server.url,
      CCI_TOKEN: TOKEN,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).metadata.name).toBe('redis');
  });

  it('has no --token flag: secrets come from the environment only', async () => {
    const result = await runCli(['status', 'namespace-test/redis', '--server', server.url, '--token', TOKEN]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--token'/);
    expect(result.stderr).not.toContain(TOKEN);
  });
});

describe('exit codes', () => {
  it('3 when the Service does not exist', async () => {
    const result = await status('namespace-test/nginx');
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'cci-svc: Service namespace-test/nginx not found (404 NotFound: services "nginx" not found)\n',
    );
  });

  it('3 when the namespace does not exist', async () => {
    expect((await status('other/redis')).code).toBe(3);
  });

  it('4 when the token is wrong', async () => {
    const result = await runCli(['status', 'namespace-test/redis', '--server', server.url], {
      CCI_TOKEN: 'wrong-token',
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('not authorised to read namespace-test/redis (401 Unauthorized');
  });

  it('4 when the token may not read that namespace (403)', async () => {
    const scoped = await startMockServer({ port: 0, tokens: [{ token: 'team-a-token', namespaces: ['team-a'] }] });
    try {
      const result = await runCli(['status', 'namespace-test/redis', '--server', scoped.url], {
        CCI_TOKEN: 'team-a-token',
      });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(
        'not authorised to read namespace-test/redis (403 Forbidden: services "redis" is forbidden',
      );
    } finally {
      await scoped.close();
    }
  });

  it('4 when no token is given', async () => {
    const result = await runCli(['status', 'namespace-test/redis', '--server', server.url]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('CCI_TOKEN');
  });

  it.each([
    [['status', 'redis'], /expected <namespace>\/<name>, got "redis"/],
    [['status', 'a/b/c'], /expected <namespace>\/<name>/],
    [
      ['status', 'namespace-test/redis', '-o', 'xml'],
      /argument 'xml' is invalid\. Allowed choices are table, json, yaml/,
    ],
    [['status', 'namespace-test/redis', '--timeout', 'soon'], /expected a duration/],
    [['status', 'namespace-test/redis', '--bogus'], /unknown option '--bogus'/],
    [['status'], /missing required argument/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /Usage: cci-svc/],
    [['status', 'namespace-test/redis', '--server', 'ftp://x'], /--server must be an http\(s\) URL/],
    [['status', 'namespace-test/redis', '--region', 'evil.example/'], /region must be a DNS label/],
  ])('2 for usage errors: %j', async (args, message) => {
    const env: Record<string, string> =
      args.includes('--server') || args.includes('--region') ? {} : { CCI_SERVER: server.url };
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('2 when no endpoint is configured at all', async () => {
    const result = await runCli(['status', 'namespace-test/redis'], { CCI_TOKEN: TOKEN });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no API endpoint: give --region (CCI), --server <url> or --kubeconfig <file>');
  });

  it('5 when the server answers too slowly', async () => {
    const slow = await startMockServer({ port: 0, faults: { delay: { ms: 20_000 } } });
    try {
      const result = await runCli(['status', 'namespace-test/redis', '--server', slow.url, '--timeout', '300ms'], {
        CCI_TOKEN: TOKEN,
      });
      expect(result.code).toBe(5);
      expect(result.stderr).toMatch(/^cci-svc: /);
    } finally {
      await slow.close();
    }
  });

  it('1 when the server keeps failing (503 after the client’s retries)', async () => {
    const failing = await startMockServer({ port: 0, faults: { transient: { probability: 1, statuses: [503] } } });
    try {
      const result = await runCli(['status', 'namespace-test/redis', '--server', failing.url], { CCI_TOKEN: TOKEN });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'API error 503 ServiceUnavailable: the server is currently unable to handle the request',
      );
      expect(failing.stats().requests).toBeGreaterThan(1);
    } finally {
      await failing.close();
    }
  });

  it('1 when nothing listens at the server URL', async () => {
    const gone = await startMockServer({ port: 0 });
    await gone.close();
    const result = await runCli(['status', 'namespace-test/redis', '--server', gone.url], { CCI_TOKEN: TOKEN });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cci-svc: .*ECONNREFUSED/);
  });

  it('0 for --help, which shows examples, the environment and the exit codes', async () => {
    const result = await runCli(['status', '--help']);
    expect(result.code).toBe(0);
    for (const text of [
      'Examples:',
      '--wait-for-ingress',
      'HUAWEICLOUD_SDK_AK',
      'CCI_IAM_PASSWORD',
      'CCI_REGION',
      'CCI_TOKEN',
      'Exit codes:',
      '3  not found (404)',
      '--kubeconfig',
    ])
      expect(result.stdout).toContain(text);
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['--version'])).stdout.trim()).toBe('0.1.0');
  });
});

describe('--wait-for-ingress', () => {
  it('polls until a provisioning LoadBalancer gets its ingress, with plain progress lines off a terminal', async () => {
    const provisioning = await startMockServer({ port: 0, faults: { provisioning: { delayMs: 4_000 } } });
    try {
      const result = await runCli(
        [
          'status',
          'namespace-test/web-elb',
          '--server',
          provisioning.url,
          '--wait-for-ingress',
          '--interval',
          '200ms',
          '--timeout',
          '30s',
        ],
        { CCI_TOKEN: TOKEN },
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Load-balancer ingress:  192.0.2.10\n');
      expect(result.stderr).toMatch(
        /^waiting for the load-balancer ingress of namespace-test\/web-elb: 1 poll, \d+s elapsed\n/,
      );
      expect(result.stderr).not.toContain('\r');
      expect(provisioning.stats().responses[200]).toBeGreaterThanOrEqual(3);
    } finally {
      await provisioning.close();
    }
  });

  it('exits 5 when the ingress does not appear in time', async () => {
    const never = await startMockServer({ port: 0, faults: { provisioning: { delayMs: 3_600_000 } } });
    try {
      const result = await runCli(
        [
          'status',
          'namespace-test/web-elb',
          '--server',
          never.url,
          '--wait-for-ingress',
          '--interval',
          '100ms',
          '--timeout',
          '1s',
        ],
        {
          CCI_TOKEN: TOKEN,
        },
      );
      expect(result.code).toBe(5);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('waiting for the load-balancer ingress of namespace-test/web-elb');
    } finally {
      await never.close();
    }
  });

  it('returns at once when the ingress is already there', async () => {
    const result = await status('namespace-test/web-elb', '--wait-for-ingress');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('exits 2 for a Service that is not a LoadBalancer', async () => {
    const result = await status('namespace-test/redis', '--wait-for-ingress');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'namespace-test/redis is a ClusterIP Service: only LoadBalancer Services get a load-balancer ingress',
    );
  });
});
