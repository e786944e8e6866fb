// The mock API in a child process of its own, so that serving costs the measured process nothing.
// `source` is an ES module that starts it, writes its URL on stdout and exits on disconnect.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Resolves to { url, close } once the child has printed its URL. */
export async function startMockProcess(source) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`mock process exited with ${code}`)));
    child.stdout.once('data', (data) => resolve(String(data).trim()));
  });
  child.removeAllListeners('exit');
  const close = () =>
    new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    });
  return { url, close };
}
