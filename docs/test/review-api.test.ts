// The public API reports end to end, on a scratch repository with real git history: its published
// packages get their reports from the real scripts/api-report.mjs (API Extractor on their .d.ts),
// the check fails with the package and the command when a declaration changes, and the review kit
// lists the exports added, removed and changed between two commits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiChanges } from '../../scripts/lib/review-api.mjs';
import { renderReport } from '../../scripts/lib/review-report.mjs';
import { repoRoot } from './support/paths.js';

let repo: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const git = (...args: string[]) => {
  const result = spawnSync(
    'git',
    ['-c', 'user.name=API Test', '-c', 'user.email=api@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd: repo, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
const apiReport = (...args: string[]) => {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'api-report.mjs'), '--root', repo, ...args], {
    encoding: 'utf8',
  });
  return { status: result.status, out: result.stdout + result.stderr };
};
const manifest = (value: object) => `${JSON.stringify(value, null, 2)}\n`;

const LIB_EXPORTS = {
  '.': { types: './index.d.ts', default: './index.js' },
  './extra': { import: { types: './extra.d.ts', default: './extra.js' } },
  './package.json': './package.json',
};

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'cci-openapi-api-repo-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(repo, 'node_modules'), 'dir');
  write('.gitignore', 'node_modules\n');
  write('package.json', manifest({ private: true, workspaces: ['packages/lib', 'packages/tool', 'packages/hidden'] }));
  write('packages/lib/package.json', manifest({ name: '@demo/lib', type: 'module', exports: LIB_EXPORTS }));
  write(
    'packages/lib/index.d.ts',
    [
      '/** Says hello. */',
      'export declare function greet(name: string): string;',
      'export interface Options {\n    loud?: boolean;\n}',
      'export declare const VERSION = "1";',
      '',
    ].join('\n'),
  );
  write('packages/lib/extra.d.ts', 'export declare function extra(): void;\n');
  write('packages/tool/package.json', manifest({ name: '@demo/tool', bin: { 'demo-tool': './bin/tool.js' } }));
  write('packages/hidden/package.json', manifest({ name: '@demo/hidden', private: true, types: './index.d.ts' }));
  write('packages/hidden/index.d.ts', 'export interface Secret {\n    value: string;\n}\n');
  git('init', '-q', '-b', 'main');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

// Each run of the script starts API Extractor (a TypeScript program): seconds alone, far longer on a
// loaded machine.
describe('npm run api', { timeout: 300_000 }, () => {
  it('--update writes one report per typed entry of each published package, and one of the bins of a package with none', () => {
    const { status, out } = apiReport('--update', '--no-build');
    expect(out).toContain('3 API report(s), 3 updated');
    expect(status).toBe(0);
    expect(read('packages/lib/api/lib.api.md')).toContain('export function greet(name: string): string;');
    expect(read('packages/lib/api/lib.api.md')).toContain('export const VERSION = "1";');
    expect(read('packages/lib/api/lib-extra.api.md')).toContain('export function extra(): void;');
    expect(read('packages/tool/api/tool.api.md')).toContain('// bin demo-tool: ./bin/tool.js');
    expect(existsSync(join(repo, 'packages/hidden/api'))).toBe(false);
    expect(apiReport('--no-build')).toEqual({ status: 0, out: expect.stringContaining('3 API report(s) up to date') });
    git('add', '-A');
    git('commit', '-q', '-m', 'the API as it is');
  });

  it('fails on a changed declaration, naming the package, the report and the command, and shows the diff', () => {
    write(
      'packages/lib/index.d.ts',
      read('packages/lib/index.d.ts')
        .replace('greet(name: string)', 'greet(name: string, times?: number)')
        .replace('export declare const VERSION = "1";\n', 'export declare function wave(): void;\n'),
    );
    write(
      'packages/tool/package.json',
      manifest({ name: '@demo/tool', bin: { 'demo-tool': './bin/tool.js', 'demo-tool-admin': './bin/admin.js' } }),
    );
    const { status, out } = apiReport('--no-build');
    expect(status).toBe(1);
    expect(out).toContain('STALE   @demo/lib: packages/lib/api/lib.api.md differs from its built declarations');
    expect(out).toContain('STALE   @demo/tool: packages/tool/api/tool.api.md differs');
    expect(out).not.toContain('lib-extra.api.md');
    expect(out).toMatch(/^\s+\+export function wave\(\): void;$/m);
    expect(out).toMatch(/^\s+-export const VERSION = "1";$/m);
    expect(out).toContain('run `npm run api -- --update`');
  });

  it('the review kit lists, per entry, the exports added, removed and changed since the base commit', () => {
    expect(apiReport('--update', '--no-build').status).toBe(0);
    const api = apiChanges({ repo, commit: git('rev-parse', 'HEAD').trim() });
    const byLabel = Object.fromEntries(api.entries.map((entry) => [entry.label, entry]));
    expect(Object.keys(byLabel).sort()).toEqual(['@demo/lib', '@demo/lib/extra', '@demo/tool']);
    expect(byLabel['@demo/lib']).toMatchObject({ status: 'changed', added: ['wave'], removed: ['VERSION'] });
    expect(byLabel['@demo/lib']?.changed.map((item) => item.name)).toEqual(['greet']);
    expect(byLabel['@demo/lib/extra']?.status).toBe('unchanged');
    expect(byLabel['@demo/tool']).toMatchObject({ status: 'changed', added: ['bin demo-tool-admin'], removed: [] });

    const markdown = renderReport({
      base: { ref: 'main', commit: '0'.repeat(40) },
      changes: { breaking: [], nonBreaking: [], redoclyBump: 'patch' },
      verdict: { breaking: false },
      lint: { errors: 0, warnings: 0, problems: [] },
      fidelity: { base: undefined, head: undefined, deviations: { added: [], removed: [] } },
      types: { members: { added: [], removed: [], changed: [] }, lines: { added: 0, removed: 0, unified: '' } },
      api,
    });
    const section = markdown.slice(markdown.indexOf('## Public API of the packages'));
    expect(section).toContain('### `@demo/lib`: 1 added, 1 removed, 1 changed');
    expect(section).toContain('Removed (breaking for users of them): `VERSION`');
    expect(section).toContain('Added: `wave`');
    expect(section).toContain('-export function greet(name: string): string;');
    expect(section).toContain('+export function greet(name: string, times?: number): string;');
    expect(section).toContain('### `@demo/tool`: 1 added, 0 removed, 0 changed');
    expect(section).toContain('Unchanged: `@demo/lib/extra`.');
  });

  it('a doc comment is no API change, and a report of an entry the package dropped is stale until removed', () => {
    git('add', '-A');
    git('commit', '-q', '-m', 'greet takes times, wave, no VERSION');
    write('packages/lib/index.d.ts', read('packages/lib/index.d.ts').replace('/** Says hello. */', '/** Hello. */'));
    expect(apiReport('--update', '--no-build').status).toBe(0);
    const { entries } = apiChanges({ repo, commit: git('rev-parse', 'HEAD').trim() });
    expect(entries.map((entry) => entry.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);

    const { './extra': _dropped, ...rest } = LIB_EXPORTS;
    write('packages/lib/package.json', manifest({ name: '@demo/lib', type: 'module', exports: rest }));
    const check = apiReport('--no-build');
    expect(check.status).toBe(1);
    expect(check.out).toContain(
      'STALE   @demo/lib: packages/lib/api/lib-extra.api.md reports an entry the package no longer has',
    );
    expect(apiReport('--update', '--no-build').out).toContain('removed @demo/lib: packages/lib/api/lib-extra.api.md');
    expect(existsSync(join(repo, 'packages/lib/api/lib-extra.api.md'))).toBe(false);
  });
});

describe('a published declaration that imports a private workspace package', { timeout: 300_000 }, () => {
  it('fails the check: a user could not resolve the import', () => {
    const before = read('packages/lib/index.d.ts');
    write(
      'packages/lib/index.d.ts',
      `import type { Secret } from '@demo/hidden';\n${before}export declare function leak(): Secret;\n`,
    );
    try {
      const { status, out } = apiReport('--no-build');
      expect(status).toBe(1);
      expect(out).toContain(
        'PRIVATE @demo/lib: packages/lib/api/lib.api.md imports @demo/hidden, which is not published',
      );
    } finally {
      write('packages/lib/index.d.ts', before);
    }
  });
});
