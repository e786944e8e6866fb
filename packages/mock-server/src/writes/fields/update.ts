// managedFields for create, replace and the non-apply patches (operation Update), as kube-apiserver
// 1.20's field manager chain computes them: the writer gains the fields its write added or changed,
// every other manager loses those and the ones it removed (Update always forces), managers left
// with nothing disappear, and the writer's time moves only when its set changed.
import { schemaNameOf, type TypeMeta } from '../merge/patch-meta.js';
import { isObject, type Json, type JsonObject } from '../merge/problem.js';
import type { FieldSet } from './field-set.js';
import {
  cloneManaged,
  decodeManaged,
  encodeManaged,
  formatTime,
  type Managed,
  ManagedFieldsError,
  managerId,
  stripMeta,
} from './managed.js';
import { reconcileWithSchema } from './reconcile.js';
import { type Comparison, compare } from './typed.js';

export interface UpdateOptions {
  manager: string;
  /** The API version the write used (the manager entry's apiVersion); "v1" for core Services. */
  apiVersion?: string;
  time: Date | string;
  /** Subresource writes (PUT/PATCH …/status) take managedFields from the live object only. */
  subresource?: string;
}

/** Updater.update: other managers lose what this change touched; conflicts are not possible (force). */
function releaseChanged(managed: Managed, self: string, c: Comparison): void {
  const touched = c.modified.union(c.added);
  for (const [id, state] of managed) {
    if (id === self) continue;
    const rest = state.set.difference(touched).difference(c.removed);
    if (rest.empty()) managed.delete(id);
    else managed.set(id, { ...state, set: rest });
  }
}

/**
 * Go's zero value of a type as it encodes: the non-pointer struct fields are there, empty. The
 * OpenAPI document cannot tell pointer from non-pointer fields, so the types the mock serves are
 * listed (from k8s.io/api/core/v1 1.20); a create is compared with this, not with {}.
 */
const GO_ZERO_VALUES: Record<string, JsonObject> = {
  Service: { metadata: {}, spec: {}, status: { loadBalancer: {} } },
};

/**
 * What the Go types hold for a brand-new, empty object of `meta`'s type: its known zero value, or
 * else the required struct fields and every struct that `next` carries as `{}`.
 */
export function emptyLike(next: Json, meta: TypeMeta): JsonObject {
  const name = schemaNameOf(meta);
  if (name !== undefined && GO_ZERO_VALUES[name]) return structuredClone(GO_ZERO_VALUES[name]);
  return shapeOf(next, meta);
}

function shapeOf(next: Json, meta: TypeMeta): JsonObject {
  const out: JsonObject = {};
  if (meta.kind !== 'struct' || !isObject(next)) return out;
  for (const [k, v] of Object.entries(next)) {
    const field = meta.field(k);
    if (field?.kind !== 'struct' || !isObject(v)) continue;
    if (meta.required.has(k) || Object.keys(v).length === 0) out[k] = shapeOf(v, field);
  }
  return out;
}

/** `managedFields: []` or `[{}]` in a write is kube-apiserver's way to reset them (the object is then untracked). */
function isResetManagedFields(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  return list.length === 0 || (list.length === 1 && isObject(list[0]) && Object.keys(list[0]).length === 0);
}

/** The managers an Update starts from: the request's managedFields when it carries decodable ones, else the live object's. */
function startingManaged(previous: JsonObject | undefined, next: JsonObject, subresource: string | undefined): Managed {
  const fromLive = () => {
    try {
      return decodeManaged((previous?.metadata as JsonObject | undefined)?.managedFields);
    } catch (error) {
      if (error instanceof ManagedFieldsError) return new Map() as Managed;
      throw error;
    }
  };
  if (subresource) return fromLive();
  if (isResetManagedFields((next.metadata as JsonObject | undefined)?.managedFields)) return new Map();
  try {
    const mine = decodeManaged((next.metadata as JsonObject | undefined)?.managedFields);
    return mine.size > 0 ? mine : fromLive();
  } catch (error) {
    if (error instanceof ManagedFieldsError) return fromLive();
    throw error;
  }
}

/** The core of an Update on decoded managers (shared with apply's "before-first-apply" step). */
export function updateManagers(
  managed: Managed,
  live: Json,
  next: Json,
  meta: TypeMeta,
  id: string,
  time: string,
): Managed {
  const out = reconcileManaged(managed, live, meta);
  const self = '\u0000current-operation';
  const former = out.get(id)?.set;
  const c = compare(live, next, meta);
  releaseChanged(out, self, c);
  const gained: FieldSet = c.modified.union(c.added).difference(c.removed);
  if (!gained.empty()) out.set(self, { manager: '', operation: 'Update', apiVersion: '', set: gained });
  stripMeta(out, self);
  const current = out.get(self);
  if (!current) return out;
  out.delete(self);
  const parsed = JSON.parse(id) as { manager?: string; apiVersion?: string };
  const previous = out.get(id);
  const set = previous ? current.set.union(previous.set) : current.set;
  const state = {
    manager: parsed.manager ?? '',
    operation: 'Update' as const,
    apiVersion: parsed.apiVersion ?? '',
    set,
    time: previous?.time,
  };
  if (former === undefined || !set.equals(former)) state.time = time;
  out.set(id, state);
  return out;
}

/**
 * managedFields after a create (previous undefined), replace or non-apply patch by `manager`.
 * Returns the entries to store (undefined: none), following 1.20's chain: an existing object that
 * has no managedFields stays untracked; a create is tracked.
 */
export function updateManagedFields(
  previous: JsonObject | undefined,
  next: JsonObject,
  meta: TypeMeta,
  options: UpdateOptions,
) {
  const managed = startingManaged(previous, next, options.subresource);
  const liveHasUid = typeof (previous?.metadata as JsonObject | undefined)?.uid === 'string';
  if (managed.size === 0 && previous !== undefined && liveHasUid) return undefined;
  const live = previous ? stripManagedFields(previous) : emptyLike(next, meta);
  const id = managerId(options.manager, 'Update', options.apiVersion ?? 'v1');
  const updated = updateManagers(managed, live, stripManagedFields(next), meta, id, formatTime(options.time));
  return capUpdateManagers(updated);
}

/** Updater.reconcileManagedFieldsWithSchemaChanges: every manager's set reconciled with the live object. */
export function reconcileManaged(managed: Managed, live: Json, meta: TypeMeta): Managed {
  const out = cloneManaged(managed);
  for (const [id, state] of out) out.set(id, { ...state, set: reconcileWithSchema(state.set, live, meta) });
  return out;
}

export function stripManagedFields(object: JsonObject): JsonObject {
  const metadata = object.metadata;
  if (!isObject(metadata) || !Object.hasOwn(metadata, 'managedFields')) return object;
  const { managedFields: _drop, ...rest } = metadata;
  return { ...object, metadata: rest };
}

/** capManagersManager: at most 10 Update managers; the oldest are folded into "ancient-changes". */
const MAX_UPDATE_MANAGERS = 10;
function capUpdateManagers(managed: Managed) {
  const updaters = [...managed].filter(([, s]) => s.operation === 'Update').map(([id]) => id);
  if (updaters.length > MAX_UPDATE_MANAGERS) {
    const seconds = (id: string) => {
      const t = managed.get(id)?.time;
      return t === undefined ? 0 : Math.floor(Date.parse(t) / 1000);
    };
    updaters.sort((a, b) => seconds(a) - seconds(b) || (a < b ? -1 : a > b ? 1 : 0));
    const firstOfVersion = new Map<string, string>();
    let length = updaters.length;
    for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
      const id = updaters[i] as string;
      const state = managed.get(id);
      if (!state) continue;
      const bucket = managerId('ancient-changes', 'Update', state.apiVersion);
      const first = firstOfVersion.get(state.apiVersion);
      if (first === undefined) {
        firstOfVersion.set(state.apiVersion, id);
        continue;
      }
      if (!managed.has(bucket)) {
        const moved = managed.get(first);
        managed.delete(first);
        if (moved) managed.set(bucket, { ...moved, manager: 'ancient-changes' });
      }
      const into = managed.get(bucket);
      if (into) managed.set(bucket, { ...into, set: state.set.union(into.set), time: state.time });
      managed.delete(id);
      length--;
    }
  }
  return encodeManaged(managed);
}
