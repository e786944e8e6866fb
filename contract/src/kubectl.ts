// Runs Debian's kubectl against a kubeconfig and reduces its output to what must match between
// two servers: the AGE column and the server-set fields of -o json / --raw bodies are dropped.
import { execFile } from 'node:child_process';
import { normaliseObject } from './view.js';

export interface KubectlResult {
  exitCode: number;
  stdout: unknown;
  stderr: string;
}

export function kubectl(binary: string, kubeconfig: string, cacheDir: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      binary,
      [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, '--request-timeout=20s', ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cacheDir }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as any).code === 'number' ? (error as any).code : -1) : 0;
        resolve({ exitCode: code, stdout, stderr });
      },
    );
  });
}

/** kubectl's table as cells, the AGE column's values replaced by "<age>" (no Service cell holds a space). */
export function dropAgeColumn(table: string): string[][] {
  const lines = table.split('\n').filter((line) => line.trim() !== '');
  const columns = (lines[0] ?? '').trim().split(/\s+/);
  const age = columns.indexOf('AGE');
  return lines.map((line, index) => {
    const cells = line.trim().split(/\s+/);
    if (index > 0 && age >= 0 && cells.length === columns.length) cells[age] = '<age>';
    return cells;
  });
}

/** The part of a kubectl run two servers must agree on. */
export function comparable(output: { exitCode: number; stdout: string; stderr: string }, form: 'table' | 'json'): KubectlResult {
  let stdout: unknown = output.stdout;
  if (form === 'table') stdout = dropAgeColumn(output.stdout);
  else if (output.stdout.trim() !== '') {
    try {
      stdout = normaliseObject(JSON.parse(output.stdout));
    } catch {
      stdout = output.stdout;
    }
  }
  return { exitCode: output.exitCode, stdout, stderr: output.stderr.trim() };
}
