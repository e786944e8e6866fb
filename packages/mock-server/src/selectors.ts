// Label and field selectors, parsed and matched as kube-apiserver v1.20 does it
// (k8s.io/apimachinery pkg/labels/selector.go and pkg/fields/selector.go), error wording included:
// a client tested against the mock sees the same 400 messages as against a cluster.

/**
 * The mock's bound on a selector (kube-apiserver has none beyond its request size): more terms, or
 * more values in all `in`/`notin` sets together, are answered 400 BadRequest like any invalid
 * selector, instead of costing the event loop terms × objects (1,500 terms on 20,000 objects held it
 * for a second). Ordinary selectors have a handful of terms.
 */
export const MAX_SELECTOR_TERMS = 100;
export const MAX_SELECTOR_VALUES = 1_000;

/** A selector failed to parse; `message` is kube-apiserver's wording (sent as a 400 BadRequest). */
export class SelectorError extends Error {
  override name = 'SelectorError';
}

type Operator = 'exists' | '!' | 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt';
export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}
export type LabelSelector = Requirement[];

// ── Lexer ──────────────────────────────────────────────────────────────────────────────────────
type Token = 'id' | 'eos' | '(' | ')' | ',' | '!' | '==' | '=' | '>' | '<' | '!=' | 'in' | 'notin' | 'error';
const LITERALS = new Map<string, Token>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['in', 'in'],
  ['<', '<'],
  ['!=', '!='],
  ['notin', 'notin'],
  ['(', '('],
]);
const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string) => '=!(),><'.includes(ch) && ch !== '';

function lex(input: string): Array<{ token: Token; literal: string }> {
  const items: Array<{ token: Token; literal: string }> = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input[pos] as string)) pos += 1;
    if (pos >= input.length) {
      items.push({ token: 'eos', literal: '' });
      return items;
    }
    const start = pos;
    if (isSpecial(input[pos] as string)) {
      // The longest run of special characters that is still an operator ("!=", "==", …).
      let last: { token: Token; literal: string } | undefined;
      let buffer = '';
      while (pos < input.length && isSpecial(input[pos] as string)) {
        buffer += input[pos];
        const token = LITERALS.get(buffer);
        if (token) {
          last = { token, literal: buffer };
          pos += 1;
        } else if (last) break;
        else pos += 1;
      }
      items.push(last ?? { token: 'error', literal: `error expected: keyword found '${input.slice(start, pos)}'` });
      continue;
    }
    while (pos < input.length && !isSpecial(input[pos] as string) && !isWhitespace(input[pos] as string)) pos += 1;
    const word = input.slice(start, pos);
    items.push({ token: LITERALS.get(word) ?? 'id', literal: word });
  }
}

// ── Validation of keys and values (k8s.io/apimachinery/pkg/util/validation) ───────────────────
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function qualifiedNameProblems(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0] as string;
  else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN.test(prefix)) {
        errs.push(
          "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        );
      }
    }
  } else {
    return [
      `a qualified name ${QUALIFIED_NAME_MESSAGE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME.test(name)) errs.push(`name part ${QUALIFIED_NAME_MESSAGE}`);
  return errs;
}

function labelValueProblems(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs;
}

function validateKey(key: string): void {
  const problems = qualifiedNameProblems(key);
  if (problems.length > 0) throw new SelectorError(`invalid label key ${goQuote(key)}: ${problems.join('; ')}`);
}

function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  validateKey(key);
  if ((operator === 'in' || operator === 'notin') && values.length === 0)
    throw new SelectorError("for 'in', 'notin' operators, values set can't be empty");
  if ((operator === '=' || operator === '==' || operator === '!=') && values.length !== 1)
    throw new SelectorError('exact-match compatibility requires one single value');
  if (operator === 'gt' || operator === 'lt') {
    if (values.length !== 1) throw new SelectorError("for 'Gt', 'Lt' operators, exactly one value is required");
    if (!/^[+-]?\d+$/.test(values[0] as string))
      throw new SelectorError("for 'Gt', 'Lt' operators, the value must be an integer");
  }
  for (const value of values) {
    const problems = labelValueProblems(value);
    if (problems.length > 0)
      throw new SelectorError(
        `invalid label value: ${goQuote(value)}: at key: ${goQuote(key)}: ${problems.join('; ')}`,
      );
  }
  return { key, operator, values };
}

/** Go's %q for the printable ASCII this can meet (JSON's escaping agrees there). */
const goQuote = (value: string) => JSON.stringify(value);

// ── Parser ─────────────────────────────────────────────────────────────────────────────────────
// Over ~60 lines on purpose: apimachinery's selector parser, token by token in one function as in
// labels/selector.go, so its error messages can be compared with the original case by case.
/** Parses a label selector such as `a=b,c!=d,e in (x,y),f notin (z),g,!h`; throws SelectorError. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: apimachinery's parser token by token, as in labels/selector.go (see above)
export function parseLabelSelector(input: string): LabelSelector {
  const items = lex(input);
  let position = 0;
  // In the "values" context, the keywords in/notin are plain identifiers ("x in (in)").
  const asValue = (token: Token): Token => (token === 'in' || token === 'notin' ? 'id' : token);
  const lookahead = (values = true) => {
    const item = items[position] as { token: Token; literal: string };
    return { token: values ? asValue(item.token) : item.token, literal: item.literal };
  };
  const consume = (values = true) => {
    const item = lookahead(values);
    position += 1;
    return item;
  };

  const parseExactValue = (): string[] => {
    const { token } = lookahead();
    if (token === 'eos' || token === ',') return [''];
    const next = consume();
    if (next.token === 'id') return [next.literal];
    throw new SelectorError(`found '${next.literal}', expected: identifier`);
  };
  const parseIdentifiersList = (): Set<string> => {
    const set = new Set<string>();
    for (;;) {
      const { token, literal } = consume();
      if (token === 'id') {
        set.add(literal);
        const next = lookahead();
        if (next.token === ',') continue;
        if (next.token === ')') return set;
        throw new SelectorError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token === ',') {
        if (set.size === 0) set.add('');
        const next = lookahead();
        if (next.token === ')') {
          set.add('');
          return set;
        }
        if (next.token === ',') {
          consume();
          set.add('');
        }
        continue;
      }
      throw new SelectorError(`found '${literal}', expected: ',', or identifier`);
    }
  };
  const parseValues = (): string[] => {
    const open = consume();
    if (open.token !== '(') throw new SelectorError(`found '${open.literal}' expected: '('`);
    const { token, literal } = lookahead();
    if (token === 'id' || token === ',') {
      const set = parseIdentifiersList();
      if (consume().token !== ')') throw new SelectorError(`found '${literal}', expected: ')'`);
      return [...set].sort();
    }
    if (token === ')') {
      consume();
      return [''];
    }
    throw new SelectorError(`found '${literal}', expected: ',', ')' or identifier`);
  };
  const parseRequirement = (): Requirement => {
    let operator: Operator | undefined;
    let { token, literal } = consume();
    if (token === '!') {
      operator = '!';
      ({ token, literal } = consume());
    }
    if (token !== 'id') throw new SelectorError(`found '${literal}', expected: identifier`);
    const key = literal;
    validateKey(key);
    const after = lookahead().token;
    if (after === 'eos' || after === ',') return newRequirement(key, operator ?? 'exists', []);
    if (operator === '!') return newRequirement(key, '!', []);
    const op = consume(false);
    const binary: Partial<Record<Token, Operator>> = {
      in: 'in',
      notin: 'notin',
      '=': '=',
      '==': '==',
      '!=': '!=',
      '>': 'gt',
      '<': 'lt',
    };
    const chosen = binary[op.token];
    if (!chosen) throw new SelectorError(`found '${op.literal}', expected: '=', '!=', '==', 'in', notin'`);
    const values = chosen === 'in' || chosen === 'notin' ? parseValues() : parseExactValue();
    return newRequirement(key, chosen, values);
  };

  const requirements: Requirement[] = [];
  for (;;) {
    const { token, literal } = lookahead();
    if (token === 'eos') break;
    if (token !== 'id' && token !== '!')
      throw new SelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
    if (requirements.length >= MAX_SELECTOR_TERMS) throw new SelectorError(tooManyTerms('label'));
    try {
      requirements.push(parseRequirement());
    } catch (error) {
      if (error instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${error.message}`);
      throw error;
    }
    const next = consume();
    if (next.token === 'eos') break;
    if (next.token !== ',') throw new SelectorError(`found '${next.literal}', expected: ',' or 'end of string'`);
    const following = lookahead();
    if (following.token !== 'id' && following.token !== '!')
      throw new SelectorError(`found '${following.literal}', expected: identifier after ','`);
  }
  const values = requirements.reduce((sum, requirement) => sum + requirement.values.length, 0);
  if (values > MAX_SELECTOR_VALUES) {
    throw new SelectorError(
      `label selector has ${values} values: the mock evaluates at most ${MAX_SELECTOR_VALUES} values in all of its sets together`,
    );
  }
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const tooManyTerms = (which: 'label' | 'field') =>
  `${which} selector has too many terms: the mock evaluates at most ${MAX_SELECTOR_TERMS}`;

/** Value sets of `in`/`notin` requirements, as Sets for lookups (kept beside the requirement, not in it). */
const valueSets = new WeakMap<Requirement, Set<string>>();
function includesValue(requirement: Requirement, value: string): boolean {
  if (requirement.values.length < 8) return requirement.values.includes(value);
  let set = valueSets.get(requirement);
  if (!set) valueSets.set(requirement, (set = new Set(requirement.values)));
  return set.has(value);
}

/** Whether labels satisfy every requirement (labels.Requirement.Matches). */
export function labelsMatch(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = (key: string) => labels !== undefined && Object.hasOwn(labels, key);
  return selector.every((requirement) => {
    const { key, operator, values } = requirement;
    switch (operator) {
      case 'exists':
        return has(key);
      case '!':
        return !has(key);
      case 'in':
      case '=':
      case '==':
        return has(key) && includesValue(requirement, labels?.[key] as string);
      case 'notin':
      case '!=':
        return !has(key) || !includesValue(requirement, labels?.[key] as string);
      case 'gt':
      case 'lt': {
        if (!has(key) || !/^[+-]?\d+$/.test(labels?.[key] as string)) return false;
        const actual = Number(labels?.[key]);
        const wanted = Number(values[0]);
        return operator === 'gt' ? actual > wanted : actual < wanted;
      }
      default:
        return false;
    }
  });
}

// ── Field selectors ────────────────────────────────────────────────────────────────────────────
export interface FieldTerm {
  field: string;
  /** "=" and "==" mean the same. */
  negated: boolean;
  value: string;
}
export type FieldSelector = FieldTerm[];

/** Fields a list can be selected by: the metadata fields every kind supports. */
const SELECTABLE_FIELDS = ['metadata.name', 'metadata.namespace'] as const;

/** Splits on commas that are not backslash-escaped (fields.splitTerms). */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i += 1) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

function unescapeValue(raw: string): string {
  if (!/[\\,=]/.test(raw)) return raw;
  let out = '';
  let inSlash = false;
  for (const c of raw) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=')
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    // Go prints the rune with %v, that is as its number.
    else if (c === ',' || c === '=')
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * Parses a field selector (`metadata.name=x,metadata.namespace!=y`); throws SelectorError. Fields
 * other than SELECTABLE_FIELDS are refused in kube-apiserver's words.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const terms: FieldSelector = [];
  const parts = splitTerms(selector);
  if (parts.filter((part) => part !== '').length > MAX_SELECTOR_TERMS) throw new SelectorError(tooManyTerms('field'));
  for (const part of parts.sort()) {
    if (part === '') continue;
    let split: { lhs: string; op: string; rhs: string } | undefined;
    for (let i = 0; i < part.length && !split; i += 1) {
      for (const op of ['!=', '==', '=']) {
        if (part.startsWith(op, i)) {
          split = { lhs: part.slice(0, i), op, rhs: part.slice(i + op.length) };
          break;
        }
      }
    }
    if (!split) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    terms.push({ field: split.lhs, negated: split.op === '!=', value: unescapeValue(split.rhs) });
  }
  for (const term of terms) {
    // runtime.DefaultMetaV1FieldSelectorConversion, which kube-apiserver v1.20 applies to Services.
    if (!(SELECTABLE_FIELDS as readonly string[]).includes(term.field))
      throw new SelectorError(
        `${JSON.stringify(term.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
  }
  return terms;
}

/** Whether an object's fields satisfy every term. */
export function fieldsMatch(selector: FieldSelector, metadata: { name?: string; namespace?: string }): boolean {
  return selector.every(({ field, negated, value }) => {
    const actual = (field === 'metadata.name' ? metadata.name : metadata.namespace) ?? '';
    return negated ? actual !== value : actual === value;
  });
}
