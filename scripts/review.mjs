// `npm run review -- --base <git-ref> [--out report.md] [--allow-breaking]`
//
// A Markdown review of a spec change for a pull request: the API changes between the base ref's spec
// and the working tree's (redocly diff, breaking / non-breaking), the lint result, the fidelity figure,
// the generated types' diff and the packages' public API changes (their API reports). Exits 1 on a breaking change unless it is approved — by
// --allow-breaking, or by `[breaking-change-approved]` in a commit message of base..HEAD — and 2 on bad
// input. Progress goes to stderr; the report to --out or stdout.
//
// Ctrl-C (SIGINT) and SIGTERM (CI's cancel-in-progress) end it promptly and leave no temporary
// folder behind: run as a command, it supervises a worker process (itself, with the folder given
// in CCI_REVIEW_SCRATCH) whose blocking steps cannot be interrupted from inside. The supervisor
// forwards the signal to the worker's process group, removes the folder, and exits 128 + signal.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apiChanges } from './lib/review-api.mjs';
import { bodyChanges } from './lib/review-bodies.mjs';
import { classifyChanges } from './lib/review-changes.mjs';
import { deviationChanges, fidelityOf } from './lib/review-fidelity.mjs';
import { commitMessages, extractTree, resolveCommit, ReviewInputError } from './lib/review-git.mjs';
import { renderReport } from './lib/review-report.mjs';
import { refText } from './lib/review-text.mjs';
import { bundleTree, generateTypes, redoclyDiff, redoclyLint } from './lib/review-tools.mjs';
import { diffTypeMembers, lineDiff } from './lib/review-types.mjs';

export const APPROVAL_MARKER = '[breaking-change-approved]';
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (message) => process.stderr.write(`review: ${message}\n`);

function parse(argv) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        base: { type: 'string' },
        out: { type: 'string' },
        'allow-breaking': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) return { help: true };
    if (!values.base) throw new ReviewInputError('--base <git-ref> is required (e.g. --base origin/main)');
    return values;
  } catch (error) {
    throw error instanceof ReviewInputError ? error : new ReviewInputError(error.message);
  }
}

const newScratch = () => mkdtempSync(join(tmpdir(), 'cci-openapi-review-'));

/** Runs the review; its temporary files go to `scratch` (created when not given), removed at the end. */
export async function review(argv, scratch = undefined) {
  const options = parse(argv);
  if (options.help) {
    process.stdout.write('usage: npm run review -- --base <git-ref> [--out report.md] [--allow-breaking]\n');
    return 0;
  }
  const commit = resolveCommit(repoRoot, options.base);
  scratch ??= newScratch();
  try {
    const baseTree = join(scratch, 'base');
    const extracted = extractTree(repoRoot, commit, ['redocly.yaml', 'spec'], baseTree);
    if (!extracted.includes('spec'))
      throw new ReviewInputError(`--base ${refText(options.base)}: that commit has no spec/`);

    log(`bundling ${refText(options.base)} (${commit.slice(0, 12)}) and the working tree`);
    const baseBundle = bundleTree({ repoRoot, tree: baseTree, outDir: join(scratch, 'bundle-base') });
    const headBundle = bundleTree({ repoRoot, tree: repoRoot, outDir: join(scratch, 'bundle-head') });

    log('redocly diff');
    const changes = classifyChanges(redoclyDiff({ repoRoot, base: baseBundle, head: headBundle }));
    const bodies = bodyChanges(
      JSON.parse(readFileSync(baseBundle, 'utf8')),
      JSON.parse(readFileSync(headBundle, 'utf8')),
    );
    log('redocly lint');
    const lint = redoclyLint({ repoRoot });
    log('fidelity');
    const baseFidelity = fidelityOf(baseTree, baseBundle);
    const headFidelity = fidelityOf(repoRoot, headBundle);
    log('generated types');
    const baseTypes = generateTypes({ repoRoot, bundle: baseBundle, outDir: join(scratch, 'types-base') });
    const headTypes = generateTypes({ repoRoot, bundle: headBundle, outDir: join(scratch, 'types-head') });
    log('public API (API reports)');
    const api = apiChanges({ repo: repoRoot, commit });

    const breaking = changes.breaking.length > 0;
    const approvedBy = !breaking
      ? undefined
      : options['allow-breaking']
        ? '`--allow-breaking`'
        : commitMessages(repoRoot, commit).some((message) => message.includes(APPROVAL_MARKER))
          ? `\`${APPROVAL_MARKER}\` in a commit message`
          : undefined;

    const report = renderReport({
      base: { ref: options.base, commit },
      changes,
      verdict: { breaking, approvedBy },
      lint,
      fidelity: { base: baseFidelity, head: headFidelity, deviations: deviationChanges(baseFidelity, headFidelity) },
      types: { members: diffTypeMembers(baseTypes, headTypes), lines: lineDiff(baseTypes, headTypes) },
      bodies,
      api,
    });
    if (options.out) {
      writeFileSync(resolve(options.out), report);
      log(`report → ${options.out}`);
    } else {
      process.stdout.write(report);
    }
    log(
      `${changes.breaking.length} breaking, ${changes.nonBreaking.length} non-breaking change(s)${breaking ? (approvedBy ? `, approved by ${approvedBy}` : ', NOT approved') : ''}`,
    );
    return breaking && !approvedBy ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 };

/**
 * The command: a worker process does the review, this one waits. On SIGINT/SIGTERM the worker's
 * whole process group (the worker and the redocly/tsc/git it is running) gets SIGTERM; once it
 * is gone, the folder is removed. The folder is removed on every other ending too.
 */
function supervise(argv) {
  const scratch = newScratch();
  let signalled;
  // detached: its own process group, so the signal reaches its children as well, and a terminal's
  // Ctrl-C comes here first instead of racing to the worker.
  const worker = spawn(process.execPath, [fileURLToPath(import.meta.url), ...argv], {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, CCI_REVIEW_SCRATCH: scratch },
  });
  const stop = (signal) => {
    signalled ??= signal;
    try {
      process.kill(-worker.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const finish = (code) => {
    rmSync(scratch, { recursive: true, force: true });
    if (signalled) process.stderr.write(`review: stopped by ${signalled}; temporary files removed\n`);
    process.exit(signalled ? SIGNAL_EXIT[signalled] : code);
  };
  worker.on('error', (error) => {
    process.stderr.write(`review: failed: ${error.message}\n`);
    finish(3);
  });
  worker.on('exit', (code, signal) => finish(code ?? 128 + (constants.signals[signal] ?? 0)));
}

function runWorker(argv, scratch) {
  review(argv, scratch).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`review: ${error instanceof ReviewInputError ? '' : 'failed: '}${error.message}\n`);
      process.exit(error instanceof ReviewInputError ? 2 : 3);
    },
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const scratch = process.env.CCI_REVIEW_SCRATCH;
  if (scratch) runWorker(process.argv.slice(2), scratch);
  else supervise(process.argv.slice(2));
}
