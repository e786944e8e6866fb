// @ts-check
// The one subprocess runner for tests: runs a command to its end and returns its exit code and
// output. A non-zero exit is returned, not thrown, so a test can assert on it and show the output;
// a process that outlives `timeoutMs` is killed and the promise rejects (it hung).
import { spawn } from 'node:child_process';

/**
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import('../index.js').RunProcessOptions} [options]
 * @returns {Promise<import('../index.js').ProcessResult>}
 */
export function runProcess(command, args, options = {}) {
  // A bound well above any test's own timeouts: reaching it means the process hung.
  const timeoutMs = options.timeoutMs ?? 45_000;
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${[command, ...args].join(' ')} did not exit within ${timeoutMs} ms; stderr so far: ${stderr}`),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
