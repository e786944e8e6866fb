// The review report's heading names the --base ref as the user gave it. A branch name may hold
// backticks, `<` and `>`, and a rev such as `main^{/message}` spaces and newlines too: the kit
// escapes every ref it prints (scripts/lib/review-text.mjs), so none of it becomes HTML, Markdown
// or a second line in the report, on the terminal or in an error message.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../scripts/lib/review-report.mjs';
import { refMarkdown, refText } from '../../scripts/lib/review-text.mjs';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const EVIL_REFS = [
  'evil`<img/src=x/onerror=alert(1)>`',
  'main^{/(<img src=x onerror=alert(document.cookie)>)?spec}',
  'x``` <script>alert(1)</script> ```y',
  '`leading and trailing`',
  'main^{/(\n# Injected heading\n<img src=x onerror=alert(1)>\n)?spec}',
  'bidi\u202eexe.txt\u001b[2J\r\u2028',
];

function report(ref: string): string {
  return renderReport({
    base: { ref, commit: COMMIT },
    changes: { breaking: [], nonBreaking: [], redoclyBump: 'patch' },
    verdict: { breaking: false },
    lint: { errors: 0, warnings: 0, problems: [] },
    fidelity: { base: undefined, head: undefined, deviations: { added: [], removed: [] } },
    types: { members: { added: [], removed: [], changed: [] }, lines: { added: 0, removed: 0, unified: '' } },
  });
}

/**
 * The content of the first code span of a Markdown line, read by CommonMark's rules: a run of n
 * backticks opens it, the next run of exactly n closes it, and one space is stripped from each
 * side when both sides have one. Returns the rest of the line after it too.
 */
function firstCodeSpan(line: string): { content: string; before: string; after: string } {
  const open = /`+/.exec(line);
  if (!open) throw new Error(`no code span in ${JSON.stringify(line)}`);
  const fence = open[0];
  const start = open.index + fence.length;
  const closing = new RegExp(`(?<!\`)${fence}(?!\`)`, 'g');
  closing.lastIndex = start;
  const close = closing.exec(line);
  if (!close) throw new Error(`unclosed code span in ${JSON.stringify(line)}`);
  let content = line.slice(start, close.index);
  if (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
  return { content, before: line.slice(0, open.index), after: line.slice(close.index + fence.length) };
}

describe('the ref names the review kit prints', () => {
  it.each(EVIL_REFS)('the report heading holds %j as one code span on one line, escaped', (ref) => {
    const text = report(ref);
    const [heading, blank] = text.split('\n');
    expect(blank).toBe('');
    expect(heading).toMatch(/^# Spec review: `/);
    const span = firstCodeSpan(heading!);
    expect(span.before).toBe('# Spec review: ');
    // The span holds the whole ref (escaped to one line), and after it only the commit and the arrow.
    expect(span.content).toBe(refText(ref));
    expect(span.after).toBe(` (${COMMIT.slice(0, 12)}) → working tree`);
    // Nothing of the ref reached the report outside that span.
    expect(
      text.split('\n').filter((line) => line.includes('Injected') || line.includes('<img') || line.includes('<script')),
    ).toEqual(ref.includes('<') || ref.includes('Injected') ? [heading] : []);
  });

  it('refText escapes what ends a line, moves the cursor or reorders text, and nothing else', () => {
    expect(refText('origin/main')).toBe('origin/main');
    expect(refText('feature/x-1.2_y@z')).toBe('feature/x-1.2_y@z');
    expect(refText('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(refText('a\u001b[2Jb\u202ec\u2028d\u0085')).toBe('a\\u001b[2Jb\\u202ec\\u2028d\\u0085');
    // A backslash is doubled, so an escape in the output is never one the ref spelled itself.
    expect(refText('a\\nb')).toBe('a\\\\nb');
    expect(refText('a\\nb')).not.toBe(refText('a\nb'));
  });

  it('refMarkdown fences a ref with a longer run of backticks than any in it', () => {
    expect(refMarkdown('origin/main')).toBe('` origin/main `');
    expect(refMarkdown('a`b')).toBe('`` a`b ``');
    expect(refMarkdown('a```b`')).toBe('```` a```b` ````');
  });
});

describe('the request bodies table', () => {
  const bodies = [
    {
      operationId: 'patchX',
      method: 'PATCH',
      path: '/x/{name}',
      added: true,
      body: { required: true },
      request: [
        { mediaType: 'application/merge-patch+json', schema: 'Patch', change: 'added' as const },
        { mediaType: 'application/evil|<img src=x>', schema: 'S`|`', change: 'added' as const },
      ],
      responses: { added: ['application/json'], removed: [], all: ['application/json'] },
    },
    {
      operationId: 'deleteX',
      method: 'DELETE',
      path: '/x/{name}',
      added: false,
      body: { required: true, requiredBefore: false },
      request: [{ mediaType: 'application/json', schema: 'DeleteOptions', change: 'kept' as const }],
      responses: { added: [], removed: ['application/yaml'], all: ['application/json'] },
    },
  ];
  const text = renderReport({
    base: { ref: 'main', commit: COMMIT },
    changes: { breaking: [], nonBreaking: [], redoclyBump: 'minor' },
    verdict: { breaking: false },
    lint: { errors: 0, warnings: 0, problems: [] },
    fidelity: { base: undefined, head: undefined, deviations: { added: [], removed: [] } },
    types: { members: { added: [], removed: [], changed: [] }, lines: { added: 0, removed: 0, unified: '' } },
    bodies,
  });

  it('names each operation, its body and every media type with its schema, one row each', () => {
    expect(text).toContain('## Request bodies and media types: 2 operation(s) added or changed');
    const rows = text.split('\n').filter((line) => line.startsWith('| ` '));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(
      '` patchX ` ` PATCH /x/{name} ` **(new)** | required | ` application/merge-patch+json ` (` Patch `)',
    );
    expect(rows[1]).toContain(
      '| required (was optional) | ` application/json ` (` DeleteOptions `) | − ` application/yaml ` |',
    );
  });

  it('keeps what the spec says inside its cells: a | does not end one, backticks do not end the code span', () => {
    // Cells split on a | that is not escaped: still 4 cells (plus the empty ends).
    const cells = (row: string) => row.split(/(?<!\\)\|/);
    for (const row of text.split('\n').filter((line) => line.startsWith('| ` '))) expect(cells(row)).toHaveLength(6);
    expect(text).toContain('` application/evil\\|<img src=x> `');
    expect(text).toContain('`` S`\\|` ``');
  });

  it('says none when nothing changed', () => {
    expect(report('main')).toContain('## Request bodies and media types: 0 operation(s) added or changed\n\n_none_');
  });
});
