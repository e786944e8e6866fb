// structured-merge-diff v4.0.2's walks over a typed value (typed/{validate,tofieldset,merge,remove}.go),
// on plain JSON with the schema metadata of patch-meta.ts: which paths a value sets, how two values
// differ (Compare), how an applied configuration merges over the live object (Merge, keep-RHS), and
// removing owned items (RemoveItems). Lists are atomic (indexed), sets (by value) or maps (by key),
// as kube-openapi 1.20 derives them from the x-kubernetes-* extensions.
import type { ListMeta, TypeMeta } from '../merge/patch-meta.js';
import { deepEqual, isObject, type Json, type JsonObject, setMember } from '../merge/problem.js';
import { type FieldPath, FieldSet, type PathElement, pathString } from './field-set.js';

export class TypedError extends Error {}

/** Untyped values (no schema) deduce their shape from the value: maps granular, lists atomic. */
function childMeta(meta: TypeMeta, key: string): TypeMeta | undefined {
  if (meta.kind === 'struct') return meta.field(key);
  if (meta.kind === 'map') return meta.elem;
  return meta.kind === 'untyped' ? meta : undefined;
}

function isMapLike(meta: TypeMeta, value: Json | undefined): boolean {
  return meta.kind === 'struct' || meta.kind === 'map' || (meta.kind === 'untyped' && isObject(value ?? null));
}

function isAtomic(meta: TypeMeta): boolean {
  if (meta.kind === 'list') return meta.listType === 'atomic';
  if (meta.kind === 'struct' || meta.kind === 'map') return meta.atomic;
  return false;
}

function goString(v: Json): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** listItemToPathElement: the item's key, its value for a set, or its index for an atomic list. */
function itemElement(list: ListMeta, index: number, item: Json): PathElement {
  if (list.listType === 'atomic') return { type: 'i', index };
  if (list.listType === 'set') {
    if (isObject(item)) throw new TypedError("associative list without keys has an element that's a map type");
    if (Array.isArray(item)) throw new TypedError('not supported: associative list with lists as elements');
    if (item === null) throw new TypedError("associative list without keys has an element that's an explicit null");
    return { type: 'v', value: item };
  }
  if (item === null) throw new TypedError('associative list with keys may not have a null element');
  if (!isObject(item)) throw new TypedError('associative list with keys may not have non-map elements');
  const key: Array<[string, Json]> = [];
  for (const name of list.keys) {
    if (!Object.hasOwn(item, name))
      throw new TypedError(
        `associative list with keys has an element that omits key field ${goString(name)} (and doesn't have default value)`,
      );
    key.push([name, item[name] as Json]);
  }
  key.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { type: 'k', key };
}

/** Go's %#v / %v of a decoded scalar inside SMD's value wrapper. */
function goValue(v: Json): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  return JSON.stringify(v);
}

function scalarError(v: Json, types: string[]): string | undefined {
  if (v === null || types.length !== 1) return undefined;
  const [type] = types;
  if (type === 'string' && typeof v !== 'string')
    return `expected string, got &value.valueUnstructured{Value:${goValue(v)}}`;
  if ((type === 'integer' || type === 'number') && typeof v !== 'number')
    return 'expected numeric (int or float), got *value.valueUnstructured';
  if (type === 'boolean' && typeof v !== 'boolean') return `expected boolean, got &{${goValue(v)}}`;
  return undefined;
}

function collect(value: Json, meta: TypeMeta, path: string, errors: string[]): void {
  if (value === null) return;
  if (meta.kind === 'scalar') {
    const error = scalarError(value, meta.types);
    if (error) errors.push(`${path}: ${error}`);
    return;
  }
  if (meta.kind === 'list') {
    if (!Array.isArray(value)) {
      errors.push(`${path}: expected list, got ${goValue(value)}`);
      return;
    }
    const seen = new Set<string>();
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as Json;
      let printed = `[${i}]`;
      if (meta.listType !== 'atomic') {
        try {
          printed = pathString([itemElement(meta, i, item)]);
        } catch (error) {
          errors.push(`${path}: element ${i}: ${(error as Error).message}`);
          return;
        }
        if (seen.has(printed)) errors.push(`${path}: duplicate entries for key ${printed}`);
        seen.add(printed);
      }
      collect(item, meta.elem, path + printed, errors);
    }
    return;
  }
  if (meta.kind === 'struct' || meta.kind === 'map') {
    if (!isObject(value)) {
      errors.push(`${path}: expected map, got ${goValue(value)}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      const child = childMeta(meta, k);
      if (!child) {
        errors.push(`${path}.${k}: field not declared in schema`);
        return;
      }
      collect(v, child, `${path}.${k}`, errors);
    }
  }
}

/** Validation as ObjectToTyped does it (keys present, no duplicates, declared fields, scalar types); throws TypedError with SMD's words. */
export function validateTyped(value: Json, meta: TypeMeta): void {
  const errors: string[] = [];
  collect(value, meta, '', errors);
  if (errors.length === 1) throw new TypedError(errors[0]);
  if (errors.length > 1) throw new TypedError(['errors:', ...errors.map((e) => `  ${e}`)].join('\n'));
}

/** TypedValue.ToFieldSet: every leaf, every atomic value and every list item. */
export function toFieldSet(value: Json, meta: TypeMeta): FieldSet {
  const set = new FieldSet();
  const walk = (v: Json, m: TypeMeta, path: FieldPath): void => {
    if (isAtomic(m) || m.kind === 'scalar' || (m.kind === 'untyped' && !isObject(v))) {
      set.insert(path);
      return;
    }
    if (m.kind === 'list') {
      if (!Array.isArray(v)) return;
      v.forEach((item, i) => {
        const child = [...path, itemElement(m, i, item)];
        walk(item, m.elem, child);
        set.insert(child);
      });
      return;
    }
    if (!isObject(v)) return;
    for (const [k, x] of Object.entries(v))
      walk(x, childMeta(m, k) ?? { kind: 'untyped' }, [...path, { type: 'f', name: k }]);
  };
  walk(value, meta, []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

type Side = Json | undefined;

interface MergeHooks {
  leaf(path: FieldPath, lhs: Side, rhs: Side): Side;
  item?(path: FieldPath, lhs: Side, rhs: Side): void;
}

function emptyish(v: Side): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

/** SMD's mergingWalker: a leaf rule for scalars/atomics/empty pairs, an item hook for everything else. */
function mergeWalk(lhs: Side, rhs: Side, meta: TypeMeta, path: FieldPath, hooks: MergeHooks): Side {
  let out: Side;
  let leaf = false;
  const list = meta.kind === 'list';
  if (
    meta.kind === 'scalar' ||
    isAtomic(meta) ||
    (emptyish(lhs) && emptyish(rhs)) ||
    (!list && !isMapLike(meta, rhs ?? lhs))
  ) {
    leaf = true;
    out = hooks.leaf(path, lhs, rhs);
  } else if (list) out = mergeList(lhs, rhs, meta, path, hooks);
  else out = mergeMap(lhs, rhs, meta, path, hooks);
  if (!leaf) hooks.item?.(path, lhs, rhs);
  return out;
}

function mergeMap(lhs: Side, rhs: Side, meta: TypeMeta, path: FieldPath, hooks: MergeHooks): Side {
  const l = isObject(lhs ?? null) ? (lhs as JsonObject) : {};
  const r = isObject(rhs ?? null) ? (rhs as JsonObject) : {};
  const out: JsonObject = {};
  const keys = new Set([...Object.keys(l), ...Object.keys(r)]);
  for (const k of keys) {
    const child = childMeta(meta, k) ?? { kind: 'untyped' };
    const v = mergeWalk(
      Object.hasOwn(l, k) ? l[k] : undefined,
      Object.hasOwn(r, k) ? r[k] : undefined,
      child,
      [...path, { type: 'f', name: k }],
      hooks,
    );
    if (v !== undefined) setMember(out, k, v);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function mergeList(lhs: Side, rhs: Side, meta: ListMeta, path: FieldPath, hooks: MergeHooks): Side {
  const l = Array.isArray(lhs) ? lhs : [];
  const r = Array.isArray(rhs) ? rhs : [];
  const rhsItems = new Map<string, Json>();
  r.forEach((item, i) => {
    rhsItems.set(pathString([itemElement(meta, i, item)]), item);
  });
  const out: Json[] = [];
  const seen = new Set<string>();
  l.forEach((item, i) => {
    const pe = itemElement(meta, i, item);
    const key = pathString([pe]);
    if (seen.has(key)) return;
    seen.add(key);
    const v = mergeWalk(item, rhsItems.get(key), meta.elem, [...path, pe], hooks);
    if (v !== undefined) out.push(v);
  });
  r.forEach((item, i) => {
    const pe = itemElement(meta, i, item);
    const key = pathString([pe]);
    if (seen.has(key)) return;
    seen.add(key);
    const v = mergeWalk(undefined, item, meta.elem, [...path, pe], hooks);
    if (v !== undefined) out.push(v);
  });
  return out.length > 0 ? out : undefined;
}

/** TypedValue.Compare: what `rhs` added, modified and removed relative to `lhs`. */
export function compare(lhs: Json, rhs: Json, meta: TypeMeta): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const mark = (path: FieldPath, l: Side, r: Side, leaf: boolean) => {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (leaf && !deepEqual(l, r)) c.modified.insert(path);
  };
  mergeWalk(lhs, rhs, meta, [], {
    leaf: (path, l, r) => {
      mark(path, l, r, true);
      return undefined;
    },
    item: (path, l, r) => mark(path, l, r, false),
  });
  return c;
}

/** TypedValue.Merge: the applied configuration over the live object (RHS wins at leaves). */
export function mergeTyped(lhs: Json, rhs: Json, meta: TypeMeta): Json {
  return mergeWalk(lhs, rhs, meta, [], { leaf: (_p, l, r) => (r !== undefined ? r : l) }) ?? {};
}

/** TypedValue.RemoveItems: drops owned list items and map/struct members; what empties becomes null. */
export function removeItems(value: Json, toRemove: FieldSet, meta: TypeMeta): Json {
  if (isAtomic(meta) || meta.kind === 'scalar') return value;
  if (Array.isArray(value) && meta.kind === 'list') {
    if (value.length === 0) return null;
    const out: Json[] = [];
    value.forEach((item, i) => {
      const pe = itemElement(meta, i, item);
      if (toRemove.has([pe])) return;
      const sub = toRemove.withPrefix(pe);
      out.push(sub.empty() ? item : removeItems(item, sub, meta.elem));
    });
    return out.length > 0 ? out : null;
  }
  if (isObject(value) && meta.kind !== 'list') {
    if (Object.keys(value).length === 0) return null;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const pe: PathElement = { type: 'f', name: k };
      if (toRemove.has([pe])) continue;
      const sub = toRemove.withPrefix(pe);
      setMember(out, k, sub.empty() ? v : removeItems(v, sub, childMeta(meta, k) ?? { kind: 'untyped' }));
    }
    return Object.keys(out).length > 0 ? out : null;
  }
  return value;
}
