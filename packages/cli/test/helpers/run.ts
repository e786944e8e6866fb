// Runs the built cci-svc as a subprocess, with a clean environment (no CCI_* or HUAWEICLOUD_SDK_* from the caller).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '@cci-openapi/test-support';

export const bin = join(import.meta.dirname, '..', '..', 'dist', 'bin.js');

export function assertBuilt(): void {
  if (!existsSync(bin)) throw new Error('dist/bin.js is missing: run `npx tsup` (or `npm run build`) before the tests');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: { timeoutMs?: number } = {},
): Promise<CliResult> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('CCI_') && !key.startsWith('HUAWEICLOUD_SDK_')),
  ) as Record<string, string>;
  const { code, stdout, stderr } = await runProcess(process.execPath, [bin, ...args], {
    env: { ...clean, ...env },
    timeoutMs: options.timeoutMs ?? 45_000,
  });
  return { code, stdout, stderr };
}
