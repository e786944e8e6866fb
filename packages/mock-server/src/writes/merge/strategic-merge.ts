// Strategic merge patch as kube-apiserver 1.20 applies it (k8s.io/apimachinery/pkg/util/strategicpatch,
// StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls), ported function by
// function so that its quirks stay: a `$deleteFromPrimitiveList/x` list on an object without `x`
// sets `x` to that list; a list whose field has no merge strategy is replaced even by a deletion
// list; scalar lists are de-duplicated by Go's swap-with-last loop; lists are re-ordered by Go's
// stable sort with the same non-strict comparator. Which lists merge, and by which key, comes from
// the OpenAPI schema's x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key (patch-meta.ts).
import { goDecodeFirst, goFormat, goTypeName } from './go-json.js';
import { goSliceStable } from './go-sort.js';
import type { TypeMeta } from './patch-meta.js';
import {
  badRequest,
  clone,
  genericUnprocessable,
  internalError,
  isObject,
  type Json,
  type JsonObject,
  type Outcome,
  type Problem,
  setMember,
} from './problem.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

class SmpFailure extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

const fail500 = (message: string) => new SmpFailure(internalError(message));
const fail400 = (message: string) => new SmpFailure(badRequest(message));

/** The Go type a decoded JSON value has (reflect.TypeOf on map[string]interface{} content). */
function goKind(v: Json | undefined): string {
  if (v === undefined || v === null) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'object' ? 'map' : typeof v;
}

interface FieldPatchMeta {
  schema: TypeMeta | undefined;
  strategy: string;
  mergeKey: string;
}

/** LookupPatchMetadataFor{Struct,Slice}: the field's own schema (or a list's element schema) and its patch strategy. */
function lookup(schema: TypeMeta | undefined, key: string, slice: boolean): FieldPatchMeta {
  let field: TypeMeta | undefined;
  if (schema?.kind === 'struct') field = schema.field(key);
  else if (schema?.kind === 'map') field = schema.elem;
  if (field?.kind !== 'list') return { schema: field, strategy: '', mergeKey: '' };
  const strategies = field.patchStrategies;
  if (strategies.length > 2) throw fail500(`unexpected patch strategy: [${strategies.join(' ')}]`);
  // extractRetainKeysPatchStrategy: "retainKeys" combines with one other strategy.
  const strategy = strategies.filter((s) => s !== 'retainKeys')[0] ?? '';
  return { schema: slice ? field.elem : field, strategy, mergeKey: field.patchMergeKey };
}

function noMergeKey(item: Json, key: string): SmpFailure {
  return fail500(`map: ${goFormat(item)} does not contain declared merge key: ${key}`);
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw fail400('invalid patch format of primitive list');
    throw fail400('invalid patch format of setElementOrder list');
  }
  return key.slice(slash + 1);
}

function handleDirectiveInMergeMap(directive: Json, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw fail500(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
}

function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw fail400('invalid patch format of retainKeys');
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw fail400('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function mergeMap(original: JsonObject | null, patch: JsonObject, schema: TypeMeta | undefined): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return handleDirectiveInMergeMap(patch[DIRECTIVE] as Json, patch);
  const out = original ?? {};
  applyRetainKeysDirective(out, patch);
  mergePatchIntoOriginal(out, patch, schema);
  for (const [rawKey, patchV] of Object.entries(patch)) {
    let k = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      k = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete out[k];
      continue;
    }
    const current = out[k];
    if (current === undefined || goKind(current) !== goKind(patchV)) {
      setMember(out, k, patchV);
      continue;
    }
    if (Array.isArray(current)) {
      const meta = lookup(schema, k, true);
      setMember(out, k, mergeSliceHandler(current, patchV as Json[], meta, isDeleteList));
    } else if (isObject(current)) {
      const meta = lookup(schema, k, false);
      setMember(
        out,
        k,
        meta.strategy === 'replace' ? (patchV as JsonObject) : mergeMap(current, patchV as JsonObject, meta.schema),
      );
    } else setMember(out, k, patchV);
  }
  return out;
}

function mergeSliceHandler(original: Json[], patch: Json[], meta: FieldPatchMeta, isDeleteList: boolean): Json[] {
  if (meta.strategy !== 'merge') return patch;
  return mergeSlice(original, patch, meta.schema, meta.mergeKey, isDeleteList);
}

/** sliceElementType: every item of every list has the same Go type; lists of lists are refused. */
function sliceElementKind(...lists: Json[][]): string {
  let kind: string | undefined;
  for (const list of lists)
    for (const item of list) {
      const k = goKind(item);
      if (kind === undefined) {
        kind = k;
        if (k === 'slice') throw new SmpFailure(genericUnprocessable());
      } else if (k !== kind) throw fail500(`list element types are not identical: [${lists.map(goFormat).join(' ')}]`);
    }
  if (kind === undefined) throw fail500('no elements in any of the given slices');
  return kind;
}

/** Go's deduplicateScalars: a duplicate is overwritten by the last item and the list shrinks. */
function deduplicateScalars(s: Json[]): Json[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++)
    for (let j = i + 1; j <= length; j++)
      if (s[i] === s[j]) {
        s[j] = s[length] as Json;
        s.length = length;
        length--;
        j--;
      }
  return s;
}

function mergeSlice(
  originalIn: Json[],
  patchIn: Json[],
  schema: TypeMeta | undefined,
  mergeKey: string,
  isDeleteList: boolean,
): Json[] {
  if (originalIn.length === 0 && patchIn.length === 0) return originalIn;
  const kind = sliceElementKind(originalIn, patchIn);
  let original = originalIn;
  let patch = patchIn;
  let merged: Json[];
  if (kind !== 'map') {
    if (isDeleteList) {
      const remove = new Set(patch);
      return original.filter((v) => !remove.has(v));
    }
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') throw fail500('cannot merge lists without merge key for map');
    [original, patch] = mergeSliceWithSpecialElements(original as JsonObject[], patch as JsonObject[], mergeKey);
    merged = mergeSliceWithoutSpecialElements(original as JsonObject[], patch as JsonObject[], mergeKey, schema);
  }
  const [patchItems, serverOnly] =
    mergeKey === '' ? partitionPrimitives(merged, patch) : partitionMaps(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

function findByKey(list: Json[], key: string, value: Json | undefined): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) throw fail500(`value for key ${i} is not a map`);
    if (Object.hasOwn(item, key) && item[key] === value) return i;
  }
  return -1;
}

function mergeSliceWithSpecialElements(
  original: JsonObject[],
  patch: JsonObject[],
  mergeKey: string,
): [JsonObject[], JsonObject[]] {
  const plain: JsonObject[] = [];
  let replace = false;
  let out = original;
  for (const item of patch) {
    if (!Object.hasOwn(item, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      out = out.filter((o) => !(Object.hasOwn(o, mergeKey) && o[mergeKey] === item[mergeKey]));
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge') throw fail500('merging lists cannot yet be specified in the patch');
    else throw fail500(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(item)}`);
  }
  return replace ? [plain, []] : [out, plain];
}

function mergeSliceWithoutSpecialElements(
  original: JsonObject[],
  patch: JsonObject[],
  mergeKey: string,
  schema: TypeMeta | undefined,
): Json[] {
  const out: Json[] = [...original];
  for (const item of patch) {
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    const at = findByKey(out, mergeKey, item[mergeKey]);
    if (at >= 0) out[at] = mergeMap(out[at] as JsonObject, item, schema);
    else out.push(item);
  }
  return out;
}

function partitionPrimitives(list: Json[], by: Json[]): [Json[], Json[]] {
  const inPatch = new Set(by);
  return [list.filter((v) => inPatch.has(v)), list.filter((v) => !inPatch.has(v))];
}

function partitionMaps(list: Json[], by: Json[], mergeKey: string): [Json[], Json[]] {
  const patch: Json[] = [];
  const serverOnly: Json[] = [];
  for (const v of list) {
    if (!isObject(v)) throw fail500(`expected a map, but received a ${goTypeName(v)}`);
    if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    (findByKey(by, mergeKey, v[mergeKey]) >= 0 ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

/** Go's index(): the position of an item (by merge key for maps) in an order list, or -1. */
function indexIn(order: Json[], item: Json, mergeKey: string, kind: string): number {
  const val = (x: Json) => (kind === 'map' ? (isObject(x) ? x[mergeKey] : null) : x);
  const wanted = val(item);
  return order.findIndex((x) => val(x) === wanted);
}

function normalizeSliceOrder(toSortIn: Json[], order: Json[], mergeKey: string, kind: string): Json[] {
  let toSort = toSortIn;
  const toDelete: Json[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order])
      for (const item of list) {
        if (!isObject(item)) throw fail500(`expected a map, but received a ${goTypeName(item)}`);
        if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      }
    const keep = toSort.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete'));
    toDelete.push(...toSort.filter((v) => isObject(v) && v[DIRECTIVE] === 'delete'));
    toSort = keep;
  } else toSort = [...toSort];
  goSliceStable(toSort, (i, j) => {
    const ii = indexIn(order, toSort[i] as Json, mergeKey, kind);
    if (ii < 0) return true;
    const ij = indexIn(order, toSort[j] as Json, mergeKey, kind);
    return ij >= 0 ? ii < ij : true;
  });
  return [...toSort, ...toDelete];
}

function mergeSortedSlice(left: Json[], right: Json[], serverOrder: Json[], mergeKey: string, kind: string): Json[] {
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++] as Json);
    else if (j >= right.length) out.push(left[i++] as Json);
    else {
      const li = indexIn(serverOrder, left[i] as Json, mergeKey, kind);
      const ri = indexIn(serverOrder, right[j] as Json, mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++] as Json);
      else out.push(right[j++] as Json);
    }
  }
  return out;
}

function normalizeElementOrder(
  patch: Json[],
  serverOnly: Json[],
  patchOrder: Json[],
  serverOrder: Json[],
  mergeKey: string,
  kind: string,
): Json[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

function validatePatchWithSetOrderList(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let nonDelete = patchList;
  if (mergeKey !== '') {
    if (!patchList.every(isObject)) throw fail500('expected a map in the patch list');
    nonDelete = patchList.filter((v) => (v as JsonObject)[DIRECTIVE] !== 'delete');
  }
  let p = 0;
  let s = 0;
  const keyOf = (v: Json) => {
    if (mergeKey === '') return v;
    if (!isObject(v)) throw fail500(`expected a map, but received a ${goTypeName(v)}`);
    if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    return v[mergeKey];
  };
  while (p < nonDelete.length && s < order.length) {
    const item = nonDelete[p] as Json;
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (keyOf(item) === keyOf(order[s] as Json)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= order.length)
    throw fail500(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
}

/** The `$setElementOrder/<list>` directives of one map: merge that list now, then order it as asked. */
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, schema: TypeMeta | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw fail500(`expected a []interface {}, but received a ${goTypeName(order)}`);
    const field = extractKey(key, SET_ELEMENT_ORDER);
    const originalList = original[field];
    const patchList = patch[field];
    if (originalList !== undefined && !Array.isArray(originalList))
      throw fail500(`expected a slice, but received a ${goTypeName(originalList)}`);
    if (patchList !== undefined && !Array.isArray(patchList))
      throw fail500(`expected a slice, but received a ${goTypeName(patchList)}`);
    const meta = lookup(schema, field, true);
    validatePatchWithSetOrderList(patchList ?? [], order, meta.mergeKey);
    if (originalList === undefined && patchList === undefined) continue;
    let merged: Json[];
    if (originalList === undefined) merged = patchList as Json[];
    else if (patchList === undefined) merged = originalList;
    else merged = mergeSliceHandler(originalList, patchList, meta, false);
    const [patchItems, serverOnly] =
      meta.mergeKey === '' ? partitionPrimitives(merged, order) : partitionMaps(merged, order, meta.mergeKey);
    const kind = sliceElementKind(originalList ?? [], patchList ?? []);
    setMember(
      original,
      field,
      normalizeElementOrder(patchItems, serverOnly, order, originalList ?? [], meta.mergeKey, kind),
    );
    delete patch[field];
  }
}

/** Parses a strategic merge patch body as kube-apiserver does (util/json: the first JSON value, which must be an object or null). */
export function parseStrategicPatch(
  rawBody: string,
): { ok: true; patch: JsonObject } | { ok: false; problem: Problem } {
  const decoded = goDecodeFirst(rawBody);
  if (!decoded.ok) return { ok: false, problem: badRequest(decoded.message) };
  if (decoded.value === null) return { ok: true, patch: {} };
  if (!isObject(decoded.value)) {
    return {
      ok: false,
      problem: badRequest(
        `json: cannot unmarshal ${goTypeName(decoded.value)} into Go value of type map[string]interface {}`,
      ),
    };
  }
  return { ok: true, patch: decoded.value };
}

/** Applies a strategic merge patch body to `document` (not mutated), with the resource's schema metadata. */
export function applyStrategicMergePatch(document: JsonObject, rawBody: string, schema: TypeMeta): Outcome {
  const parsed = parseStrategicPatch(rawBody);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, object: mergeMap(clone(document), parsed.patch, schema) };
  } catch (error) {
    if (error instanceof SmpFailure) return { ok: false, problem: error.problem };
    throw error;
  }
}
