// RFC 6902 JSON Patch as kube-apiserver 1.20 applies it: github.com/evanphx/json-patch v4.9.0
// (vendored by Kubernetes 1.20.2), with the apiserver's limits around it. Its quirks are kept on
// purpose, because clients see them: `replace` of a missing object key adds it, `copy` from a
// missing object key copies null, negative array indices count from the end, a path without a
// leading "/" addresses the root's last segment. Every failing operation is the same generic 422
// (the apiserver hides evanphx's message behind NewGenericServerResponse).
import {
  badRequest,
  clone,
  deepEqual,
  genericUnprocessable,
  isObject,
  type Json,
  type JsonObject,
  type Outcome,
  type Problem,
  setMember,
} from './problem.js';
import { goTypeName, parseGoJson } from './go-json.js';

/**
 * kube-apiserver's maxJSONPatchOperations: a patch of more operations is refused (413) before any is
 * applied. It bounds the work one request can ask for (each operation walks and may copy the object).
 */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;
/** Bodies above this size are decoded once more by the apiserver before patching (patch.go). */
export const LARGE_PATCH_BYTES = 1024 * 1024;
/** apiserver's JSONPatchMaxCopyBytes: the accumulated size `copy` operations may add (3 MiB). */
const MAX_JSON_PATCH_COPY_BYTES = 3 * 1024 * 1024;

type Container = JsonObject | Json[];
class PatchFailure extends Error {}

/** Parses a JSON Patch body as DecodePatch does: 400 for bad JSON or a body that is not a list of objects. */
function parseJsonPatch(
  rawBody: string,
): { ok: true; operations: Array<JsonObject | null> } | { ok: false; problem: Problem } {
  const parsed = parseGoJson(rawBody);
  if (!parsed.ok) return { ok: false, problem: badRequest(parsed.message) };
  const body = parsed.value;
  // Above 1 MiB the apiserver first decodes the body as a list, and answers a body that is not one itself.
  if (Buffer.byteLength(rawBody) > LARGE_PATCH_BYTES && body !== null && !Array.isArray(body)) {
    return {
      ok: false,
      problem: badRequest(
        `error decoding patch: json: cannot unmarshal ${goTypeName(body)} into Go value of type []interface {}`,
      ),
    };
  }
  if (body === null) return { ok: true, operations: [] };
  if (!Array.isArray(body))
    return {
      ok: false,
      problem: badRequest(`json: cannot unmarshal ${goTypeName(body)} into Go value of type jsonpatch.Patch`),
    };
  const bad = body.find((op) => op !== null && !isObject(op));
  if (bad !== undefined)
    return {
      ok: false,
      problem: badRequest(`json: cannot unmarshal ${goTypeName(bad)} into Go value of type jsonpatch.Operation`),
    };
  if (body.length > MAX_JSON_PATCH_OPERATIONS) {
    const message = `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${body.length}`;
    return { ok: false, problem: { status: 413, reason: 'RequestEntityTooLarge', message } };
  }
  return { ok: true, operations: body as Array<JsonObject | null> };
}

/** Applies a JSON Patch body to `document` (not mutated). */
export function applyJsonPatch(document: JsonObject, rawBody: string): Outcome {
  const parsed = parseJsonPatch(rawBody);
  if (!parsed.ok) return parsed;
  const root = clone(document);
  const copied = { bytes: 0 };
  try {
    for (const op of parsed.operations) applyOperation(root, op ?? {}, copied);
  } catch (error) {
    if (error instanceof PatchFailure) return { ok: false, problem: genericUnprocessable() };
    throw error;
  }
  return { ok: true, object: root };
}

function stringMember(op: JsonObject, name: string): string {
  const value = op[name];
  if (typeof value !== 'string') throw new PatchFailure(`operation has no string ${name}`);
  return value;
}

function applyOperation(root: JsonObject, op: JsonObject, copied: { bytes: number }): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  // A "value" member that is JSON null and a missing one differ only for `test` (evanphx's nil lazyNode).
  const value = Object.hasOwn(op, 'value') ? (op.value as Json) : undefined;
  switch (kind) {
    case 'add':
      add(locate(root, stringMember(op, 'path')), value ?? null);
      break;
    case 'remove':
      remove(locate(root, stringMember(op, 'path')));
      break;
    case 'replace':
      replace(locate(root, stringMember(op, 'path')), value ?? null);
      break;
    case 'move': {
      const source = locate(root, stringMember(op, 'from'));
      const moved = get(source);
      remove(source);
      add(locate(root, stringMember(op, 'path')), moved ?? null);
      break;
    }
    case 'copy': {
      const source = get(locate(root, stringMember(op, 'from')));
      const target = locate(root, stringMember(op, 'path'));
      copied.bytes += JSON.stringify(source ?? null).length;
      if (copied.bytes > MAX_JSON_PATCH_COPY_BYTES) throw new PatchFailure('accumulated copy size exceeded');
      add(target, source === undefined ? null : clone(source));
      break;
    }
    case 'test':
      test(locate(root, stringMember(op, 'path')), value);
      break;
    default:
      throw new PatchFailure(`Unexpected kind: ${kind}`);
  }
}

interface Location {
  container: Container;
  key: string;
}

const decodeKey = (part: string) => part.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));

/** evanphx's findObject: every segment but the last must name an existing object or array. */
function locate(root: JsonObject, path: string): Location {
  const split = path.split('/');
  if (split.length < 2) throw new PatchFailure(`doc is missing path: ${path}`);
  let container: Container = root;
  for (const part of split.slice(1, -1)) {
    const next = getFrom(container, decodeKey(part));
    if (next === undefined || next === null || typeof next !== 'object')
      throw new PatchFailure(`doc is missing path: ${path}`);
    container = next;
  }
  return { container, key: decodeKey(split[split.length - 1] ?? '') };
}

/** strconv.Atoi: an optional sign and decimal digits. */
function arrayIndex(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new PatchFailure(`not a proper array index: ${key}`);
  return Number(key);
}

function getFrom(container: Container, key: string): Json | undefined {
  if (!Array.isArray(container)) return Object.hasOwn(container, key) ? container[key] : undefined;
  const index = arrayIndex(key);
  // A negative index makes Go index out of range (a panic); the mock answers it as a failed operation.
  if (index >= container.length || index < 0) throw new PatchFailure(`invalid index ${index}`);
  return container[index];
}

function get(at: Location): Json | undefined {
  return getFrom(at.container, at.key);
}

function add({ container, key }: Location, value: Json): void {
  if (!Array.isArray(container)) {
    setMember(container, key, value);
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  let index = arrayIndex(key);
  const size = container.length + 1;
  if (index >= size || index < -size) throw new PatchFailure(`invalid index ${index}`);
  if (index < 0) index += size;
  container.splice(index, 0, value);
}

function remove({ container, key }: Location): void {
  if (!Array.isArray(container)) {
    if (!Object.hasOwn(container, key)) throw new PatchFailure(`Unable to remove nonexistent key: ${key}`);
    delete container[key];
    return;
  }
  let index = arrayIndex(key);
  if (index >= container.length || index < -container.length) throw new PatchFailure(`invalid index ${index}`);
  if (index < 0) index += container.length;
  container.splice(index, 1);
}

function replace(at: Location, value: Json): void {
  get(at);
  if (Array.isArray(at.container)) at.container[arrayIndex(at.key)] = value;
  else setMember(at.container, at.key, value);
}

function test(at: Location, expected: Json | undefined): void {
  const actual = get(at);
  // A missing or null member passes only against a null value (evanphx compares nil lazyNodes).
  if (actual === undefined || actual === null) {
    if (expected === null) return;
    throw new PatchFailure('test failed');
  }
  if (expected === undefined || !deepEqual(actual, expected)) throw new PatchFailure('test failed');
}
