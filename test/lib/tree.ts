// A throwaway copy of the repository's spec side — redocly.yaml, spec/ and scripts/ — in which the
// real pipeline runs: the scripts are the repository's own files, copied so that each works on the
// tree it sits in (as the review kit does for a base commit), and node_modules is the repository's.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runProcess } from '@cci-openapi/test-support';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end; a non-zero exit is returned, not thrown, so a test can show the output.
 * `extraEnv` adds to (or overrides) this process's environment.
 */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
): Promise<RunResult> {
  const env = {
    ...process.env,
    ...extraEnv,
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  // The whole pipeline (Redocly, tsc, the review kit) on a busy 2-core machine: minutes, not hours.
  const result = await runProcess(command, args, { cwd, env, timeoutMs: 600_000 }).catch((error: Error) => ({
    code: 1,
    stdout: '',
    stderr: error.message,
  }));
  return { code: result.code ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export const node = (args: string[], cwd: string) => run(process.execPath, args, cwd);

/** Throws with the command's output when it failed: for steps every later assertion depends on. */
export function ok(step: string, result: RunResult): RunResult {
  if (result.code !== 0) throw new Error(`${step} failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  return result;
}

const skipped = (path: string) => /(^|\/)(node_modules|dist)(\/|$)/.test(path);

/** Copies redocly.yaml, vitest.shared.mts, spec/ and scripts/ of the repository into a new temporary folder. */
export function copySpecTree(): string {
  const tree = mkdtempSync(join(tmpdir(), 'cci-openapi-add-operation-'));
  // The copied spec's vitest.config.ts extends the repository's shared vitest configuration.
  for (const file of ['redocly.yaml', 'vitest.shared.mts']) cpSync(join(repoRoot, file), join(tree, file));
  for (const dir of ['spec', 'scripts']) {
    cpSync(join(repoRoot, dir), join(tree, dir), {
      recursive: true,
      filter: (source) => !skipped(source.slice(repoRoot.length + 1)),
    });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(tree, 'node_modules'), 'dir');
  return tree;
}

/**
 * Writes `files` (relative path → text) and applies `edits` in `tree`: each inserts `insert` right
 * after the first `after` in its file, or at the end without `after`. Returns every path written.
 */
export function writeChanges(
  tree: string,
  files: Record<string, string>,
  edits: Array<{ file: string; after?: string; insert: string }>,
): string[] {
  for (const [path, text] of Object.entries(files)) {
    const target = join(tree, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  for (const { file, after, insert } of edits) {
    const target = join(tree, file);
    const text = readFileSync(target, 'utf8');
    const at = after === undefined ? text.length : text.indexOf(after) + after.length;
    if (after !== undefined && at < after.length) throw new Error(`${file}: ${JSON.stringify(after)} not found`);
    writeFileSync(target, text.slice(0, at) + insert + text.slice(at));
  }
  return [...new Set([...Object.keys(files), ...edits.map((edit) => edit.file)])].sort();
}

/** The unchanged spec as a commit of the copy: the review's base. */
export async function commitSpecBase(at: string): Promise<void> {
  const git = (...args: string[]) =>
    run(
      'git',
      [
        '-c',
        'user.name=pipeline test',
        '-c',
        'user.email=pipeline-test@invalid',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      at,
    );
  ok('git init', await git('init', '-q'));
  ok('git add', await git('add', 'redocly.yaml', 'spec'));
  ok('git commit', await git('commit', '-q', '-m', 'base: the spec as it is'));
}

/**
 * spec → bundle → types → the client's generated operations (into a copy of the client's sources),
 * as `npm run build` runs them; returns the bundle's path.
 */
export async function generateIntoTree(at: string): Promise<string> {
  ok('bundle-spec', await node([join(at, 'scripts', 'bundle-spec.mjs')], at));
  const bundlePath = join(at, 'spec', 'dist', 'openapi.json');
  const types = join(at, 'packages', 'types');
  ok(
    'generate-types',
    await node([join(at, 'scripts', 'generate-types.mjs'), '--spec', bundlePath, '--out', types], at),
  );
  const client = join(at, 'packages', 'client');
  cpSync(join(repoRoot, 'packages', 'client', 'src'), join(client, 'src'), { recursive: true });
  // The copy's client resolves @cci-openapi/types to the copy's types (a reader's tsc follows node_modules).
  for (const file of ['package.json', 'index.js']) cpSync(join(repoRoot, 'packages', 'types', file), join(types, file));
  mkdirSync(join(client, 'node_modules', '@cci-openapi'), { recursive: true });
  symlinkSync(types, join(client, 'node_modules', '@cci-openapi', 'types'), 'dir');
  cpSync(join(repoRoot, 'packages', 'client', 'package.json'), join(client, 'package.json'));
  const out = join(client, 'src', 'generated', 'operations.ts');
  ok(
    'generate-client',
    await node([join(at, 'scripts', 'generate-client.mjs'), '--spec', join(types, 'openapi.json'), '--out', out], at),
  );
  return bundlePath;
}

/**
 * A tsconfig at the root of `at` that type-checks `files` against the copy's generated types and
 * client sources (after generateIntoTree), as a reader's project would resolve them.
 */
export function writeTypeCheckProject(at: string, files: string[]): string {
  const path = join(at, 'tsconfig.json');
  writeFileSync(
    path,
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.base.json'),
      compilerOptions: {
        noEmit: true,
        typeRoots: [join(repoRoot, 'node_modules', '@types')],
        paths: {
          '@cci-openapi/types': [join(at, 'packages', 'types', 'index.d.ts')],
          '@cci-openapi/client': [join(at, 'packages', 'client', 'src', 'index.ts')],
        },
      },
      files,
    }),
  );
  return path;
}
