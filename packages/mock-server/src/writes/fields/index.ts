// managedFields for the mock's write path, as kube-apiserver 1.20 (structured-merge-diff v4.0.2) writes them.
//
//   fieldSetOf(object, meta) → FieldsV1 JSON of every field `object` sets (leaves, atomic lists,
//     list items keyed by x-kubernetes-list-map-keys / values / indices), as an apply records it.
//   updateManagedFields(previous, next, meta, { manager, time, apiVersion?, subresource? })
//     → ManagedFieldsEntry[] | undefined, for create (previous undefined), replace (PUT) and the
//     json/merge/strategic patches, with `next` the decoded AND defaulted object. Put the result in
//     next.metadata.managedFields (undefined: remove the member). An existing object without
//     managedFields stays untracked (as 1.20); subresource ('status') writes ignore managedFields sent
//     in the request. There is no `subresource` member in 1.20's entries: the status writer shares
//     its main-resource entry.
//   serverSideApply(live, rawBody, meta, { manager, force, time }) → { ok, object, managedFields,
//     created, changed } | { ok: false, problem } (409 FieldManagerConflict, 422 missing manager,
//     400 bad YAML/version, 500 SMD errors). merge/index's applyPatch('apply', …) wraps it.
//   managerName(fieldManager, userAgent) → the manager of a write without fieldManager.
//   validateFieldManager(fieldManager, 'CreateOptions' | 'UpdateOptions' | 'PatchOptions') → a 422 Problem or undefined.
//   validatePatchOptions(isApply, { force?, fieldManager? }) → the PATCH options' 422 (force on a
//     non-apply patch, apply without fieldManager, fieldManager errors), or undefined. `force` is
//     "present", so ?force=false on a merge patch is refused too, as by the real server.
//   `meta` is patchMetaFor('Service') from writes/merge.
import type { TypeMeta } from '../merge/patch-meta.js';
import type { Json } from '../merge/problem.js';
import { toFieldSet } from './typed.js';

export function fieldSetOf(object: Json, meta: TypeMeta): Record<string, unknown> {
  return toFieldSet(object, meta).toFieldsV1();
}

export { serverSideApply } from './apply.js';
export { FieldSet } from './field-set.js';
export { decodeManaged, type ManagedFieldsEntry } from './managed.js';
export { managerName, prefixFromUserAgent, validateFieldManager, validatePatchOptions } from './manager-name.js';

export { updateManagedFields } from './update.js';
