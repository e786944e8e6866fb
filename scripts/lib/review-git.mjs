// The git side of the review kit: resolve the base ref, extract its files, read commit messages.
// Read-only: nothing here changes the repository's state.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { refText } from './review-text.mjs';

export class ReviewInputError extends Error {
  name = 'ReviewInputError';
}

const git = (cwd, args, options = {}) =>
  spawnSync('git', args, {
    cwd,
    encoding: options.encoding ?? 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    input: options.input,
  });

/** @returns {string} the commit id the ref names */
export function resolveCommit(repo, ref) {
  const result = git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (result.status !== 0)
    throw new ReviewInputError(
      `--base ${refText(ref)}: not a commit in this repository (fetch it first, e.g. \`git fetch origin\`)`,
    );
  return result.stdout.trim();
}

/** Writes the given paths of a commit's tree under dest (git archive | tar -x). Missing paths are skipped. */
export function extractTree(repo, commit, paths, dest) {
  const present = paths.filter((path) => git(repo, ['cat-file', '-e', `${commit}:${path}`]).status === 0);
  mkdirSync(dest, { recursive: true });
  if (present.length === 0) return present;
  const archive = git(repo, ['archive', '--format=tar', commit, '--', ...present], { encoding: 'buffer' });
  if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr}`);
  execFileSync('tar', ['-x', '-C', dest], { input: archive.stdout });
  return present;
}

/** The messages of the commits in base..HEAD (the pull request's commits). */
export function commitMessages(repo, baseCommit) {
  const result = git(repo, ['log', '--format=%B%x00', `${baseCommit}..HEAD`]);
  return result.status === 0
    ? result.stdout
        .split('\0')
        .map((message) => message.trim())
        .filter(Boolean)
    : [];
}
