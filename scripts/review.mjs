// `npm run review -- --base <git-ref> [--out report.md] [--allow-breaking]`
//
// A Markdown review of a spec change for a pull request: the API changes between the base ref's spec
// and the working tree's (redocly diff, breaking / non-breaking), the lint result, the fidelity figure
// and the generated types' diff. Exits 1 on a breaking change unless it is approved — by
// --allow-breaking, or by `[breaking-change-approved]` in a commit message of base..HEAD — and 2 on bad
// input. Progress goes to stderr; the report to --out or stdout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { classifyChanges } from './lib/review-changes.mjs';
import { deviationChanges, fidelityOf } from './lib/review-fidelity.mjs';
import { commitMessages, extractTree, resolveCommit, ReviewInputError } from './lib/review-git.mjs';
import { renderReport } from './lib/review-report.mjs';
import { bundleTree, generateTypes, redoclyDiff, redoclyLint } from './lib/review-tools.mjs';
import { diffTypeMembers, lineDiff } from './lib/review-types.mjs';

export const APPROVAL_MARKER = '[breaking-change-approved]';
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (message) => process.stderr.write(`review: ${message}\n`);

function parse(argv) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { base: { type: 'string' }, out: { type: 'string' }, 'allow-breaking': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    });
    if (values.help) return { help: true };
    if (!values.base) throw new ReviewInputError('--base <git-ref> is required (e.g. --base origin/main)');
    return values;
  } catch (error) {
    throw error instanceof ReviewInputError ? error : new ReviewInputError(error.message);
  }
}

export async function review(argv) {
  const options = parse(argv);
  if (options.help) {
    process.stdout.write('usage: npm run review -- --base <git-ref> [--out report.md] [--allow-breaking]\n');
    return 0;
  }
  const commit = resolveCommit(repoRoot, options.base);
  const scratch = mkdtempSync(join(tmpdir(), 'cce-openapi-review-'));
  try {
    const baseTree = join(scratch, 'base');
    const extracted = extractTree(repoRoot, commit, ['redocly.yaml', 'spec'], baseTree);
    if (!extracted.includes('spec')) throw new ReviewInputError(`--base ${options.base}: that commit has no spec/`);

    log(`bundling ${options.base} (${commit.slice(0, 12)}) and the working tree`);
    const baseBundle = bundleTree({ repoRoot, tree: baseTree, outDir: join(scratch, 'bundle-base') });
    const headBundle = bundleTree({ repoRoot, tree: repoRoot, outDir: join(scratch, 'bundle-head') });

    log('redocly diff');
    const changes = classifyChanges(redoclyDiff({ repoRoot, base: baseBundle, head: headBundle }));
    log('redocly lint');
    const lint = redoclyLint({ repoRoot });
    log('fidelity');
    const baseFidelity = fidelityOf(baseTree, baseBundle);
    const headFidelity = fidelityOf(repoRoot, headBundle);
    log('generated types');
    const baseTypes = generateTypes({ repoRoot, bundle: baseBundle, outDir: join(scratch, 'types-base') });
    const headTypes = generateTypes({ repoRoot, bundle: headBundle, outDir: join(scratch, 'types-head') });

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
    });
    if (options.out) {
      writeFileSync(resolve(options.out), report);
      log(`report → ${options.out}`);
    } else {
      process.stdout.write(report);
    }
    log(`${changes.breaking.length} breaking, ${changes.nonBreaking.length} non-breaking change(s)${breaking ? (approvedBy ? `, approved by ${approvedBy}` : ', NOT approved') : ''}`);
    return breaking && !approvedBy ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  review(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`review: ${error instanceof ReviewInputError ? '' : 'failed: '}${error.message}\n`);
      process.exit(error instanceof ReviewInputError ? 2 : 3);
    },
  );
}
