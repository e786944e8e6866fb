// A local HTTP server in its own child process, answering every request with one fixed JSON body,
// so that serving costs the measured process nothing. Resolves to { url, close }.
import { spawn } from 'node:child_process';

const SERVER_SOURCE = `
  const body = process.argv[1];
  const server = require('node:http').createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
  process.on('disconnect', () => process.exit(0));
`;

export async function startServerProcess(json) {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE, JSON.stringify(json)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`benchmark server exited with ${code}`)));
    child.stdout.once('data', (data) => resolve(Number(String(data).trim())));
  });
  child.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
