// Lists with kube-apiserver's paging: items in namespace/name order, `limit` with a `continue`
// token that pins the list to the revision of its first page (later pages show the same snapshot),
// `remainingItemCount` when nothing is filtered, and 410 Expired once the revision a token pins has
// been compacted away (the store keeps a bounded history), carrying kube's "inconsistent continue"
// token that resumes at the current revision.
import { fieldsMatch, labelsMatch } from './selectors.js';
import { parseResourceVersion, type ListOptions, type ListProblem } from './list-options.js';
import type { KubeObject, ObjectStore } from './store.js';

export interface ListScope {
  kind: string;
  listKind: string;
  apiVersion: string;
  /** undefined: every namespace. */
  namespace: string | undefined;
}

export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

const EXPIRED_LIST = 'The resourceVersion for the provided list is too old.';
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

// ── Continue tokens: kube's own format, base64url (unpadded) JSON {"v","rv","start"} ─────────────
/** `start` is the key to resume at, relative to the list's scope ("name\u0000" or "namespace/name\u0000"). */
function encodeContinue(start: string, revision: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start })).toString('base64url');
}

function decodeContinue(token: string): { start: string; revision: number } | { problem: ListProblem } {
  const invalid = (why: string) => ({
    problem: { code: 400, reason: 'BadRequest', message: `invalid continue token: continue key is not valid: ${why}` },
  });
  const illegal = /[^A-Za-z0-9_-]/.exec(token);
  if (illegal || token.length % 4 === 1)
    return invalid(`illegal base64 data at input byte ${illegal ? illegal.index : token.length - 1}`);
  const bytes = Buffer.from(token, 'base64url');
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return invalid(goJsonSyntaxError(bytes));
  }
  if (!parsed || typeof parsed !== 'object')
    return invalid('json: cannot unmarshal into Go value of type etcd3.continueToken');
  if (parsed.v !== 'meta.k8s.io/v1')
    return invalid(`server does not recognize this encoded version ${JSON.stringify(String(parsed.v ?? ''))}`);
  if (typeof parsed.rv !== 'number' || !Number.isSafeInteger(parsed.rv) || parsed.rv === 0 || parsed.rv < -1) {
    return invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof parsed.start !== 'string' || parsed.start.length === 0)
    return invalid('encoded start key empty (version meta.k8s.io/v1)');
  // kube-apiserver refuses keys that path.Clean would change ("../x"): they could escape the scope.
  if (parsed.start.split('/').some((segment) => segment === '..' || segment === '.')) return invalid(parsed.start);
  return { start: parsed.start, revision: parsed.rv };
}

/**
 * The message of Go's json.Unmarshal for input that is not JSON, for the common case (the first
 * byte cannot start a value): `invalid character '\u009e' looking for beginning of value`, the byte
 * quoted as Go's quoteChar does. Other syntax errors get a generic message.
 */
function goJsonSyntaxError(bytes: Buffer): string {
  let index = 0;
  while (index < bytes.length && ' \t\r\n'.includes(String.fromCharCode(bytes[index]!))) index += 1;
  if (index === bytes.length) return 'unexpected end of JSON input';
  const first = String.fromCharCode(bytes[index]!);
  if ('{["-0123456789tfn'.includes(first)) return 'invalid character looking for beginning of value';
  return `invalid character ${goQuoteChar(bytes[index]!)} looking for beginning of value`;
}

/** encoding/json's quoteChar: the byte as a rune (Latin-1), in strconv.Quote's escapes, in single quotes. */
function goQuoteChar(byte: number): string {
  if (byte === 0x27) return `'\\''`;
  if (byte === 0x22) return `'"'`;
  const named: Record<number, string> = {
    0x07: '\\a',
    0x08: '\\b',
    0x0c: '\\f',
    0x0a: '\\n',
    0x0d: '\\r',
    0x09: '\\t',
    0x0b: '\\v',
    0x5c: '\\\\',
  };
  if (named[byte] !== undefined) return `'${named[byte]}'`;
  if (byte < 0x20 || byte === 0x7f) return `'\\x${byte.toString(16).padStart(2, '0')}'`;
  // Go's unicode.IsPrint: the C1 controls, no-break space and soft hyphen are not printable.
  if ((byte >= 0x80 && byte <= 0xa0) || byte === 0xad) return `'\\u${byte.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(byte)}'`;
}

const tooLarge = (wanted: number, current: number): ListProblem => ({
  code: 504,
  reason: 'Timeout',
  message: `Timeout: Too large resource version: ${wanted}, current: ${current}`,
  details: {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  },
});

/** Which revision to read, and from which key. */
function pickRevision(
  store: ObjectStore,
  options: ListOptions,
): { revision: number; start: string } | { problem: ListProblem } {
  const current = store.revision();
  if (options.continueToken !== undefined) {
    const decoded = decodeContinue(options.continueToken);
    if ('problem' in decoded) return decoded;
    if (options.resourceVersion !== undefined && options.resourceVersion !== '0') {
      return {
        problem: {
          code: 400,
          reason: 'BadRequest',
          message: 'specifying resource version is not allowed when using continue',
        },
      };
    }
    // rv -1: the client accepted an inconsistent continuation, at the current revision.
    if (decoded.revision === -1) return { revision: current, start: decoded.start };
    if (decoded.revision < store.compactedRevision()) {
      return {
        problem: {
          code: 410,
          reason: 'Expired',
          message: INCONSISTENT_CONTINUE,
          continueToken: encodeContinue(decoded.start, -1),
        },
      };
    }
    return { revision: Math.min(decoded.revision, current), start: decoded.start };
  }
  const wanted = parseResourceVersion(options.resourceVersion);
  if (typeof wanted !== 'number') return wanted;
  if (wanted > current) return { problem: tooLarge(wanted, current) };
  if (options.resourceVersionMatch === 'Exact') {
    if (wanted < store.compactedRevision()) return { problem: { code: 410, reason: 'Expired', message: EXPIRED_LIST } };
    return { revision: wanted, start: '' };
  }
  // "", "0" and NotOlderThan are all served at the newest revision, which is never older than asked.
  return { revision: current, start: '' };
}

export function listObjects(
  store: ObjectStore,
  scope: ListScope,
  options: ListOptions,
): ListBody | { problem: ListProblem } {
  const picked = pickRevision(store, options);
  if ('problem' in picked) return picked;
  const entries = store.snapshot(scope.kind, picked.revision);
  if (!entries) return { problem: { code: 410, reason: 'Expired', message: EXPIRED_LIST } };
  // resourceVersion=0 without a continue token is served from kube-apiserver's watch cache, which
  // ignores limit (v1.20 cacher.shouldDelegateList): every item, no continue, no remainingItemCount.
  const fromWatchCache =
    options.resourceVersion === '0' && options.continueToken === undefined && options.resourceVersionMatch !== 'Exact';
  const limit = fromWatchCache ? 0 : options.limit;

  // Keys are "namespace/name"; in one namespace they are taken relative to it, as kube's key prefix.
  const prefix = scope.namespace === undefined ? '' : `${scope.namespace}/`;
  const from = prefix + picked.start;
  let index = lowerBound(entries, from);
  const items: KubeObject[] = [];
  let lastKey: string | undefined;
  for (; index < entries.length; index += 1) {
    const [key, object] = entries[index] as [string, KubeObject];
    if (!key.startsWith(prefix)) break;
    if (limit > 0 && items.length >= limit) break;
    lastKey = key;
    if (
      labelsMatch(options.labelSelector, object.metadata.labels) &&
      fieldsMatch(options.fieldSelector, object.metadata)
    )
      items.push(asListItem(object));
  }
  const metadata: ListBody['metadata'] = { resourceVersion: String(picked.revision) };
  const more = index < entries.length && (entries[index] as [string, KubeObject])[0].startsWith(prefix);
  if (more && lastKey !== undefined) {
    metadata.continue = encodeContinue(`${lastKey.slice(prefix.length)}\u0000`, picked.revision);
    if (options.unfiltered) metadata.remainingItemCount = countWithPrefix(entries, index, prefix);
  }
  return { kind: scope.listKind, apiVersion: scope.apiVersion, metadata, items };
}

/** kube-apiserver leaves apiVersion and kind out of list items: they are the list's. */
function asListItem(object: KubeObject): KubeObject {
  const { apiVersion: _apiVersion, kind: _kind, ...item } = object;
  return item as KubeObject;
}

/** First index whose key is ≥ `key` (entries are sorted by key). */
function lowerBound(entries: ReadonlyArray<[string, unknown]>, key: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((entries[mid] as [string, unknown])[0] < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

function countWithPrefix(entries: ReadonlyArray<[string, unknown]>, from: number, prefix: string): number {
  if (prefix === '') return entries.length - from;
  return lowerBound(entries, `${prefix.slice(0, -1)}0`) - from; // "0" sorts right after "/"
}
