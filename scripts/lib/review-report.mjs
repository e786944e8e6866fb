// Renders the review's findings as Markdown for a pull request (a job summary or a comment).
import { describePointer } from './review-changes.mjs';
import { lineDiff, subtreeRoots } from './review-types.mjs';
import { cellCode, refMarkdown } from './review-text.mjs';

const MAX_LIST = 50;
const MAX_DIFF_LINES = 300;

const list = (items, render) => {
  if (items.length === 0) return '_none_\n';
  const shown = items.slice(0, MAX_LIST).map((item) => `- ${render(item)}`);
  if (items.length > MAX_LIST) shown.push(`- … and ${items.length - MAX_LIST} more`);
  return `${shown.join('\n')}\n`;
};

/** Where a change is, when redocly's message does not say ("Request body became required."): a shared request body names the component. */
const where = (item) => {
  const at = item.pointer ? describePointer(item.pointer) : '';
  return at && !item.message.includes(at) ? ` — at ${refMarkdown(at)}` : '';
};
const change = (item) =>
  `${item.message}${where(item)} <sub>\`${item.rule}\`${item.source === 'review-kit' ? ' (review kit)' : ''}</sub>`;

/**
 * @param {{ base: {ref: string, commit: string}, changes: ReturnType<import('./review-changes.mjs').classifyChanges>,
 *   verdict: { breaking: boolean, approvedBy?: string }, lint: {errors: number, warnings: number, problems: string[]},
 *   fidelity: { base: any, head: any, deviations: {added: string[], removed: string[]} },
 *   types: { members: ReturnType<import('./review-types.mjs').diffTypeMembers>, lines: ReturnType<import('./review-types.mjs').lineDiff> },
 *   bodies?: import('./review-bodies.mjs').BodyChange[], api?: ReturnType<import('./review-api.mjs').diffApiReports> }} review
 */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: the report's sections top to bottom, as a reviewer reads them, each a few lines
export function renderReport({ base, changes, verdict, lint, fidelity, types, bodies = [], api }) {
  const out = [];
  // The ref is the user's (a crafted branch name): escaped, never raw Markdown.
  out.push(`# Spec review: ${refMarkdown(base.ref)} (${base.commit.slice(0, 12)}) → working tree\n`);
  if (!verdict.breaking)
    out.push(`✅ **No breaking API change.** redocly diff rates the change \`${changes.redoclyBump}\`.\n`);
  else if (verdict.approvedBy)
    out.push(`⚠️ **${changes.breaking.length} breaking API change(s), approved** by ${verdict.approvedBy}.\n`);
  else
    out.push(
      `❌ **${changes.breaking.length} breaking API change(s), not approved.** Approve with \`--allow-breaking\` or \`[breaking-change-approved]\` in a commit message of the pull request.\n`,
    );

  out.push('## API changes (redocly diff, by semver impact)\n');
  out.push(`### Breaking (major): ${changes.breaking.length}\n`);
  out.push(list(changes.breaking, change));
  out.push(`### Non-breaking (minor / patch): ${changes.nonBreaking.length}\n`);
  out.push(list(changes.nonBreaking, (item) => `${item.impact}: ${change(item)}`));

  out.push(...requestBodies(bodies));

  out.push('## Lint (redocly lint, repository rules)\n');
  out.push(
    lint.errors + lint.warnings === 0
      ? '✅ 0 errors, 0 warnings\n'
      : `❌ ${lint.errors} error(s), ${lint.warnings} warning(s)\n\n${list(lint.problems, (p) => p)}`,
  );

  out.push('## Fidelity to the source documents\n');
  if (!fidelity.head) {
    out.push('_The working tree has no source documents to check against._\n');
  } else {
    // One row per source (spec/source/<name>/): its figure in base and in the working tree.
    const names = [
      ...new Set([...(fidelity.base?.sources ?? []), ...fidelity.head.sources].map((source) => source.name)),
    ];
    const side = (tree, name) => tree?.sources.find((source) => source.name === name);
    out.push(
      '| source | base | head | declared deviations (head) | problems (head) |\n| --- | --- | --- | --- | --- |',
    );
    for (const name of names) {
      const [before, after] = [side(fidelity.base, name), side(fidelity.head, name)];
      out.push(
        `| ${name} | ${before ? before.figure.replace(/, \d+ declared deviations$/, '') : 'n/a'} | ${after ? after.figure.replace(/, \d+ declared deviations$/, '') : 'n/a'} | ${after ? after.deviations.length : 'n/a'} | ${after ? after.problems.length : 'n/a'} |`,
      );
    }
    out.push('');
    out.push(
      `Deviations added: ${fidelity.deviations.added.length ? fidelity.deviations.added.map((d) => `\`${d}\``).join(', ') : 'none'}. `,
    );
    out.push(
      `Deviations removed: ${fidelity.deviations.removed.length ? fidelity.deviations.removed.map((d) => `\`${d}\``).join(', ') : 'none'}.\n`,
    );
    const problems = [
      ...fidelity.head.sources.flatMap((source) => source.problems.map((problem) => `${source.name}: ${problem}`)),
      ...fidelity.head.uncovered.map(
        (operation) => `operation ${operation} comes from no source (declare it in a spec/source/*/source.yaml)`,
      ),
    ];
    if (problems.length > 0) out.push(`Problems in the working tree:\n\n${list(problems, (p) => p)}`);
  }

  out.push('## Generated types (packages/types/index.d.ts)\n');
  const { members, lines } = types;
  out.push(
    `${lines.added} line(s) added, ${lines.removed} removed; members: ${members.added.length} added, ${members.removed.length} removed, ${members.changed.length} changed.\n`,
  );
  const subtree = ({ path, members }) => `\`${path}\`${members ? ` and ${members} member(s) under it` : ''}`;
  if (members.removed.length) out.push(`Removed members:\n\n${list(subtreeRoots(members.removed), subtree)}`);
  if (members.added.length) out.push(`Added members:\n\n${list(subtreeRoots(members.added), subtree)}`);
  if (members.changed.length)
    out.push(`Changed members:\n\n${list(members.changed, (m) => `\`${m.path}\`: \`${m.base}\` → \`${m.head}\``)}`);
  if (lines.unified) {
    const diffLines = lines.unified.split('\n');
    const shown = diffLines.slice(0, MAX_DIFF_LINES).join('\n');
    const more = diffLines.length > MAX_DIFF_LINES ? `\n… ${diffLines.length - MAX_DIFF_LINES} more lines` : '';
    out.push(
      `<details><summary>Diff of the generated types</summary>\n\n\`\`\`diff\n${shown}${more}\n\`\`\`\n\n</details>\n`,
    );
  }
  if (api) out.push(...publicApi(api));
  return `${out.join('\n')}\n`;
}

const names = (items) =>
  items
    .slice(0, MAX_LIST)
    .map((name) => `\`${name}\``)
    .join(', ') + (items.length > MAX_LIST ? ` … and ${items.length - MAX_LIST} more` : '');

/**
 * The packages' public API (their API reports): per entry, the exports added, removed and changed.
 * @param {ReturnType<import('./review-api.mjs').diffApiReports>} api
 */
function publicApi({ baseHasReports, entries }) {
  const out = ['## Public API of the packages (API reports, packages/*/api/*.api.md)\n'];
  if (entries.length === 0) return [...out, '_Neither the base nor the working tree has API reports._\n'];
  if (!baseHasReports) {
    const counts = entries.map((entry) => `| \`${entry.label}\` | ${entry.added.length} |`);
    return [
      ...out,
      '_The base has no API reports to compare with. The working tree has:_\n',
      '| entry | exports |\n| --- | --- |',
      ...counts,
      '',
    ];
  }
  const touched = entries.filter((entry) => entry.status !== 'unchanged');
  const unchanged = entries.filter((entry) => entry.status === 'unchanged');
  if (touched.length === 0) out.push('✅ No export added, removed or changed.\n');
  for (const entry of touched) {
    const counts = `${entry.added.length} added, ${entry.removed.length} removed, ${entry.changed.length} changed`;
    const what = { added: 'new entry', removed: 'entry removed', changed: counts }[entry.status];
    out.push(`### \`${entry.label}\`: ${what}${entry.status === 'changed' ? '' : ` (${counts})`}\n`);
    if (entry.removed.length) out.push(`Removed (breaking for users of them): ${names(entry.removed)}\n`);
    if (entry.changed.length) out.push(`Changed: ${names(entry.changed.map((item) => item.name))}\n`);
    if (entry.added.length) out.push(`Added: ${names(entry.added)}\n`);
    if (entry.changed.length) {
      const diffs = entry.changed
        .slice(0, MAX_LIST)
        .map((item) => `\`\`\`diff\n${lineDiff(`${item.base}\n`, `${item.head}\n`).unified}\n\`\`\``);
      out.push(
        `<details><summary>Changed declarations of ${entry.label}</summary>\n\n${diffs.join('\n\n')}\n\n</details>\n`,
      );
    }
  }
  if (unchanged.length) out.push(`Unchanged: ${names(unchanged.map((entry) => entry.label))}.\n`);
  return out;
}

const MARK = { added: '+ ', removed: '− ', kept: '', 'schema changed': '' };

/** One request media type and its schema: on an operation that was there, `+ …` when added, `− …` when removed, (Old → New) when its schema changed. */
const requestMedia = (media, isNew) =>
  `${isNew ? '' : MARK[media.change]}${cellCode(media.mediaType)} (${media.was ? `${cellCode(media.was)} → ` : ''}${cellCode(media.schema)})`;

/** The table of operations whose request body or media types the change adds or alters. */
function requestBodies(bodies) {
  const out = [`## Request bodies and media types: ${bodies.length} operation(s) added or changed\n`];
  if (bodies.length === 0) return [...out, '_none_\n'];
  out.push(
    '| operation | request body | request media types (schema) | response media types |\n| --- | --- | --- | --- |',
  );
  for (const item of bodies.slice(0, MAX_LIST)) {
    const body = !item.body
      ? 'none'
      : `${item.body.required ? 'required' : 'optional'}${item.body.requiredBefore === undefined ? '' : ` (was ${item.body.requiredBefore ? 'required' : 'optional'})`}`;
    const responses = item.added
      ? item.responses.all.map(cellCode).join(', ')
      : [
          ...item.responses.added.map((m) => `+ ${cellCode(m)}`),
          ...item.responses.removed.map((m) => `− ${cellCode(m)}`),
        ].join(', ') || 'unchanged';
    out.push(
      `| ${cellCode(item.operationId ?? '')} ${cellCode(`${item.method} ${item.path}`)}${item.added ? ' **(new)**' : ''} | ${body} | ${item.request.map((media) => requestMedia(media, item.added)).join(', ') || '–'} | ${responses || '–'} |`,
    );
  }
  if (bodies.length > MAX_LIST) out.push(`\n… and ${bodies.length - MAX_LIST} more`);
  return [...out, ''];
}
