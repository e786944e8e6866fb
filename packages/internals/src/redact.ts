// The one redactor of the repository: the client cuts the token out of its errors with it, and the
// CLI passes everything it writes through it. Secrets are matched whole, in every form they take
// in text (raw, JSON-escaped, percent-encoded); a PEM private key is blanked whatever its source.

export const REDACTED = '[REDACTED]';

/**
 * Secrets shorter than this are only cut out where they stand alone (between non-word characters):
 * replacing every "e" of a text because the token is "e" would shred it and hide nothing. Real
 * tokens (IAM tokens, service-account JWTs, kubeconfig tokens) are far longer.
 */
export const MIN_SECRET_LENGTH = 8;

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
/** What counts as part of a word when a short secret is matched on its boundaries. */
const WORD = '[\\p{L}\\p{N}_-]';

/** The forms a secret takes inside other text: raw, in a JSON string (also as JSON inside JSON, and with `\/` or Go's `\u003c`), percent-encoded. */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const goJson = json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const forms = new Set([secret, json, json.replace(/\//g, '\\/'), goJson, JSON.stringify(json).slice(1, -1)]);
  try {
    forms.add(encodeURIComponent(secret));
  } catch {
    // a lone surrogate has no percent-encoding
  }
  forms.delete('');
  return [...forms];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Matcher {
  length: number;
  apply(text: string): string;
}

function matcherFor(form: string): Matcher {
  if (form.length >= MIN_SECRET_LENGTH)
    return { length: form.length, apply: (text) => (text.includes(form) ? text.split(form).join(REDACTED) : text) };
  const pattern = new RegExp(`(?<!${WORD})${escapeRegExp(form)}(?!${WORD})`, 'gu');
  return { length: form.length, apply: (text) => (text.includes(form) ? text.replace(pattern, REDACTED) : text) };
}

function compile(secrets: Iterable<string | undefined>): Matcher[] {
  const forms = new Set<string>();
  for (const secret of secrets)
    if (typeof secret === 'string' && secret) for (const form of secretForms(secret)) forms.add(form);
  // Longest first, so that a secret containing another is hidden whole.
  return [...forms].sort((a, b) => b.length - a.length).map(matcherFor);
}

function applyAll(text: string, matchers: readonly Matcher[]): string {
  let clean = text.includes('PRIVATE KEY-----') ? text.replace(PEM_PRIVATE_KEY, REDACTED) : text;
  for (const matcher of matchers) clean = matcher.apply(clean);
  return clean;
}

/** Cuts every secret (a token, a key, in each of its forms) and any PEM private key out of a text. */
export function redact(text: string, secrets: readonly string[]): string {
  return applyAll(text, compile(secrets));
}

/** Past this depth a value kept on an error is replaced: it keeps JSON.stringify(error) from overflowing the stack. */
const MAX_KEPT_DEPTH = 32;
const TOO_DEEP = '[nested too deep]';

/**
 * A copy of a JSON value with every string (keys too) redacted and nesting cut at `maxDepth`, fit
 * to keep on an error that will be logged, stringified and inspected.
 */
export function redactValue<T>(value: T, secrets: readonly string[], maxDepth: number = MAX_KEPT_DEPTH): T {
  const matchers = compile(secrets);
  const copy = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return applyAll(item, matchers);
    if (typeof item !== 'object' || item === null) return item;
    if (depth >= maxDepth) return TOO_DEEP;
    if (Array.isArray(item)) return item.map((element) => copy(element, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, element] of Object.entries(item)) out[applyAll(key, matchers)] = copy(element, depth + 1);
    return out;
  };
  return copy(value, 0) as T;
}

export interface Redactor {
  /** Adds a secret to hide from now on (empty and undefined are ignored). */
  add(secret: string | undefined): void;
  redact(text: string): string;
}

/** A redactor that learns its secrets as they become known (the CLI registers tokens before parsing its arguments). */
export function createRedactor(initial: readonly string[] = []): Redactor {
  const secrets = new Set<string>(initial.filter(Boolean));
  let matchers: Matcher[] | undefined;
  return {
    add(secret) {
      if (typeof secret !== 'string' || !secret || secrets.has(secret)) return;
      secrets.add(secret);
      matchers = undefined;
    },
    redact(text) {
      matchers ??= compile(secrets);
      return applyAll(text, matchers);
    },
  };
}

/** Longest piece of a server's answer quoted in an error message, by default. */
const MAX_QUOTED = 200;

/** Control and bidi characters, escaped wherever a server's text goes into a message (it could forge lines or reorder a terminal). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\0-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * The one way text a server (or a caller) sent goes into a message: secrets cut out, control and
 * bidi characters escaped, cut to `maxLength` characters (saying how long it was).
 */
export function sanitizeText(text: unknown, secrets: readonly string[] = [], maxLength: number = MAX_QUOTED): string {
  const clean = redact(String(text), secrets);
  const cut = clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
  return cut.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** sanitizeText, in double quotes: for a value named in a message (an event type, a kind). */
export const sanitizeForMessage = (text: unknown, secrets: readonly string[] = [], maxLength?: number): string =>
  `"${sanitizeText(text, secrets, maxLength)}"`;
