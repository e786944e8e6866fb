// The one escaper of the review kit for names it did not choose: the --base ref as given (a branch
// name can hold backticks, `<` and `>`; a rev such as `main^{/message}` spaces and newlines too),
// printed in the report's heading, in progress lines and in error messages.

const NAMED = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const BIDI_AND_SEPARATORS = new Set([
  0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
  0xfeff,
]);

/** A character that acts on a terminal, ends a Markdown line or reorders text: C0/C1 controls, DEL, line/paragraph separators, BiDi controls, BOM. */
const unprintable = (code) => code < 0x20 || (code >= 0x7f && code <= 0x9f) || BIDI_AND_SEPARATORS.has(code);

/**
 * The ref as one line of plain text: a backslash doubled, every unprintable character as an escape
 * (`\n`, `\t`, `\u001b`), so nothing in it moves the cursor, ends the line or reorders the text.
 * @param {string} ref
 */
export function refText(ref) {
  let text = '';
  for (const char of String(ref)) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') text += '\\\\';
    else if (unprintable(code)) text += NAMED[char] ?? `\\u${code.toString(16).padStart(4, '0')}`;
    else text += char;
  }
  return text;
}

/**
 * The ref as a Markdown code span, for the report: its text (refText: one line) between fences
 * longer than any run of backticks in it, padded with a space on each side (CommonMark strips
 * exactly one from each), so no backtick closes it early and nothing in it is read as HTML or
 * Markdown.
 * @param {string} ref
 */
export function refMarkdown(ref) {
  const text = refText(ref);
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence} ${text} ${fence}`;
}

/**
 * Text from the spec (an operationId, a path, a media type: a pull request's author chose them) as a
 * code span in a Markdown table cell: refMarkdown's escaping, and `|` escaped so it cannot end the cell.
 * @param {string} text
 */
export const cellCode = (text) => refMarkdown(text).replace(/\|/g, '\\|');
