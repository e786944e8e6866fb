// Server-side apply (PATCH application/apply-patch+yaml) as kube-apiserver 1.20 does it
// (fieldmanager chain + structured-merge-diff v4.0.2's Updater.Apply): the applied configuration
// merges over the live object, the applier owns exactly what it applied, fields it applied before
// and no longer does are removed unless another manager owns them, and a change to a field another
// manager owns is a 409 Conflict unless `force` takes it over.
import type { StatusCause } from '@cci-openapi/types';
import { parse as parseYaml } from 'yaml';
import type { TypeMeta } from '../merge/patch-meta.js';
import { badRequest, internalError, isObject, type JsonObject, type Problem } from '../merge/problem.js';
import { type FieldPath, FieldSet, pathString } from './field-set.js';
import {
  cloneManaged,
  decodeManaged,
  encodeManaged,
  formatTime,
  type Managed,
  type ManagedFieldsEntry,
  ManagedFieldsError,
  managerId,
  stripMeta,
} from './managed.js';
import { missingApplyManager } from './manager-name.js';
import { compare, mergeTyped, removeItems, TypedError, toFieldSet, validateTyped } from './typed.js';
import { emptyLike, reconcileManaged, stripManagedFields, updateManagers } from './update.js';

export interface ApplyOptions {
  manager: string | undefined;
  force?: boolean;
  time: Date | string;
  /** The resource's API version ("v1"): an applied configuration of another version is refused. */
  apiVersion?: string;
}

export type ApplyResult =
  | {
      ok: true;
      object: JsonObject;
      managedFields: ManagedFieldsEntry[] | undefined;
      created: boolean;
      changed: boolean;
    }
  | { ok: false; problem: Problem };

/** Apply bodies are bounded by the mock's body reader; YAML aliases are bounded here (billion laughs). */
const MAX_ALIAS_COUNT = 100;

/** Parses an apply body (YAML or JSON, which is YAML) into an object, or the real server's 400. */
function parseApplyBody(rawBody: string): { ok: true; applied: JsonObject } | { ok: false; problem: Problem } {
  let parsed: unknown;
  try {
    parsed = parseYaml(rawBody, { version: '1.1', maxAliasCount: MAX_ALIAS_COUNT, uniqueKeys: false });
  } catch (error) {
    return {
      ok: false,
      problem: badRequest(
        `error decoding YAML: error converting YAML to JSON: yaml: ${(error as Error).message.split('\n')[0]}`,
      ),
    };
  }
  if (parsed === null || parsed === undefined) return { ok: true, applied: {} };
  if (!isObject(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'boolean' ? 'bool' : typeof parsed;
    return {
      ok: false,
      problem: badRequest(
        `error decoding YAML: error unmarshaling JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`,
      ),
    };
  }
  return { ok: true, applied: JSON.parse(JSON.stringify(parsed)) as JsonObject };
}

/** printManager: appliers by name, updaters by name and API version. */
function printManager(id: string): string {
  const entry = JSON.parse(id) as { manager?: string; operation?: string; apiVersion?: string };
  const name = JSON.stringify(entry.manager ?? '');
  return entry.operation === 'Update' ? `${name} using ${entry.apiVersion ?? ''}` : name;
}

/** internal.NewConflictError: one cause per conflicting path, the message grouped by manager. */
function conflictProblem(conflicts: Array<{ id: string; path: FieldPath }>): Problem {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.id)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const [only] = conflicts as [{ id: string; path: FieldPath }];
    message = `Apply failed with 1 conflict: conflict with ${printManager(only.id)}: ${pathString(only.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.id, [...(byManager.get(c.id) ?? []), pathString(c.path)]);
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort())
      lines.push(`conflicts with ${printManager(id)}:`, ...(byManager.get(id) ?? []).map((p) => `- ${p}`));
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return { status: 409, reason: 'Conflict', message, details: { causes }, causes };
}

function managedUnion(managed: Managed): FieldSet {
  let all = new FieldSet();
  for (const state of managed.values()) all = all.union(state.set);
  return all;
}

/** Updater.prune + addBackOwnedItems + addBackDanglingItems. */
function prune(merged: JsonObject, managed: Managed, lastSet: FieldSet | undefined, meta: TypeMeta): JsonObject {
  if (!lastSet || lastSet.empty()) return merged;
  const mergedSet = toFieldSet(merged, meta);
  let pruned = removeItems(merged, lastSet, meta) ?? {};
  pruned = removeItems(merged, mergedSet.difference(toFieldSet(pruned, meta).union(managedUnion(managed))), meta) ?? {};
  const dangling = mergedSet.difference(toFieldSet(pruned, meta)).intersection(lastSet);
  return (removeItems(merged, dangling, meta) ?? {}) as JsonObject;
}

function checkApplied(applied: JsonObject, apiVersion: string, meta: TypeMeta): Problem | undefined {
  if ((applied.apiVersion ?? '') !== apiVersion) {
    return badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(applied.apiVersion ?? '')}, expected: ${apiVersion}`,
    );
  }
  const metadata = applied.metadata;
  if (isObject(metadata) && metadata.managedFields !== undefined && metadata.managedFields !== null)
    return badRequest('metadata.managedFields must be nil');
  try {
    validateTyped(applied, meta);
  } catch (error) {
    if (error instanceof TypedError) return internalError(`failed to create typed patch object: ${error.message}`);
    throw error;
  }
  return undefined;
}

/**
 * Applies `rawBody` (YAML or JSON) for `options.manager` over `live` (undefined: the object does not
 * exist yet, the apply creates it). The object returned is what SMD produced, before the Go types
 * decode and default it (the caller's write path does that, as for the other patch types).
 */
export function serverSideApply(
  live: JsonObject | undefined,
  rawBody: string,
  meta: TypeMeta,
  options: ApplyOptions,
): ApplyResult {
  if (!options.manager) return { ok: false, problem: missingApplyManager() };
  const parsed = parseApplyBody(rawBody);
  if (!parsed.ok) return parsed;
  const applied = parsed.applied;
  const invalid = checkApplied(applied, options.apiVersion ?? 'v1', meta);
  if (invalid) return { ok: false, problem: invalid };
  let managed: Managed;
  try {
    managed = decodeManaged((live?.metadata as JsonObject | undefined)?.managedFields);
  } catch (error) {
    if (error instanceof ManagedFieldsError)
      return {
        ok: false,
        problem: internalError(
          `failed to decode managed fields: failed to convert managed fields from API: ${error.message}`,
        ),
      };
    throw error;
  }
  const time = formatTime(options.time);
  const liveObject: JsonObject = live ? stripManagedFields(live) : emptyLike(applied, meta);
  // skipNonAppliedManager: an object nobody manages yet is first credited to "before-first-apply".
  if (managed.size === 0)
    managed = updateManagers(
      managed,
      emptyLike(liveObject, meta),
      liveObject,
      meta,
      managerId('before-first-apply', 'Update', 'v1'),
      time,
    );
  try {
    return applyTyped(liveObject, applied, managed, meta, {
      ...options,
      manager: options.manager,
      time,
      created: live === undefined,
    });
  } catch (error) {
    if (error instanceof TypedError)
      return { ok: false, problem: internalError(`failed to create typed live object: ${error.message}`) };
    throw error;
  }
}

function applyTyped(
  live: JsonObject,
  applied: JsonObject,
  managedIn: Managed,
  meta: TypeMeta,
  options: { manager: string; force?: boolean; time: string; created: boolean },
): ApplyResult {
  const former = cloneManaged(managedIn);
  const managed = reconcileManaged(managedIn, live, meta);
  const id = managerId(options.manager, 'Apply', '');
  const lastSet = managed.get(id)?.set;
  let merged = mergeTyped(live, applied, meta) as JsonObject;
  managed.set(id, {
    manager: options.manager,
    operation: 'Apply',
    apiVersion: 'v1',
    set: toFieldSet(applied, meta),
    time: managed.get(id)?.time,
  });
  merged = prune(merged, managed, lastSet, meta);
  const c = compare(live, merged, meta);
  const touched = c.modified.union(c.added);
  const conflicts: Array<{ id: string; path: FieldPath }> = [];
  for (const [other, state] of managed) {
    if (other === id) continue;
    for (const path of state.set.intersection(touched).paths()) conflicts.push({ id: other, path });
  }
  if (conflicts.length > 0 && !options.force) return { ok: false, problem: conflictProblem(conflicts) };
  for (const [other, state] of [...managed]) {
    if (other === id) continue;
    const rest = state.set.difference(touched).difference(c.removed);
    if (rest.empty()) managed.delete(other);
    else managed.set(other, { ...state, set: rest });
  }
  const changed = !(c.added.empty() && c.modified.empty() && c.removed.empty());
  stripMeta(managed, id);
  const mine = managed.get(id);
  if (mine && (changed || !sameManaged(managed, former))) managed.set(id, { ...mine, time: options.time });
  const object = changed ? merged : live;
  return { ok: true, object: { ...object }, managedFields: encodeManaged(managed), created: options.created, changed };
}

function sameManaged(a: Managed, b: Managed): boolean {
  if (a.size !== b.size) return false;
  for (const [id, state] of a) {
    const other = b.get(id);
    if (
      !other ||
      other.operation !== state.operation ||
      other.apiVersion !== state.apiVersion ||
      !other.set.equals(state.set)
    )
      return false;
  }
  return true;
}
