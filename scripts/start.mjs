#!/usr/bin/env node
// `npm start`, the main job (after `turbo run build`): starts the mock CCI API and the docs site on
// 127.0.0.1, reads the status of namespace-test/redis through the generated client against the
// mock, prints it, and keeps serving until Ctrl-C (SIGINT) or SIGTERM.
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
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  return port;
}

/** Imports a workspace package's build, with a clear message when it has not been built. */
async function importBuilt(specifier) {
  try {
    return await import(specifier);
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new Error(`${specifier} is not built (${error.message.split('\n')[0]}). Run \`npm run build\` first, or use \`npm start\`, which builds.`);
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
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    if (path !== '/' && path !== '/index.html') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: the docs site is the single page at /\n');
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

async function main() {
  const mockPort = portFromEnv('CCI_MOCK_PORT', 4010);
  const docsPort = portFromEnv('CCI_DOCS_PORT', 4020);
  const { startMockServer, DEFAULT_TOKEN } = await importBuilt('@cci-openapi/mock-server');
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

  process.stdout.write('\ncce-openapi: the mock CCI API and the docs site are up\n\n');
  process.stdout.write(`  mock API: ${mock.url}  (X-Auth-Token: ${DEFAULT_TOKEN})\n`);
  process.stdout.write(`  docs:     ${docs.url}\n`);
  if (!existsSync(DOCS_PAGE)) {
    process.stdout.write('            (docs/dist/index.html is missing: run `npm run build -w docs`; the URL explains this until then)\n');
  }

  const client = createCciClient({ baseUrl: mock.url, token: DEFAULT_TOKEN });
  process.stdout.write(`\nreadServiceStatus(${JSON.stringify(DEMO)}) through @cci-openapi/client:\n\n`);
  try {
    const service = await client.readServiceStatus(DEMO);
    const ports = (service.spec.ports ?? []).map((p) => `${p.port}:${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`).join(', ');
    process.stdout.write(
      `  ${service.metadata.namespace}/${service.metadata.name}: ${service.spec.type ?? 'ClusterIP'}, cluster IP ${service.spec.clusterIP}, ports ${ports}\n\n`,
    );
    process.stdout.write(`${JSON.stringify(service, null, 2).replace(/^/gm, '  ')}\n`);
  } catch (error) {
    process.stderr.write(`readServiceStatus failed: ${error?.name ?? 'Error'}: ${error?.message ?? error}\n`);
    await stop(1);
    return;
  }

  process.stdout.write('\nthe same with the CLI:\n\n');
  process.stdout.write(`  CCI_TOKEN=${DEFAULT_TOKEN} npx cci-svc status ${DEMO.namespace}/${DEMO.name} --server ${mock.url}\n`);
  process.stdout.write(`  curl -H 'X-Auth-Token: ${DEFAULT_TOKEN}' ${mock.url}/api/v1/namespaces/${DEMO.namespace}/services/${DEMO.name}/status\n`);
  process.stdout.write('\nserving until Ctrl-C\n');
}

main().catch((error) => {
  process.stderr.write(`npm start: ${error?.message ?? error}\n`);
  process.exit(1);
});
