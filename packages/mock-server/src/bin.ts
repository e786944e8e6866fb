#!/usr/bin/env node
// cci-mock: run the mock CCI API from the command line.
import { lstatSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ScopedToken } from './auth.js';
import type { FaultOptions } from './faults.js';
import { FixtureError } from './fixtures.js';
import { demoCredentialLines } from './gateway/banner.js';
import { KubeconfigExistsError, writeKubeconfig } from './kubeconfig-writer.js';
import { createThrowawayPki } from './pki.js';
import { FileReadProblem, MAX_PEM_FILE_BYTES, readRegularFile } from './regular-file.js';
import { DEFAULT_TOKEN, MAX_GENERATE, startMockServer, type MockProfile, type MockServerOptions } from './server.js';

function number(kind: 'int' | 'float', min: number, max = Infinity) {
  return (value: string): number => {
    const parsed = Number(value);
    if (
      value.trim() === '' ||
      !Number.isFinite(parsed) ||
      (kind === 'int' && !Number.isInteger(parsed)) ||
      parsed < min ||
      parsed > max
    ) {
      throw new InvalidArgumentError(
        `expected ${kind === 'int' ? 'a whole number' : 'a number'} ${max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`}`,
      );
    }
    return parsed;
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function scopedToken(value: string, previous: ScopedToken[] | undefined): ScopedToken[] {
  const eq = value.lastIndexOf('=');
  const namespaces = value
    .slice(eq + 1)
    .split(',')
    .filter(Boolean);
  if (eq <= 0 || namespaces.length === 0) throw new InvalidArgumentError('expected <token>=<namespace>[,<namespace>…]');
  return [...(previous ?? []), { token: value.slice(0, eq), namespaces }];
}

function statusList(value: string): Array<500 | 503 | 504> {
  const codes = value.split(',').map((s) => Number(s.trim()));
  if (codes.length === 0 || codes.some((c) => ![500, 503, 504].includes(c)))
    throw new InvalidArgumentError('expected a comma-separated list of 500, 503, 504');
  return codes as Array<500 | 503 | 504>;
}

const program = new Command('cci-mock')
  .description(
    'A local stand-in for the CCI Kubernetes API: every operation of the spec (read, list, watch, create, replace, patch, delete Services). ' +
      "Profile cci (default): CCI behind Huawei Cloud's API gateway — IAM tokens (POST /v3/auth/tokens), AK/SK signatures, " +
      "the gateway's error bodies, no lists or watches across all namespaces, LoadBalancer Services need CCI's ELB annotations. " +
      "Profile kube: a plain kube-apiserver. Profile cce: kube-apiserver plus CCE's rule that a Service's type only widens.",
  )
  .addOption(
    new Option(
      '--profile <name>',
      'cci: CCI behind the API gateway (IAM, AK/SK, gateway errors); kube: kube-apiserver (Bearer, client certificates, anonymous, Status errors)',
    )
      .choices(['cci', 'kube', 'cce'])
      .default('cci'),
  )
  .addOption(
    new Option('-p, --port <port>', 'port to listen on (0 = any free port)')
      .default(4010)
      .argParser(number('int', 0, 65535)),
  )
  .option('-H, --host <address>', 'address to listen on', '127.0.0.1')
  .option(
    '-f, --fixtures <file>',
    'JSON or YAML file (or folder of them) of objects to serve (default: the packaged fixtures)',
  )
  .addOption(
    new Option('--generate <n>', 'also serve N synthetic Services over a few namespaces (scale work)').argParser(
      number('int', 0, MAX_GENERATE),
    ),
  )
  .option(
    '--namespace <name>',
    'a namespace that exists (writes there are allowed) besides the built-in ones and those of the fixtures (repeatable)',
    collect,
  )
  .addOption(
    new Option(
      '--history-size <n>',
      'changes kept for watches and continue tokens; older ones get 410 Expired',
    ).argParser(number('int', 1)),
  )
  .option(
    '-t, --token <token>',
    `accepted static token, X-Auth-Token or Bearer, never expiring (repeatable; default ${DEFAULT_TOKEN})`,
    collect,
  )
  .option(
    '--token-lifetime <seconds>',
    'cci: how long an IAM token issued by the mock is accepted (default 86400, 24 h)',
    number('int', 1),
  )
  .option(
    '--max-body-size <bytes>',
    'cci: largest body of an AK/SK-signed request (default 12 MiB); larger gets 413',
    number('int', 0),
  )
  .option(
    '--scoped-token <token=namespaces>',
    'a token that may read only these comma-separated namespaces (403 elsewhere; repeatable)',
    scopedToken,
  )
  .option('--rate-limit <rps>', 'answer 429 past this many requests per second (token bucket)', number('float', 0.001))
  .option('--rate-limit-burst <n>', 'requests allowed in a burst (default: the rate)', number('int', 1))
  .option(
    '--retry-after <seconds>',
    'Retry-After sent with 429 (default: seconds until a token is free)',
    number('int', 0),
  )
  .option('--transient-rate <p>', 'chance (0-1) of a transient 503/504 per request', number('float', 0, 1))
  .option('--transient-every <n>', 'every Nth request gets a transient 503/504', number('int', 1))
  .option('--transient-status <codes>', 'transient statuses, taken in turn (default 503,504)', statusList)
  .option('--reset-rate <p>', 'chance (0-1) that a connection is reset instead of answered', number('float', 0, 1))
  .option('--reset-every <n>', 'every Nth request has its connection reset', number('int', 1))
  .option('--delay <ms>', 'hold every response back this long', number('int', 0))
  .option('--delay-jitter <ms>', 'plus a random 0..ms', number('int', 0))
  .option(
    '--provision-delay <ms>',
    'LoadBalancer Services show no ingress until this long after start',
    number('int', 0),
  )
  .option('--provision <namespace/name>', 'only this LoadBalancer Service is provisioning (repeatable)', collect)
  .option('--seed <n>', 'seed of the random fault choices', number('int', 0), 1)
  .option('--tls-cert <file>', 'API-server mode: serve HTTPS with this PEM certificate …')
  .option('--tls-key <file>', '… this PEM private key …')
  .option(
    '--tls-ca <file>',
    '… and (kube) accept client certificates signed by this PEM CA (requested, not required, as kube-apiserver does)',
  )
  .option(
    '--write-kubeconfig <file>',
    'write a kubeconfig for kubectl & co. (server, CA, Bearer token); without --tls-* files, serves HTTPS with a throw-away CA; an existing file is refused',
  )
  .option('--force', '--write-kubeconfig may replace an existing file (a symlink there is replaced, never followed)')
  .addOption(
    new Option(
      '--anonymous-auth <on|off>',
      'kube: no credential at all is system:anonymous, 403 except /version (default on with TLS; off over HTTP: 401)',
    ).choices(['on', 'off']),
  )
  .option('--max-header-size <bytes>', 'largest request head accepted', number('int', 1024))
  .option('--headers-timeout <ms>', 'time allowed to send the request head', number('int', 1))
  .option('--request-timeout <ms>', 'time allowed to send the whole request', number('int', 1))
  .option('--log', 'log one line per request to stderr (method, path, status, time; never headers)')
  .addHelpText(
    'after',
    `
Examples:
  $ cci-mock                                   # http://127.0.0.1:4010 as CCI; prints the demo IAM user and AK/SK
  $ cci-mock --profile kube                    # as a kube-apiserver: all-namespace lists, Status errors
  $ cci-mock --token-lifetime 60               # IAM tokens expire after a minute (then APIGW.0307)
  $ cci-mock --port 0 --fixtures my-services.yaml
  $ cci-mock --rate-limit 200 --retry-after 1  # 429 past 200 requests/s
  $ cci-mock --transient-rate 0.1 --reset-every 50 --seed 7
  $ cci-mock --provision-delay 5000            # LoadBalancer ingress appears after 5 s (a MODIFIED watch event)
  $ cci-mock --generate 10000                  # 10,000 more Services, for list and watch at scale
  $ cci-mock --tls-cert server.pem --tls-key server-key.pem --tls-ca ca.pem
  $ cci-mock --profile kube --write-kubeconfig mock.kubeconfig  # then: kubectl --kubeconfig mock.kubeconfig get svc -A

  $ curl -H 'X-Auth-Token: ${DEFAULT_TOKEN}' http://127.0.0.1:4010/api/v1/namespaces/namespace-test/services/redis/status
  $ curl -H 'X-Auth-Token: ${DEFAULT_TOKEN}' 'http://127.0.0.1:4010/api/v1/namespaces/namespace-test/services?labelSelector=app%3Dweb&limit=2'
  $ curl -N -H 'X-Auth-Token: ${DEFAULT_TOKEN}' 'http://127.0.0.1:4010/api/v1/namespaces/namespace-test/services?watch=true'`,
  );

type Flags = {
  profile: MockProfile;
  namespace?: string[];
  tokenLifetime?: number;
  maxBodySize?: number;
  port: number;
  host: string;
  fixtures?: string;
  generate?: number;
  historySize?: number;
  token?: string[];
  scopedToken?: ScopedToken[];
  rateLimit?: number;
  rateLimitBurst?: number;
  retryAfter?: number;
  transientRate?: number;
  transientEvery?: number;
  transientStatus?: Array<500 | 503 | 504>;
  resetRate?: number;
  resetEvery?: number;
  delay?: number;
  delayJitter?: number;
  provisionDelay?: number;
  provision?: string[];
  seed: number;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  writeKubeconfig?: string;
  force?: boolean;
  anonymousAuth?: 'on' | 'off';
  maxHeaderSize?: number;
  headersTimeout?: number;
  requestTimeout?: number;
  log?: boolean;
};

function faultsFrom(flags: Flags): FaultOptions {
  const faults: FaultOptions = { seed: flags.seed };
  if (flags.rateLimit !== undefined) {
    faults.rateLimit = { requestsPerSecond: flags.rateLimit };
    if (flags.rateLimitBurst !== undefined) faults.rateLimit.burst = flags.rateLimitBurst;
    if (flags.retryAfter !== undefined) faults.rateLimit.retryAfterSeconds = flags.retryAfter;
  }
  if (flags.transientRate !== undefined || flags.transientEvery !== undefined) {
    faults.transient = {};
    if (flags.transientRate !== undefined) faults.transient.probability = flags.transientRate;
    if (flags.transientEvery !== undefined) faults.transient.every = flags.transientEvery;
    if (flags.transientStatus) faults.transient.statuses = flags.transientStatus;
  }
  if (flags.resetRate !== undefined || flags.resetEvery !== undefined) {
    faults.reset = {};
    if (flags.resetRate !== undefined) faults.reset.probability = flags.resetRate;
    if (flags.resetEvery !== undefined) faults.reset.every = flags.resetEvery;
  }
  if (flags.delay !== undefined) faults.delay = { ms: flags.delay, jitterMs: flags.delayJitter ?? 0 };
  if (flags.provisionDelay !== undefined) {
    faults.provisioning = { delayMs: flags.provisionDelay };
    if (flags.provision) faults.provisioning.services = flags.provision;
  }
  return faults;
}

// Over ~60 lines on purpose: the command's steps in the order they happen (flag checks → options →
// start → banner → kubeconfig → signals), each a few lines, read top to bottom as --help lists them.
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: the command's steps in the order they happen, each a few lines (see above)
async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<Flags>();
  const tlsFiles = [flags.tlsCert, flags.tlsKey, flags.tlsCa];
  if (tlsFiles.some(Boolean) && !tlsFiles.every(Boolean))
    program.error('error: --tls-cert, --tls-key and --tls-ca go together', { exitCode: 2 });
  if (flags.profile === 'cci' && flags.anonymousAuth)
    program.error('error: --anonymous-auth is for --profile kube (the CCI gateway has no anonymous user)', {
      exitCode: 2,
    });
  if (flags.profile === 'kube' && flags.tokenLifetime !== undefined)
    program.error('error: --token-lifetime is for --profile cci (kube has no IAM)', { exitCode: 2 });

  if (flags.force && !flags.writeKubeconfig)
    program.error('error: --force goes with --write-kubeconfig', { exitCode: 2 });
  if (flags.writeKubeconfig && !flags.force && lstatExists(flags.writeKubeconfig)) {
    program.error(
      `error: --write-kubeconfig ${flags.writeKubeconfig} exists: refusing to replace it (use --force to replace it)`,
      { exitCode: 2 },
    );
  }

  const options: MockServerOptions = {
    profile: flags.profile,
    port: flags.port,
    host: flags.host,
    faults: faultsFrom(flags),
  };
  if (flags.tokenLifetime !== undefined) options.tokenLifetimeMs = flags.tokenLifetime * 1000;
  if (flags.fixtures) options.fixtures = flags.fixtures;
  if (flags.generate !== undefined) options.generate = flags.generate;
  if (flags.historySize !== undefined) options.historySize = flags.historySize;
  if (flags.namespace) options.namespaces = flags.namespace;
  if (flags.token || flags.scopedToken)
    options.tokens = [...(flags.token ?? (flags.scopedToken ? [] : [DEFAULT_TOKEN])), ...(flags.scopedToken ?? [])];
  if (flags.tlsCert && flags.tlsKey && flags.tlsCa) {
    options.tls = {
      cert: readPem('--tls-cert', flags.tlsCert),
      key: readPem('--tls-key', flags.tlsKey),
      ca: readPem('--tls-ca', flags.tlsCa),
    };
  } else if (flags.writeKubeconfig) {
    // kubectl sends no credentials over plain HTTP: a kubeconfig for the mock means HTTPS.
    const pki = await createThrowawayPki([flags.host]);
    options.tls = { cert: pki.server.cert, key: pki.server.key, ca: pki.ca };
  }
  if (flags.anonymousAuth) options.anonymousAuth = flags.anonymousAuth === 'on';
  options.limits = {};
  if (flags.maxHeaderSize !== undefined) options.limits.maxHeaderSize = flags.maxHeaderSize;
  if (flags.headersTimeout !== undefined) options.limits.headersTimeoutMs = flags.headersTimeout;
  if (flags.requestTimeout !== undefined) options.limits.requestTimeoutMs = flags.requestTimeout;
  if (flags.maxBodySize !== undefined) options.limits.maxBodyBytes = flags.maxBodySize;
  if (flags.log) {
    options.onRequest = (entry) =>
      process.stderr.write(`${entry.method} ${entry.path} ${entry.status} ${entry.durationMs.toFixed(1)}ms\n`);
  }

  const server = await startMockServer(options);
  process.stdout.write(`cci-mock listening on ${server.url}\n`);
  if (flags.profile === 'cci') for (const line of demoCredentialLines(server.url)) process.stdout.write(`${line}\n`);
  if (options.tls && flags.profile === 'kube')
    process.stdout.write('API-server mode: HTTPS; a client certificate signed by the CA or a token authenticates\n');
  else if (options.tls) process.stdout.write('HTTPS: a token or an AK/SK signature authenticates\n');
  if (flags.token || flags.scopedToken)
    process.stdout.write(
      `accepting ${(flags.token?.length ?? 0) + (flags.scopedToken?.length ?? 0)} configured token(s) in Authorization: Bearer or X-Auth-Token\n`,
    );
  else
    process.stdout.write(
      `token: ${DEFAULT_TOKEN} (Authorization: Bearer ${DEFAULT_TOKEN}, or X-Auth-Token: ${DEFAULT_TOKEN})\n`,
    );
  if (flags.writeKubeconfig) {
    const token = flags.token?.[0] ?? flags.scopedToken?.[0]?.token ?? DEFAULT_TOKEN;
    try {
      writeKubeconfig(
        flags.writeKubeconfig,
        {
          server: server.url,
          token,
          ...(options.tls && { ca: options.tls.ca }),
          ...mostCommonNamespace(server.store.list()),
        },
        { force: Boolean(flags.force) },
      );
    } catch (error) {
      await server.close();
      throw error;
    }
    process.stdout.write(
      `kubeconfig written to ${flags.writeKubeconfig}; try: kubectl --kubeconfig ${flags.writeKubeconfig} get svc\n`,
    );
  }
  process.stdout.write(`try: ${server.url}/api/v1/namespaces/namespace-test/services/redis/status\n`);

  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** A PEM file through the one regular-file check (no FIFO, no device, at most 1 MiB); a usage error otherwise. */
function readPem(flag: string, path: string): Buffer {
  try {
    return readRegularFile(path, MAX_PEM_FILE_BYTES);
  } catch (error) {
    if (error instanceof FileReadProblem) program.error(`error: ${flag} ${path}: ${error.message}`, { exitCode: 2 });
    throw error;
  }
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The context namespace of the written kubeconfig: where most of the served Services are. */
function mostCommonNamespace(objects: ReadonlyArray<{ metadata?: { namespace?: string } }>): { namespace?: string } {
  const counts = new Map<string, number>();
  for (const object of objects) {
    const namespace = object.metadata?.namespace;
    if (namespace) counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return best ? { namespace: best[0] } : {};
}

main().catch((error: unknown) => {
  const usage = error instanceof FixtureError || error instanceof RangeError || error instanceof KubeconfigExistsError;
  const message = usage ? (error as Error).message : String((error as Error)?.message ?? error);
  process.stderr.write(`cci-mock: ${message}\n`);
  process.exit(usage ? 2 : 1);
});
