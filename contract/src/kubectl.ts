// Runs Debian's kubectl against a kubeconfig and reduces its output to what must match between
// two servers: the AGE column and the server-set fields of -o json / --raw bodies are dropped.
import { execFile } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { normaliseObject } from './view.js';

export interface KubectlResult {
  exitCode: number;
  stdout: unknown;
  stderr: string;
}

/** Runs kubectl; `cwd` is where relative file arguments (`-f one.yaml`) are read, named so in kubectl's messages. */
export function kubectl(
  binary: string,
  kubeconfig: string,
  cacheDir: string,
  args: string[],
  cwd?: string,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      binary,
      [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, '--request-timeout=20s', ...args],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cacheDir },
        timeout: 60_000,
        ...(cwd !== undefined && { cwd }),
      },
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

/**
 * How a command's stdout is compared: `table` (cells, AGE dropped), `json` / `yaml` (the parsed
 * object without server-set fields; YAML may hold several documents), `text` (its lines as they are).
 */
export type OutputForm = 'table' | 'json' | 'yaml' | 'text';

/** The part of a kubectl run two servers must agree on. */
export function comparable(
  output: { exitCode: number; stdout: string; stderr: string },
  form: OutputForm,
): KubectlResult {
  let stdout: unknown = output.stdout;
  if (form === 'table') stdout = dropAgeColumn(output.stdout);
  else if (form === 'text') stdout = output.stdout.split('\n');
  else if (form === 'yaml') stdout = parseYamlOutput(output.stdout);
  else if (output.stdout.trim() !== '') {
    try {
      stdout = normaliseObject(JSON.parse(output.stdout));
    } catch {
      stdout = output.stdout;
    }
  }
  return { exitCode: output.exitCode, stdout, stderr: output.stderr.trim() };
}

/** kubectl's -o yaml output as normalised objects (one per document); the text itself when it is no YAML. */
function parseYamlOutput(text: string): unknown {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents) || documents.some((document) => document.errors.length > 0)) return text;
  const objects = documents.map((document) => normaliseObject(document.toJS()));
  return objects.length === 1 ? objects[0] : objects;
}
