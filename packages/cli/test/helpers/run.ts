// Runs the built cce-svc as a subprocess, with a clean environment (no CCE_* from the caller).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const bin = join(import.meta.dirname, '..', '..', 'dist', 'bin.js');

export function assertBuilt(): void {
  if (!existsSync(bin)) throw new Error('dist/bin.js is missing: run `npx tsup` (or `npm run build`) before the tests');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}, options: { timeoutMs?: number } = {}): Promise<CliResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CCE_'))) as Record<string, string>;
  const child = spawn(process.execPath, [bin, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    // A bound well above any test's own timeouts: hitting it means the CLI hung.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cce-svc ${args.join(' ')} did not exit; stderr so far: ${stderr}`));
    }, options.timeoutMs ?? 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}
