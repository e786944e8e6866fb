#!/usr/bin/env node
// `npm start`, the main job (after `turbo run build`): starts the mock CCI API and the docs site on
// 127.0.0.1, signs in to the mock with its demo access key (AK/SK signing) through the generated
// client, reads the status of namespace-test/redis, prints it with the same read by the CLI (AK/SK,
// then as the demo IAM user) and by curl (an IAM token from the mock's IAM), and keeps serving until
// Ctrl-C (SIGINT) or SIGTERM.
//
// Ports: CCI_MOCK_PORT (default 4010) and CCI_DOCS_PORT (default 4020); when a port is taken, a
// free one is used instead. 0 always picks a free port.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const DOCS_PAGE = fileURLToPath(new URL('../docs/dist/index.html', import.meta.url));
const DEMO = { namespace: 'namespace-test', name: 'redis' };

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  return port;
}

/** Imports a workspace package's build, with a clear message when it has not been built. */
async function importBuilt(specifier) {
  try {
    return await import(specifier);
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new Error(
        `${specifier} is not built (${error.message.split('\n')[0]}). Run \`npm run build\` first, or use \`npm start\`, which builds.`,
      );
    }
    throw error;
  }
}

/** Tries the preferred port, then any free one when it is taken. */
async function onPreferredPort(preferred, start) {
  try {
    return await start(preferred);
  } catch (error) {
    if (error?.code !== 'EADDRINUSE' || preferred === 0) throw error;
    process.stdout.write(`port ${preferred} is taken; using a free port instead\n`);
    return start(0);
  }
}

/** Serves the single-page docs site; reads the file per request so a rebuilt page shows at once. */
function startDocsServer(port) {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('method not allowed\n');
      return;
    }
    if (path !== '/' && path !== '/index.html') {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('not found: the docs site is the single page at /\n');
      return;
    }
    try {
      const page = await readFile(DOCS_PAGE);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(page);
    } catch {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The docs site is not built yet: run `npm run build -w docs` (or `npm run build`), then reload.\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const { port: actual } = server.address();
      resolve({
        url: `http://${HOST}:${actual}/`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** Where the mock and the docs are, and the demo credentials. */
function printAddresses(mock, docs, { DEMO_ACCESS_KEY, DEMO_IAM_USER }) {
  process.stdout.write('\ncci-openapi: the mock CCI API and the docs site are up\n\n');
  process.stdout.write(
    `  mock API: ${mock.url}  (profile cci: IAM at ${mock.url}/v3/auth/tokens, AK/SK signatures checked as the gateway does)\n`,
  );
  process.stdout.write(`            demo access key: AK ${DEMO_ACCESS_KEY.ak}, SK ${DEMO_ACCESS_KEY.sk}\n`);
  process.stdout.write(
    `            demo IAM user: ${DEMO_IAM_USER.username} / ${DEMO_IAM_USER.password}, account ${DEMO_IAM_USER.domainName}\n`,
  );
  process.stdout.write(`  docs:     ${docs.url}\n`);
  if (!existsSync(DOCS_PAGE)) {
    process.stdout.write(
      '            (docs/dist/index.html is missing: run `npm run build -w docs`; the URL explains this until then)\n',
    );
  }
}

/** The demo Service read through the client: a summary line and the object; false when it failed. */
async function printDemoRead(client) {
  try {
    const service = await client.readServiceStatus(DEMO);
    const ports = (service.spec.ports ?? [])
      .map((p) => `${p.port}:${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`)
      .join(', ');
    process.stdout.write(
      `  ${service.metadata.namespace}/${service.metadata.name}: ${service.spec.type ?? 'ClusterIP'}, cluster IP ${service.spec.clusterIP}, ports ${ports}\n\n`,
    );
    process.stdout.write(`${JSON.stringify(service, null, 2).replace(/^/gm, '  ')}\n`);
  } catch (error) {
    process.stderr.write(`readServiceStatus failed: ${error?.name ?? 'Error'}: ${error?.message ?? error}\n`);
    return false;
  }

  return true;
}

/** The same read with the CLI (AK/SK, an IAM user) and with curl (an IAM token from the mock's IAM). */
function printCommands(mock, { DEMO_ACCESS_KEY, DEMO_IAM_USER }) {
  const user = DEMO_IAM_USER;
  const akSk = `HUAWEICLOUD_SDK_AK=${DEMO_ACCESS_KEY.ak} HUAWEICLOUD_SDK_SK=${DEMO_ACCESS_KEY.sk}`;
  const iamUser = `CCI_IAM_USERNAME=${user.username} CCI_IAM_PASSWORD=${user.password} CCI_IAM_DOMAIN=${user.domainName} CCI_IAM_PROJECT=${user.projectName} CCI_IAM_ENDPOINT=${mock.url}`;
  const signIn = JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: user.username, password: user.password, domain: { name: user.domainName } } },
      },
      scope: { project: { name: user.projectName } },
    },
  });
  // curl cannot sign with AK/SK: it asks the mock's IAM for a token first, as a user of CCI would.
  const token = `$(curl -sS -D - -o /dev/null -X POST '${mock.url}/v3/auth/tokens?nocatalog=true' -H 'Content-Type: application/json' -d '${signIn}' | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\\r')`;
  const path = `/api/v1/namespaces/${DEMO.namespace}/services/${DEMO.name}/status`;
  process.stdout.write('\nthe same with the CLI (AK/SK; an IAM user) and curl (an IAM token):\n\n');
  process.stdout.write(`  ${akSk} npx cci-svc status ${DEMO.namespace}/${DEMO.name} --server ${mock.url}\n`);
  process.stdout.write(`  ${iamUser} npx cci-svc status ${DEMO.namespace}/${DEMO.name} --server ${mock.url}\n`);
  process.stdout.write(`  curl -sS -H "X-Auth-Token: ${token}" ${mock.url}${path}\n`);
}

async function main() {
  const mockPort = portFromEnv('CCI_MOCK_PORT', 4010);
  const docsPort = portFromEnv('CCI_DOCS_PORT', 4020);
  const { startMockServer, DEMO_ACCESS_KEY, DEMO_IAM_USER } = await importBuilt('@cci-openapi/mock-server');
  const { createCciClient } = await importBuilt('@cci-openapi/client');

  const running = [];
  let stopping;
  const stop = (code) => {
    stopping ??= Promise.allSettled(running.map((s) => s.close())).then(() => {
      process.stdout.write('stopped: mock API and docs server closed\n');
      process.exit(code);
    });
    return stopping;
  };
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));

  const mock = await onPreferredPort(mockPort, (port) => startMockServer({ port, host: HOST }));
  running.push(mock);
  const docs = await onPreferredPort(docsPort, startDocsServer);
  running.push(docs);

  printAddresses(mock, docs, { DEMO_ACCESS_KEY, DEMO_IAM_USER });

  const credentials = { ak: DEMO_ACCESS_KEY.ak, sk: DEMO_ACCESS_KEY.sk };
  const client = createCciClient({ baseUrl: mock.url, credentials });
  process.stdout.write(
    `\nreadServiceStatus(${JSON.stringify(DEMO)}) through @cci-openapi/client, signed with the demo AK/SK:\n\n`,
  );
  if (!(await printDemoRead(client))) {
    await stop(1);
    return;
  }
  await client.close();
  printCommands(mock, { DEMO_ACCESS_KEY, DEMO_IAM_USER });
  process.stdout.write('\nserving until Ctrl-C\n');
}

main().catch((error) => {
  process.stderr.write(`npm start: ${error?.message ?? error}\n`);
  process.exit(1);
});
