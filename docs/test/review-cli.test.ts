// `npm run review` end to end, on real git history: a temporary repository with this repository's
// spec/, scripts/ and redocly.yaml, a commit, a spec change, another commit — then the review of HEAD~1.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/paths.js';

let repo: string;
const git = (...args: string[]) => {
  const result = spawnSync(
    'git',
    ['-c', 'user.name=Review Test', '-c', 'user.email=review@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd: repo,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
const edit = (path: string, change: (text: string) => string) => {
  const file = join(repo, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${path} changed nothing`);
  writeFileSync(file, after);
};
const commit = (message: string) => {
  git('add', '-A');
  git('commit', '-q', '-m', message);
};
const review = (...args: string[]) => {
  const result = spawnSync(process.execPath, [join(repo, 'scripts', 'review.mjs'), ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'cci-openapi-review-repo-'));
  const skip = (source: string) => !/[/\\](node_modules|dist)([/\\]|$)/.test(source.slice(repoRoot.length));
  cpSync(join(repoRoot, 'spec'), join(repo, 'spec'), { recursive: true, filter: skip });
  cpSync(join(repoRoot, 'scripts'), join(repo, 'scripts'), { recursive: true, filter: skip });
  cpSync(join(repoRoot, 'redocly.yaml'), join(repo, 'redocly.yaml'));
  symlinkSync(join(repoRoot, 'node_modules'), join(repo, 'node_modules'), 'dir');
  writeFileSync(join(repo, '.gitignore'), 'node_modules\ndist/\n');
  git('init', '-q', '-b', 'main');
  commit('the spec as it is');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const HOSTNAME = / {2}hostname:\n {4}type: string\n {4}description: >-\n( {6}.*\n)+?(?= {2}ip:)/;

describe('npm run review', () => {
  it('reports a removed property as breaking and exits non-zero', () => {
    edit('spec/components/schemas/LoadBalancerIngress.yaml', (text) => text.replace(HOSTNAME, ''));
    commit('drop LoadBalancerIngress.hostname');
    const { status, stdout, stderr } = review('--base', 'HEAD~1');
    expect(stderr).toContain('1 breaking');
    expect(status).toBe(1);
    expect(stdout).toContain('❌ **1 breaking API change(s), not approved.**');
    expect(stdout).toMatch(/### Breaking \(major\): 1\n\n- Property `hostname` of `LoadBalancerIngress` was removed\./);
    // The rest of the review sees the same change from its side.
    // Fidelity per source: the page lost a row; the upstream extract lost a property.
    expect(stdout).toMatch(
      /\| cci-page \| 1\/1 operations, 64\/64 rows, 14\/14 status codes, response example matched \| 0\/1 operations, 63\/64 rows, 14\/14 status codes, response example matched \| \d+ \| 1 \|/,
    );
    expect(stdout).toMatch(
      /\| upstream \| (\d+)\/\1 operations, (\d+)\/\2 parameters, (\d+)\/\3 properties, (\d+)\/\4 response codes \| \1\/\1 operations, \2\/\2 parameters, (\d+)\/\3 properties, \4\/\4 response codes \| \d+ \| 1 \|/,
    );
    expect(stdout).toContain('- cci-page: table 14 (io.k8s.api.core.v1.LoadBalancerIngress), row "hostname"');
    expect(stdout).toContain('`components.schemas.LoadBalancerIngress.hostname`');
    expect(stdout).toMatch(/-\s+readonly hostname\?: string;|-\s+hostname\?: string;/);
  });

  it('lets an approved breaking change pass: --allow-breaking, or the marker in a commit message', () => {
    const flagged = review('--base', 'HEAD~1', '--allow-breaking');
    expect(flagged.status).toBe(0);
    expect(flagged.stdout).toContain('approved** by `--allow-breaking`');

    edit('spec/components/schemas/LoadBalancerIngress.yaml', (text) => `# hostname is gone on purpose\n${text}`);
    commit('Explain the removal\n\n[breaking-change-approved] hostname was never set by CCI');
    const marked = review('--base', 'HEAD~2');
    expect(marked.status).toBe(0);
    expect(marked.stdout).toContain('approved** by `[breaking-change-approved]` in a commit message');
  });

  it('does not call a description-only change breaking, and writes the report to --out', () => {
    edit('spec/components/schemas/LoadBalancerIngress.yaml', (text) =>
      text.replace('IP is set for load-balancer ingress points', 'IP is set for the load-balancer ingress points'),
    );
    commit('reword ip');
    const { status, stdout } = review('--base', 'HEAD~1', '--out', 'review.md');
    expect(status).toBe(0);
    expect(stdout).toBe('');
    const report = readFileSync(join(repo, 'review.md'), 'utf8');
    expect(report).toContain('✅ **No breaking API change.**');
    expect(report).toContain('### Breaking (major): 0');
    // This scratch repository has no packages: the public API section says so (docs/test/review-api.test.ts
    // covers reports that differ).
    expect(report).toContain('## Public API of the packages (API reports, packages/*/api/*.api.md)\n\n_Neither');
    expect(report).toMatch(
      /- patch: description modified: `components\.schemas\.LoadBalancerIngress\.properties\.ip\.description`/,
    );
    // Descriptions become the types' doc comments: lines change, members do not.
    expect(report).toMatch(/\d+ line\(s\) added, \d+ removed; members: 0 added, 0 removed, 0 changed\./);
  });

  it('reports an added write operation as a non-breaking addition, with its request body and media types', () => {
    // The base: the spec without one PATCH operation (the first path file that has one); the head: with it.
    const file = readdirSync(join(repo, 'spec', 'paths'))
      .map((name) => join('spec', 'paths', name))
      .find((path) => /^patch:$/m.test(readFileSync(join(repo, path), 'utf8')))!;
    const withPatch = readFileSync(join(repo, file), 'utf8');
    const operationId = /^patch:\n(?: {2}.*\n)*? {2}operationId: (\w+)$/m.exec(withPatch)![1]!;
    edit(file, (text) => text.replace(/^patch:\n(?:(?: {2}.*)?\n)*/m, ''));
    commit(`without ${operationId}`);
    writeFileSync(join(repo, file), withPatch);
    commit(`add ${operationId}`);
    const { status, stdout, stderr } = review('--base', 'HEAD~1');
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/review: 0 breaking, [1-9]\d* non-breaking change\(s\)/);
    expect(stdout).toContain('✅ **No breaking API change.**');
    expect(stdout).toMatch(/- minor: Operation added: `\/api\/v1\/[^`]+ patch`/);
    const row = stdout.split('\n').find((line) => line.startsWith(`| \` ${operationId} \``));
    expect(row, stdout).toBeDefined();
    expect(row).toContain('**(new)** | required |');
    for (const mediaType of [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ])
      expect(row).toContain(`\` ${mediaType} \``);
    expect(stdout).toContain(`- \`operations.${operationId}\` and `);
  });

  it('rejects a ref that does not exist, and a missing --base, with a clear message', () => {
    const unknown = review('--base', 'no-such-branch');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--base no-such-branch: not a commit in this repository');
    const missing = review();
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--base <git-ref> is required');
  });

  it('escapes a crafted --base (backticks, HTML, newlines, escape sequences) in the report, the progress and the errors', () => {
    const first = git('rev-list', '--max-parents=0', 'HEAD').trim();
    // A rev that resolves (to the first commit, by its message) and carries what a branch name or a
    // rev can: backticks, HTML, a newline that would start a heading of its own.
    const crafted = 'main^{/(`x`\n# Injected heading\n<img src=x onerror=alert(1)>)?the spec as it is}';
    const { status, stdout, stderr } = review('--base', crafted);
    expect([0, 1]).toContain(status);
    const [heading] = stdout.split('\n');
    const escaped = 'main^{/(`x`\\n# Injected heading\\n<img src=x onerror=alert(1)>)?the spec as it is}';
    expect(heading).toBe(`# Spec review: \`\` ${escaped} \`\` (${first.slice(0, 12)}) → working tree`);
    expect(stdout.split('\n').filter((line) => line.includes('Injected') || line.includes('<img'))).toEqual([heading]);
    expect(stderr).toContain(`review: bundling ${escaped} (${first.slice(0, 12)})`);
    expect(stderr).not.toMatch(/^# Injected/m);

    const unknown = review('--base', 'no-such\n\u001b[2J<img src=x onerror=alert(1)>');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      'review: --base no-such\\n\\u001b[2J<img src=x onerror=alert(1)>: not a commit in this repository (fetch it first, e.g. `git fetch origin`)\n',
    );
  });
});
