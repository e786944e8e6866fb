// What reaches a person's terminal: the one place that neutralises control characters. A Service
// name, a Status message or a reason phrase comes from the server and could carry escape sequences
// (clear the screen, recolour, rewrite the title, hide text) or BiDi overrides that make text read
// differently from what it is. They are shown as visible escapes (\x1b, \u202e) instead.

/** C0 controls and DEL, C1 controls, and the BiDi formatting characters (embeddings, overrides, isolates, marks). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, less the line feed: multi-line text (a table, help) keeps its lines. */
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw: it escapes C0 itself, not DEL, C1, BiDi, or U+2028/U+2029. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return (
    NAMED[char] ??
    (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}

/** Text for a terminal: control and BiDi characters shown as escapes; line feeds kept unless `singleLine`. */
export function escapeControls(text: string, { singleLine = false }: { singleLine?: boolean } = {}): string {
  return text.replace(singleLine ? UNSAFE : UNSAFE_BUT_NEWLINE, visible);
}

/** True when the text holds a character escapeControls would change (line feeds included). */
export function hasControls(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/**
 * JSON or YAML text with the characters the serialisers leave raw written as \uXXXX escapes. Only
 * valid where those characters can only stand inside double-quoted strings: JSON text, and YAML
 * whose affected scalars were forced to double quotes (see format.ts).
 */
export function escapeRawInQuoted(text: string): string {
  return text.replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
