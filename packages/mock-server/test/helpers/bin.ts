// The built cci-mock as a subprocess, for the binary's tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const bin = join(import.meta.dirname, '..', '..', 'dist', 'bin.js');

export function assertBinBuilt(): void {
  if (!existsSync(bin)) throw new Error('dist/bin.js is missing: run `npx tsup` (or `npm run build`) before the tests');
}

/**
 * Starts cci-mock on a free port with `args`, resolving with its URL once its output satisfies
 * `ready` (by default: it printed the URL it listens on).
 */
export async function startBin(
  args: string[],
  ready: (stdout: string) => boolean = (stdout) => /listening on \S+/.test(stdout),
): Promise<{ child: ChildProcess; url: string; output: () => { stdout: string; stderr: string } }> {
  const child = spawn(process.execPath, [bin, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => ready(stdout) && resolve());
    child.on('exit', (code) => reject(new Error(`cci-mock exited with ${code}: ${stderr}`)));
  });
  const url = (/listening on (\S+)/.exec(stdout) as RegExpExecArray)[1] as string;
  return { child, url, output: () => ({ stdout, stderr }) };
}
