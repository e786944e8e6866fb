// The GitHub Actions workflow cannot run here: its structure is checked instead, and its commands
// are held against the README and the root package.json scripts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/paths.js';

const workflow = YAML.parse(readFileSync(join(repoRoot, '.github', 'workflows', 'ci.yml'), 'utf8'));
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
const [job] = Object.values(workflow.jobs) as any[];
const steps: any[] = job.steps;
const runs = steps.filter((step) => step.run).map((step) => String(step.run));
const stepUsing = (action: string) => steps.find((step) => String(step.uses ?? '').startsWith(`${action}@`));

describe('.github/workflows/ci.yml', () => {
  it('runs on pull requests, read-only', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(Object.keys(workflow.jobs)).toHaveLength(1);
  });

  it('checks out the whole history and sets up Node 20 with the npm cache', () => {
    expect(stepUsing('actions/checkout').with['fetch-depth']).toBe(0);
    expect(stepUsing('actions/setup-node').with).toMatchObject({ 'node-version': 20, cache: 'npm' });
  });

  it('installs, installs chromium, checks and tests — in that order', () => {
    const order = ['npm ci', 'apt-get install -y -qq chromium', 'npm run check', 'npm test', 'npm run review'];
    const positions = order.map((command) => runs.findIndex((run) => run.includes(command)));
    expect(
      positions.every((position) => position >= 0),
      JSON.stringify(positions),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(workflow.env).toMatchObject({ CI: 'true', REDOCLY_TELEMETRY: 'off' });
  });

  it('writes the review to the job summary, against the base branch, failing on an unapproved breaking change', () => {
    const step = steps.find((candidate) => String(candidate.run ?? '').includes('npm run review'));
    expect(step.env.BASE_REF).toBe('${{ github.base_ref }}'); // through env, never spliced into the script
    expect(step.run).toContain('npm run review -- --base "origin/${BASE_REF}" --out review.md');
    expect(step.run).not.toContain('--allow-breaking');
    expect(step.run).toContain('cat review.md >> "$GITHUB_STEP_SUMMARY"');
    expect(step.run).toMatch(/exit \$status\s*$/);
  });

  it('uploads the built docs page', () => {
    expect(stepUsing('actions/upload-artifact').with).toMatchObject({
      path: 'docs/dist',
      'if-no-files-found': 'error',
    });
  });

  it('uses only commands the README documents and package.json defines', () => {
    for (const command of ['npm ci', 'npm test', 'npm run check', 'npm run review'])
      expect(readme, command).toContain(command);
    const npmRuns = runs.flatMap((run) => [...run.matchAll(/npm run (\S+)/g)].map((match) => match[1]!));
    expect(npmRuns.length).toBeGreaterThan(0);
    for (const name of npmRuns) expect(scripts, `npm run ${name}`).toHaveProperty(name);
  });
});
