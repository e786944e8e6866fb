// The words of Go's encoding/json errors, which kube-apiserver passes to clients as they are
// (a patch body that is not JSON is a 400 whose message is Go's). A small recursive scanner finds
// the first offending byte the way Go's scanner does; it runs only on bodies JSON.parse refused.

/** Go's name of a JSON value's kind in "cannot unmarshal X into Go value of type …". */
export function goTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : (typeof value as string);
}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const json = JSON.stringify(c).slice(1, -1);
  return `'${json}'`;
}

class SyntaxFailure extends Error {}
class EndOfInput extends Error {}

/** Go's json.Unmarshal message for a body that is not valid JSON. */
function goJsonSyntaxMessage(text: string, _cause?: unknown): string {
  try {
    new GoScanner(text).document();
  } catch (error) {
    if (error instanceof EndOfInput) return 'unexpected end of JSON input';
    if (error instanceof SyntaxFailure) return error.message;
  }
  return 'invalid JSON';
}

/**
 * k8s.io/apimachinery/pkg/util/json.Unmarshal (a json.Decoder): reads the first JSON value and
 * ignores what follows it; a truncated body is "unexpected EOF", an empty one "EOF".
 */
export function goDecodeFirst(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (exceedsGoDepth(text)) return { ok: false, message: 'exceeded max depth' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // Not one JSON document: find where the first value ends (the decoder ignores what follows).
  }
  try {
    const end = new GoScanner(text).firstValueEnd();
    return { ok: true, value: JSON.parse(text.slice(0, end)) };
  } catch (error) {
    if (error instanceof EndOfInput) return { ok: false, message: text.trim() === '' ? 'EOF' : 'unexpected EOF' };
    if (error instanceof SyntaxFailure) return { ok: false, message: error.message };
    return { ok: false, message: 'invalid JSON' };
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);

class GoScanner {
  private i = 0;
  /** Only runs on bodies within Go's depth limit (exceedsGoDepth is checked first), so recursion stays bounded. */
  private depth = 0;

  constructor(private readonly s: string) {}

  firstValueEnd(): number {
    this.value('looking for beginning of value');
    return this.i;
  }

  document(): void {
    this.value('looking for beginning of value');
    this.skip();
    if (this.i < this.s.length) this.fail('after top-level value');
  }

  private skip(): void {
    while (this.i < this.s.length && WS.has(this.s[this.i] as string)) this.i++;
  }

  private peek(): string {
    this.skip();
    if (this.i >= this.s.length) throw new EndOfInput();
    return this.s[this.i] as string;
  }

  private fail(context: string): never {
    throw new SyntaxFailure(`invalid character ${quoteChar(this.s[this.i] as string)} ${context}`);
  }

  private value(context: string): void {
    const c = this.peek();
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.string();
    else if (c === '-' || (c >= '0' && c <= '9')) this.number();
    else {
      const literal = ['true', 'false', 'null'].find((word) => word[0] === c);
      if (literal === undefined) this.fail(context);
      this.literal(literal);
    }
  }

  private nest(): void {
    if (++this.depth > 10_000) throw new SyntaxFailure('exceeded max depth');
  }

  private object(): void {
    this.nest();
    this.i++;
    if (this.peek() === '}') {
      this.i++;
      this.depth--;
      return;
    }
    for (;;) {
      if (this.peek() !== '"') this.fail('looking for beginning of object key string');
      this.string();
      if (this.peek() !== ':') this.fail('after object key');
      this.i++;
      this.value('looking for beginning of value');
      const c = this.peek();
      this.i++;
      if (c === '}') break;
      if (c !== ',') {
        this.i--;
        this.fail('after object key:value pair');
      }
    }
    this.depth--;
  }

  private array(): void {
    this.nest();
    this.i++;
    if (this.peek() === ']') {
      this.i++;
      this.depth--;
      return;
    }
    for (;;) {
      this.value('looking for beginning of value');
      const c = this.peek();
      this.i++;
      if (c === ']') break;
      if (c !== ',') {
        this.i--;
        this.fail('after array element');
      }
    }
    this.depth--;
  }

  private string(): void {
    this.i++;
    for (;;) {
      if (this.i >= this.s.length) throw new EndOfInput();
      const c = this.s[this.i] as string;
      if (c === '"') {
        this.i++;
        return;
      }
      if (c < ' ') this.fail('in string literal');
      if (c === '\\') {
        this.i++;
        if (this.i >= this.s.length) throw new EndOfInput();
        const e = this.s[this.i] as string;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            this.i++;
            if (this.i >= this.s.length) throw new EndOfInput();
            if (!/[0-9a-fA-F]/.test(this.s[this.i] as string)) this.fail('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) this.fail('in string escape code');
      }
      this.i++;
    }
  }

  private digits(context: string): void {
    if (this.i >= this.s.length) throw new EndOfInput();
    if (!/[0-9]/.test(this.s[this.i] as string)) this.fail(context);
    while (this.i < this.s.length && /[0-9]/.test(this.s[this.i] as string)) this.i++;
  }

  private number(): void {
    if (this.s[this.i] === '-') {
      this.i++;
      this.digits('in numeric literal');
    } else if (this.s[this.i] === '0') this.i++;
    else this.digits('in numeric literal');
    if (this.s[this.i] === '.') {
      this.i++;
      this.digits('after decimal point in numeric literal');
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      this.digits('in exponent of numeric literal');
    }
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) {
      if (this.i >= this.s.length) throw new EndOfInput();
      if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting ${quoteChar(word[k] as string)})`);
      this.i++;
    }
  }
}

/** Go's fmt %v of a decoded JSON value (map[string]interface{} prints its keys sorted). */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(' ')}]`;
  }
  return String(value);
}

/**
 * Go's encoding/json refuses nesting deeper than 10,000 ("exceeded max depth"). The mock refuses
 * from 1,000 on, with the same answer: JavaScript's recursive JSON.stringify/structuredClone and the
 * engines' walks do not survive 10,000 levels, and no Kubernetes object nests beyond a few dozen.
 */
const MAX_JSON_DEPTH = 1_000;

/** Whether `text` nests arrays/objects deeper than Go accepts, found without recursion (strings skipped). */
function exceedsGoDepth(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** JSON.parse behind Go's depth limit: the parsed value, or Go's message for a body it refuses. */
export function parseGoJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (exceedsGoDepth(text)) return { ok: false, message: 'exceeded max depth' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: goJsonSyntaxMessage(text, error) };
  }
}
