// structured-merge-diff v4.0.2's ReconcileFieldSetWithSchema, which kube-apiserver 1.20 runs on
// every manager's set before each Update and Apply: a map or associative list the set owns as a
// whole ("f:labels": {} — a member without children, as if it were atomic) is expanded to the
// fields it holds in the live object now; an atomic list owned field by field collapses to itself.
import type { TypeMeta } from '../merge/patch-meta.js';
import type { Json } from '../merge/problem.js';
import { type FieldPath, FieldSet } from './field-set.js';
import { toFieldSet } from './typed.js';

interface Changes {
  add: FieldSet;
  remove: FieldSet;
}

function isAtomicMeta(meta: TypeMeta): boolean {
  if (meta.kind === 'list') return meta.listType === 'atomic';
  return (meta.kind === 'struct' || meta.kind === 'map') && meta.atomic;
}

function childMeta(meta: TypeMeta, pe: FieldPath[number]): TypeMeta | undefined {
  if (meta.kind === 'list') return meta.elem;
  if (pe.type !== 'f') return undefined;
  if (meta.kind === 'struct') return meta.field(pe.name);
  return meta.kind === 'map' ? meta.elem : undefined;
}

function walk(
  set: FieldSet | undefined,
  meta: TypeMeta,
  path: FieldPath,
  atomic: boolean,
  liveSet: () => FieldSet,
  changes: Changes,
): void {
  const isList = meta.kind === 'list';
  if (!(isList || meta.kind === 'struct' || meta.kind === 'map')) return;
  if (!atomic && isAtomicMeta(meta)) {
    if (isList || (set && !set.empty())) {
      changes.remove = changes.remove.union(FieldSet.fromPaths([path]));
      changes.add = changes.add.union(FieldSet.fromPaths([path]));
    }
    return;
  }
  if (atomic && !isAtomicMeta(meta) && path.length > 0) {
    const node = liveSet().childAt(path);
    if (node) changes.add = changes.add.union(FieldSet.at(path, node));
  }
  if (!set) return;
  for (const { pe, member, children } of set.elements()) {
    const child = childMeta(meta, pe);
    if (child) walk(children, child, [...path, pe], member && !children, liveSet, changes);
  }
}

/** The manager's set reconciled with the schema and the live object, or the same set when nothing changes. */
export function reconcileWithSchema(set: FieldSet, live: Json, meta: TypeMeta): FieldSet {
  let cached: FieldSet | undefined;
  const liveSet = () => {
    cached ??= toFieldSet(live, meta);
    return cached;
  };
  const changes: Changes = { add: new FieldSet(), remove: new FieldSet() };
  walk(set, meta, [], false, liveSet, changes);
  if (changes.add.empty() && changes.remove.empty()) return set;
  return set.recursiveDifference(changes.remove).union(changes.add);
}
