// RFC 7386 JSON Merge Patch as kube-apiserver 1.20 applies it (evanphx/json-patch v4.9.0's
// MergePatch): null deletes, objects merge, anything else replaces; nulls inside a value that is
// added (or that replaces a non-object) are pruned. A patch that is not a JSON object is answered as
// the real server does: 500 "Invalid JSON Patch" (a plain Go error), or — for an array, which
// MergePatch returns as the new document — the 422 of decoding an array into an object.
import { goTypeName, parseGoJson } from './go-json.js';
import { LARGE_PATCH_BYTES } from './json-patch.js';
import {
  badRequest,
  clone,
  internalError,
  invalidPatch,
  isObject,
  type Json,
  type JsonObject,
  type Outcome,
  setMember,
} from './problem.js';

const KIND_STRUCT =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** Removes null members of objects and null items of arrays, recursively (evanphx's pruneNulls). */
function pruneNulls(value: Json): Json {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(pruneNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) if (member !== null) setMember(out, key, pruneNulls(member));
  return out;
}

function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = doc[key];
    if (value === null) delete doc[key];
    else if (current === undefined || current === null) setMember(doc, key, pruneNulls(value));
    else if (!isObject(current)) setMember(doc, key, pruneNulls(value));
    // An object replaced by a non-object keeps the patch value as written (evanphx returns it unpruned).
    else if (!isObject(value)) setMember(doc, key, value);
    else mergeInto(current, value);
  }
}

/** Applies a merge patch body to `document` (not mutated). */
export function applyMergePatch(document: JsonObject, rawBody: string): Outcome {
  const parsed = parseGoJson(rawBody);
  if (!parsed.ok) return { ok: false, problem: internalError('Invalid JSON Patch') };
  const patch = parsed.value;
  if (Buffer.byteLength(rawBody) > LARGE_PATCH_BYTES && patch !== null && !isObject(patch)) {
    return {
      ok: false,
      problem: badRequest(
        `error decoding patch: json: cannot unmarshal ${goTypeName(patch)} into Go value of type map[string]interface {}`,
      ),
    };
  }
  if (Array.isArray(patch)) {
    const doc = JSON.stringify(pruneNulls(patch));
    return {
      ok: false,
      problem: invalidPatch(
        doc,
        `couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type ${KIND_STRUCT}`,
      ),
    };
  }
  if (!isObject(patch)) return { ok: false, problem: internalError('Invalid JSON Patch') };
  const result = clone(document);
  mergeInto(result, patch);
  return { ok: true, object: result };
}
