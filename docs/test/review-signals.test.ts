// `npm run review` stopped by Ctrl-C (SIGINT) or CI's cancel-in-progress (SIGTERM) mid-run: it
// ends promptly with 128 + signal and leaves no temporary folder behind.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/paths.js';

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'cci-openapi-review-signals-'));
  const skip = (source: string) => !/[/\\](node_modules|dist)([/\\]|$)/.test(source.slice(repoRoot.length));
  cpSync(join(repoRoot, 'spec'), join(repo, 'spec'), { recursive: true, filter: skip });
  cpSync(join(repoRoot, 'scripts'), join(repo, 'scripts'), { recursive: true, filter: skip });
  cpSync(join(repoRoot, 'redocly.yaml'), join(repo, 'redocly.yaml'));
  symlinkSync(join(repoRoot, 'node_modules'), join(repo, 'node_modules'), 'dir');
  writeFileSync(join(repo, '.gitignore'), 'node_modules\ndist/\ntmp/\n');
  const git = (...args: string[]) =>
    spawnSync(
      'git',
      ['-c', 'user.name=Review Test', '-c', 'user.email=review@example.invalid', '-c', 'commit.gpgsign=false', ...args],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'the spec as it is');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('npm run review, interrupted', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s mid-run: exits %d and removes its temporary folder', async (signal, expected) => {
    // A private TMPDIR: the review's folder is the only thing that can appear in it.
    const temp = join(repo, 'tmp', signal);
    mkdirSync(temp, { recursive: true });
    const child = spawn(process.execPath, [join(repo, 'scripts', 'review.mjs'), '--base', 'HEAD'], {
      cwd: repo,
      env: { ...process.env, TMPDIR: temp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const exited = new Promise<{ code: number | null }>((resolve) => child.on('exit', (code) => resolve({ code })));
    // Signalled once the work is under way: the folder exists and a tool is running in it.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('review: bundling')) resolve();
      });
      child.on('exit', () => reject(new Error(`the review ended before it was signalled: ${stderr}`)));
    });
    expect(readdirSync(temp).filter((name) => name.startsWith('cci-openapi-review-'))).toHaveLength(1);
    child.kill(signal);
    const { code } = await exited;
    expect(code).toBe(expected);
    expect(stderr).toContain(`review: stopped by ${signal}; temporary files removed`);
    expect(readdirSync(temp)).toEqual([]);
    // Nothing left running writes into it afterwards.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(readdirSync(temp)).toEqual([]);
  });
});
