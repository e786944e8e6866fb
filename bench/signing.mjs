// AK/SK request signing (SDK-HMAC-SHA256): CPU per signature of our signer
// (packages/client/src/auth/aksk-signer.ts, on node:crypto and on WebCrypto) against Huawei
// Cloud's own (AKSKSigner of @huaweicloud/huaweicloud-sdk-core, the client's test oracle), on the
// same requests: a typical GET (the signing guide's example) and a PUT with a 1.5 KiB JSON body,
// a security token and a project id. Interleaved rounds; medians of this process's CPU µs per
// signature and of the per-round CPU ratio to ours on node:crypto (WebCrypto, ~20× slower on Node,
// gets its own shorter rounds against node:crypto). Every candidate's Authorization is first
// checked to be the same.
//
//   node bench/signing.mjs [--rounds 15] [--signatures 20000]
//
// Our signer is taken from the built client when its entry exports createSigner, else bundled
// from source with esbuild (same code, not minified). The official signer is resolved from
// packages/client, which has it as a devDependency. Each candidate signs as it would in use: ours
// with Date.now() passed in, the official one reading the clock itself (moment) as it does when
// the SDK calls it.
//
// A benchmark, not a test: it asserts nothing. Absolute figures vary by machine; compare ratios.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { interleave } from './lib/interleave.mjs';
import { median, printTable } from './lib/stats.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '15' }, signatures: { type: 'string', default: '20000' } },
});
const rounds = Number(values.rounds);
const signatures = Number(values.signatures);
const webSignatures = Math.max(1, Math.round(signatures / 20));
/** The signer's goal: CPU per signature of a typical GET on Node. */
const GOAL_MICROS = 10;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromClient = createRequire(join(root, 'packages', 'client', 'package.json'));
const { AKSKSigner } = requireFromClient('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner');

/** createSigner from the built client if it exports it, else from source through esbuild. */
async function loadSigner() {
  try {
    const client = await import('@cci-openapi/client');
    if (typeof client.createSigner === 'function')
      return { createSigner: client.createSigner, from: '@cci-openapi/client (dist)' };
  } catch {
    // not built: from source below
  }
  const esbuild = createRequire(import.meta.url)('esbuild');
  const built = await esbuild.build({
    entryPoints: [join(root, 'packages', 'client', 'src', 'auth', 'aksk-signer.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const scratch = mkdtempSync(join(tmpdir(), 'cci-bench-signing-'));
  try {
    const file = join(scratch, 'aksk-signer.mjs');
    writeFileSync(file, built.outputFiles[0].contents);
    return { ...(await import(pathToFileURL(file).href)), from: 'src/auth/aksk-signer.ts (esbuild bundle)' };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
const { createSigner, from } = await loadSigner();

/** A signer on WebCrypto: node:crypto hidden while it is made (it looks node:crypto up then). */
function webCryptoSigner(credentials) {
  const { getBuiltinModule } = process;
  process.getBuiltinModule = () => undefined;
  try {
    return createSigner(credentials);
  } finally {
    process.getBuiltinModule = getBuiltinModule;
  }
}

const AK = 'QTWAOYTTINDUT2QVKYUC';
const SK = 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc';
const ORIGIN = 'https://service.region.example.com';
const body = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'redis', namespace: 'namespace-test', labels: { app: 'redis', tier: 'cache' } },
  spec: {
    type: 'LoadBalancer',
    selector: { app: 'redis' },
    ports: Array.from({ length: 20 }, (_, i) => ({
      name: `port-${i}`,
      protocol: 'TCP',
      port: 6379 + i,
      targetPort: 6379 + i,
    })),
  },
};
const bodyText = JSON.stringify(body);

/** Each request in our form (the wire: URL encoded, body as bytes) and in the official one (decoded parts, the body object). */
const requests = {
  'GET (guide example)': {
    credentials: { ak: AK, sk: SK },
    ours: {
      method: 'GET',
      url: `${ORIGIN}/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0`,
      headers: { 'content-type': 'application/json' },
    },
    official: {
      method: 'GET',
      endpoint: `${ORIGIN}/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs`,
      queryParams: { limit: '2', marker: '13551d6b-755d-4757-b956-536f674975c0' },
      headers: { 'content-type': 'application/json' },
    },
  },
  [`PUT (${(bodyText.length / 1024).toFixed(1)} KiB JSON, token, project)`]: {
    credentials: {
      ak: AK,
      sk: SK,
      securityToken: 'gQpjbi1ub3J0aC00iL7kPN4mJLwz8ck',
      projectId: '77b6a44cba5143ab91d13ab9a8ff44fd',
    },
    ours: {
      method: 'PUT',
      url: `${ORIGIN}/api/v1/namespaces/namespace-test/services/redis?fieldManager=cci-svc&dryRun=All`,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'cci-openapi/0.1.0' },
      body: new TextEncoder().encode(bodyText),
    },
    official: {
      method: 'PUT',
      endpoint: `${ORIGIN}/api/v1/namespaces/namespace-test/services/redis`,
      queryParams: { fieldManager: 'cci-svc', dryRun: 'All' },
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': 'cci-openapi/0.1.0',
        'x-security-token': 'gQpjbi1ub3J0aC00iL7kPN4mJLwz8ck',
        'x-project-id': '77b6a44cba5143ab91d13ab9a8ff44fd',
      },
      data: body,
    },
  },
};

console.log(
  `AK/SK signing: ${rounds} interleaved rounds × ${signatures.toLocaleString('en-US')} signatures per candidate ` +
    `(WebCrypto: ${webSignatures.toLocaleString('en-US')}); Node ${process.version}, ${cpus()[0]?.model.trim()} × ${availableParallelism()}, ` +
    `load average ${loadavg()[0].toFixed(2)}; ours from ${from}.`,
);
const rows = [];
const verdicts = [];
for (const [label, { credentials, ours, official }] of Object.entries(requests)) {
  const nodeSigner = createSigner(credentials);
  const webSigner = webCryptoSigner(credentials);
  const credential = { getAk: () => credentials.ak, getSk: () => credentials.sk };

  // The same Authorization from all three at one fixed instant before anything is timed.
  const at = Date.UTC(2019, 10, 15, 3, 36, 55);
  const expected = AKSKSigner.sign(
    { ...official, headers: { ...official.headers, 'X-Sdk-Date': '20191115T033655Z' } },
    credential,
  ).Authorization;
  for (const [name, signer] of [
    ['node:crypto', nodeSigner],
    ['WebCrypto', webSigner],
  ]) {
    const { authorization } = await signer(ours, at);
    if (authorization !== expected)
      throw new Error(`${label}: ours on ${name} signs differently:\n  ${authorization}\n  ${expected}`);
  }

  const progress = (what) => (round, total) => process.stderr.write(`\r${label}, ${what}: round ${round}/${total}`);
  // Ours on node:crypto and the official signer side by side, interleaved round by round.
  const results = await interleave(
    {
      'ours, node:crypto': () => nodeSigner(ours, Date.now()),
      'official AKSKSigner': () => AKSKSigner.sign(official, credential),
    },
    { rounds, requests: signatures, concurrency: 1, onRound: progress('node:crypto vs official') },
  );
  // WebCrypto is some 20× slower on Node: fewer signatures, in rounds of its own, interleaved with
  // ours on node:crypto again so that its ratio is also per round.
  const web = await interleave(
    {
      'ours, node:crypto': () => nodeSigner(ours, Date.now()),
      'ours, WebCrypto': () => webSigner(ours, Date.now()),
    },
    { rounds, requests: webSignatures, concurrency: 1, onRound: progress('WebCrypto') },
  );
  process.stderr.write('\n');
  const baseline = results['ours, node:crypto'];
  const officialRounds = results['official AKSKSigner'];
  const officialCpu = median(officialRounds.map((r) => r.cpuMicros));
  const row = (candidate, perRound, versusOurs) => {
    const cpu = median(perRound.map((r) => r.cpuMicros));
    rows.push([
      label,
      candidate,
      Number(cpu.toFixed(2)),
      Math.round(1e6 / cpu),
      Number(versusOurs.toFixed(2)),
      Number((officialCpu / cpu).toFixed(2)),
    ]);
    return cpu;
  };
  const oursCpu = row('ours, node:crypto', baseline, 1);
  row('official AKSKSigner', officialRounds, median(officialRounds.map((r, i) => r.cpuMicros / baseline[i].cpuMicros)));
  row(
    'ours, WebCrypto',
    web['ours, WebCrypto'],
    median(web['ours, WebCrypto'].map((r, i) => r.cpuMicros / web['ours, node:crypto'][i].cpuMicros)),
  );
  if (label.startsWith('GET')) {
    verdicts.push(
      `${label}: ours on node:crypto ${oursCpu.toFixed(2)} µs CPU per signature (goal ≤ ${GOAL_MICROS}): ${oursCpu <= GOAL_MICROS ? 'met' : 'NOT met'}`,
    );
  }
}
console.log();
printTable(
  [
    'request',
    'candidate',
    'CPU µs/signature',
    'signatures/s (1 core)',
    'CPU × ours on node:crypto (per round)',
    'official ÷ this (medians)',
  ],
  rows,
);
console.log();
for (const verdict of verdicts) console.log(verdict);
console.log(
  'WebCrypto on Node runs every digest and HMAC as a job on the libuv thread pool, whose CPU process.cpuUsage() counts: it is the path of browsers; on Node it is only a fallback.',
);
