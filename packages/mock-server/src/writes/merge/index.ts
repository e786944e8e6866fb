// Patch engines for the mock's write path: the four PATCH media types of kube-apiserver 1.20.
//
//   applyPatch(kind, live, rawBody, options) → PatchResult
//     kind     'json' (application/json-patch+json) | 'merge' (application/merge-patch+json)
//              | 'strategic' (application/strategic-merge-patch+json) | 'apply' (application/apply-patch+yaml)
//     live     the stored object (with its metadata.managedFields), or undefined when it does not
//              exist: only 'apply' creates (created: true → answer 201); for the other kinds the
//              caller answers 404 before calling.
//     rawBody  the request body as received (bounded by the caller's body reader).
//     options  { schema?: 'Service' (default; a components.schemas name of the bundled spec),
//                fieldManager?: string (the query parameter), force?: boolean, time?: Date | string (the mock's clock) }
//   PatchResult = { ok: true, object, created, managedFields? }
//               | { ok: false, status, reason, message, details?, causes? }
//
//   The object returned is decoded as the Go types would (unknown fields dropped, zero values of
//   optional fields dropped) but NOT defaulted and NOT validated: the caller defaults it (as decoding
//   does in kube-apiserver: type ClusterIP, sessionAffinity None, port protocol TCP, targetPort =
//   port), applies the strategy (a main-resource patch keeps the live status; a /status patch keeps
//   the live spec), validates it, then — for every kind but 'apply' — computes managedFields with
//   writes/fields' updateManagedFields(live, defaulted, …). For 'apply' the managedFields are already
//   in object.metadata.managedFields (and in `managedFields`); an apply that creates (created: true)
//   has no namespace (the caller sets the URL's) and no status (the caller sets {loadBalancer: {}}).
//   Server-set metadata (uid, resourceVersion, creationTimestamp) is the caller's as for any write.
//   An explicit `metadata.managedFields: []` is kept (not dropped as an empty optional list): it is
//   the request to reset managedFields, which updateManagedFields honours (as `[{}]`). A create/PUT
//   decoder outside this folder must keep it the same way.
//   A failure maps onto the Status catalogue: catalog.build(r.status, { reason: r.reason, message: r.message, details: r.details }).
//   fieldManager validation (length, printable) is writes/fields' validateFieldManager, called by the router for every write.
import type { StatusCause, StatusDetails } from '@cci-openapi/types';
import { type ManagedFieldsEntry, serverSideApply } from '../fields/index.js';
import { decodeLikeGo } from './decode.js';
import { goFormat } from './go-json.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { patchMetaFor, type TypeMeta } from './patch-meta.js';
import { invalidPatch, type JsonObject, type Outcome, type Problem } from './problem.js';
import { applyStrategicMergePatch, parseStrategicPatch } from './strategic-merge.js';

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions {
  schema?: string;
  fieldManager?: string;
  force?: boolean;
  time?: Date | string;
}

export type PatchResult =
  | { ok: true; object: JsonObject; created: boolean; managedFields?: ManagedFieldsEntry[] }
  | { ok: false; status: number; reason: string; message: string; details?: StatusDetails; causes?: StatusCause[] };

/** The media type of a PATCH → its kind; undefined for anything else (the caller answers 415). */
export function patchKindOf(contentType: string | undefined): PatchKind | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const kinds: Record<string, PatchKind> = {
    'application/json-patch+json': 'json',
    'application/merge-patch+json': 'merge',
    'application/strategic-merge-patch+json': 'strategic',
    'application/apply-patch+yaml': 'apply',
  };
  return type === undefined ? undefined : kinds[type];
}

function failed(problem: Problem): PatchResult {
  const out: PatchResult = { ok: false, status: problem.status, reason: problem.reason, message: problem.message };
  if (problem.details !== undefined) out.details = problem.details;
  if (problem.causes !== undefined) out.causes = problem.causes;
  return out;
}

/** Decodes a patched document into the Go types' shape, or the 422 naming the patch. */
function decoded(outcome: Outcome, meta: TypeMeta, describePatch: (object: JsonObject) => string): PatchResult {
  if (!outcome.ok) return failed(outcome.problem);
  const result = decodeLikeGo(outcome.object, meta);
  if (!result.ok) return failed(invalidPatch(describePatch(outcome.object), result.detail));
  // An empty managedFields list survives decoding in Go (nil ≠ empty): it asks to reset them (writes/fields).
  const patchedManaged = (outcome.object.metadata as JsonObject | undefined)?.managedFields;
  if (Array.isArray(patchedManaged) && patchedManaged.length === 0)
    (result.object.metadata as JsonObject).managedFields = [];
  return { ok: true, object: result.object, created: false };
}

export function applyPatch(
  kind: PatchKind,
  live: JsonObject | undefined,
  rawBody: string,
  options: PatchOptions = {},
): PatchResult {
  const meta = patchMetaFor(options.schema ?? 'Service');
  if (kind === 'apply') {
    const applied = serverSideApply(live, rawBody, meta, {
      manager: options.fieldManager,
      force: options.force,
      time: options.time ?? new Date(),
    });
    if (!applied.ok) return failed(applied.problem);
    const result = decodeLikeGo(applied.object, meta);
    if (!result.ok) return failed(invalidPatch(JSON.stringify(applied.object), result.detail));
    const object = result.object;
    const metadata = { ...((object.metadata as JsonObject | undefined) ?? {}) };
    if (applied.managedFields) metadata.managedFields = applied.managedFields as unknown as JsonObject[];
    else delete metadata.managedFields;
    return {
      ok: true,
      object: { ...object, metadata },
      created: applied.created,
      ...(applied.managedFields ? { managedFields: applied.managedFields } : {}),
    };
  }
  if (!live) throw new Error(`applyPatch(${kind}) needs the live object; only apply creates`);
  switch (kind) {
    case 'json':
      return decoded(applyJsonPatch(live, rawBody), meta, (o) => JSON.stringify(o));
    case 'merge':
      return decoded(applyMergePatch(live, rawBody), meta, (o) => JSON.stringify(o));
    case 'strategic': {
      const patch = parseStrategicPatch(rawBody);
      return decoded(applyStrategicMergePatch(live, rawBody, meta), meta, () =>
        patch.ok ? goFormat(patch.patch) : '',
      );
    }
  }
}

export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge.js';
export { decodeLikeGo } from './decode.js';
export { PatchMetaReader, patchMetaFor, type TypeMeta } from './patch-meta.js';
export type { JsonObject } from './problem.js';
