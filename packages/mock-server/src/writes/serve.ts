// The write operations (create, replace, patch, delete), in kube-apiserver v1.20's order: RBAC,
// the body's media type (415) and size (413), the options (422), the body itself (400), the
// namespace, then the registry (validation, allocation, conflicts) and the store. Each stored
// write bumps the store's resourceVersion and reaches watches as ADDED, MODIFIED or DELETED.
import type { Principal } from '../auth.js';
import type { Outcome } from '../operations.js';
import { forbiddenStatus } from '../operations.js';
import type { WriteRole } from '../resources.js';
import { NodePortsExhausted } from './allocation.js';
import { badRequest, notFound, type StatusAnswer } from './answers.js';
import { decodeObject, decodeOptions, mediaTypeOf, UNKNOWN_FORMAT } from './decode.js';
import { isObject, objectAt, stringAt, type JsonObject } from './json-value.js';
import { goOrdered } from './go-order.js';
import { recordManagedFields } from './managed-fields.js';
import { deleteOptions, patchOptions, writeOptions, type WriteOptions } from './options.js';
import { createService, updateService, type RegistryContext, type RegistryResult } from './service-registry.js';

/** kube-apiserver's --max-request-body-bytes default (3 MiB). */
export const MAX_WRITE_BODY_BYTES = 3 * 1024 * 1024;

export type PatchResult = { ok: true; object: JsonObject } | { ok: false; problem: StatusAnswer };
/** The patch engines (writes/merge): the live object patched by the body in `patchType`. */
export type PatchEngine = (
  kind: string,
  live: JsonObject | undefined,
  rawBody: string,
  options: { patchType: string; fieldManager?: string; force?: boolean; time?: number },
) => PatchResult;

export interface WriteContext extends RegistryContext {
  namespaceExists: (namespace: string) => boolean;
  /** Every namespace that exists (built-in, declared, and those of stored Services), for a Namespace list. */
  namespaceNames: () => string[];
  patch: PatchEngine;
}

export interface WriteRequest {
  role: WriteRole;
  params: Readonly<Record<string, string>>;
  query: ReadonlyMap<string, string>;
  principal: Principal;
  apiVersion: string;
  body: Buffer | 'too-large' | undefined;
  contentType: string | undefined;
  userAgent: string | undefined;
}

const VERB = {
  create: 'create',
  replace: 'update',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'delete',
} as const;
const APPLY = 'application/apply-patch+yaml';

const answer = (problem: StatusAnswer): Outcome => ({
  kind: 'status',
  code: problem.code,
  overrides: {
    message: problem.message,
    ...(problem.reason !== undefined && { reason: problem.reason }),
    ...(problem.details && { details: problem.details }),
  },
});
const tooLarge = (): Outcome =>
  answer({
    code: 413,
    reason: 'RequestEntityTooLarge',
    message: `Request entity too large: limit is ${MAX_WRITE_BODY_BYTES}`,
  });
/** The mock's declared answer to a write it has no rules for (kube-apiserver's 405 Status, its own message). */
export const noWriteRules = (what: string): Outcome =>
  answer({ code: 405, reason: 'MethodNotAllowed', message: `the mock has no write rules for ${what}`, details: {} });
const isProblem = (value: object): value is StatusAnswer => 'code' in value && 'message' in value;

export function serveWrite(ctx: WriteContext, original: WriteRequest): Outcome {
  try {
    return serveWriteRequest(ctx, original);
  } catch (error) {
    if (!(error instanceof NodePortsExhausted)) throw error;
    const message = error.message;
    return answer({
      code: 500,
      reason: 'InternalError',
      message: `Internal error occurred: ${message}`,
      details: { causes: [{ message }] },
    });
  }
}

function serveWriteRequest(ctx: WriteContext, original: WriteRequest): Outcome {
  // The gateway may have read a signed body past kube-apiserver's own limit.
  const oversized = Buffer.isBuffer(original.body) && original.body.length > MAX_WRITE_BODY_BYTES;
  const request: WriteRequest = oversized ? { ...original, body: 'too-large' } : original;
  const { role, params, principal } = request;
  const namespace = role.namespaced ? (params.namespace ?? '') : '';
  const name = params.name;
  const subresource = 'subresource' in role ? role.subresource : undefined;
  const resource = subresource ? `${role.resource}/${subresource}` : role.resource;
  const refusal = forbiddenStatus(principal, VERB[role.role], resource, role.namespaced ? namespace : undefined, name);
  if (refusal) return { kind: 'status', code: 403, overrides: refusal };
  // The declared 405 (README "Answers", contract/differences.yaml): write rules exist for Services
  // only, and not for a collection delete or a POST to a subresource (binding, eviction, token).
  if (role.kind !== 'Service' || role.role === 'deletecollection' || (role.role === 'create' && subresource))
    return noWriteRules(`${role.role === 'deletecollection' ? 'deletecollection' : VERB[role.role]} ${resource}`);
  if (role.role === 'delete') return serveDelete(ctx, request, namespace, name ?? '');
  if (role.role === 'patch') return servePatch(ctx, request, namespace, name ?? '');
  return serveCreateOrReplace(ctx, request, namespace);
}

/** Decodes a create's or replace's body and its options; an Outcome when the request stops here. */
function readObject(
  request: WriteRequest,
  optionsKind: 'CreateOptions' | 'UpdateOptions',
): { ok: true; object: JsonObject; options: WriteOptions } | { ok: false; outcome: Outcome } {
  const stop = (outcome: Outcome) => ({ ok: false as const, outcome });
  if (!['application/json', 'application/yaml'].includes(mediaTypeOf(request.contentType))) {
    return stop(answer({ code: 415, reason: 'UnsupportedMediaType', message: UNKNOWN_FORMAT }));
  }
  if (request.body === 'too-large') return stop(tooLarge());
  const options = writeOptions(request.query, optionsKind);
  if (isProblem(options)) return stop(answer(options));
  const decoded = decodeObject(
    request.body ?? Buffer.alloc(0),
    request.contentType,
    request.role.kind,
    request.apiVersion,
  );
  if ('problem' in decoded) return stop(answer(decoded.problem));
  return { ok: true, object: decoded.object, options };
}

/** The namespace of the object must be the path's (400); it is filled in when absent. */
function placeInNamespace(object: JsonObject, namespace: string): Outcome | undefined {
  const metadata = objectAt(object, 'metadata');
  const given = stringAt(metadata, 'namespace');
  if (given && given !== namespace)
    return answer(badRequest('the namespace of the provided object does not match the namespace sent on the request'));
  metadata.namespace = namespace;
  return undefined;
}

function serveCreateOrReplace(ctx: WriteContext, request: WriteRequest, namespace: string): Outcome {
  const create = request.role.role === 'create';
  const read = readObject(request, create ? 'CreateOptions' : 'UpdateOptions');
  if (!read.ok) return read.outcome;
  const { object, options } = read;
  const name = request.params.name;
  const misplaced = create ? placeInNamespace(object, namespace) : checkName(object, name ?? '', namespace);
  if (misplaced) return misplaced;
  if (create) {
    if (!ctx.namespaceExists(namespace)) return answer(notFound('namespaces', namespace));
    return finish(ctx, request, createService(ctx, object, options.dryRun), options, undefined);
  }
  const live = ctx.store.get<JsonObject>(namespace, name ?? '');
  if (!live) return missingOnReplace(ctx, request, object, name ?? '', options);
  return finish(
    ctx,
    request,
    updateService(ctx, object, structuredClone(live), subresourceOf(request), options.dryRun),
    options,
    live,
  );
}

/** checkName of the update and patch handlers: the object's name and namespace against the URL's. */
function checkName(object: JsonObject, name: string, namespace: string): Outcome | undefined {
  const metadata = objectAt(object, 'metadata');
  const objectName = stringAt(metadata, 'name') ?? '';
  if (objectName === '')
    return answer(
      badRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`),
    );
  if (objectName !== name)
    return answer(badRequest(`the name of the object (${objectName}) does not match the name on the URL (${name})`));
  const objectNamespace = stringAt(metadata, 'namespace');
  if (objectNamespace && objectNamespace !== namespace) {
    return answer(
      badRequest(
        `the namespace of the object (${objectNamespace}) does not match the namespace on the request (${namespace})`,
      ),
    );
  }
  metadata.namespace = namespace;
  return undefined;
}

const subresourceOf = (request: WriteRequest) =>
  request.role.role === 'replace' || request.role.role === 'patch' ? request.role.subresource : undefined;

/**
 * A PUT to a missing Service is 404 (Services are not created on update), except on /status:
 * there kube-apiserver v1.20's generic store creates it (201), validated but with nothing allocated.
 */
function missingOnReplace(
  ctx: WriteContext,
  request: WriteRequest,
  object: JsonObject,
  name: string,
  options: WriteOptions,
): Outcome {
  if (subresourceOf(request) !== 'status') return answer(notFound(request.role.resource, name));
  delete objectAt(object, 'metadata').resourceVersion;
  return finish(ctx, request, createService(ctx, object, options.dryRun, false), options, undefined);
}

/** Stores (unless dry run) and answers 201 for a new object, 200 for an update. */
/** The object as stored, but for what a no-op update would renew: its resourceVersion and managedFields times. */
function comparable(object: JsonObject): string {
  const metadata = objectAt(object, 'metadata');
  const managed = Array.isArray(metadata.managedFields)
    ? metadata.managedFields.map((entry) => (isObject(entry) ? { ...entry, time: undefined } : entry))
    : metadata.managedFields;
  return JSON.stringify(
    goOrdered({ ...object, metadata: { ...metadata, resourceVersion: undefined, managedFields: managed } }),
  );
}

const isUnchanged = (object: JsonObject, live: JsonObject) => comparable(object) === comparable(live);

function finish(
  ctx: WriteContext,
  request: WriteRequest,
  result: RegistryResult,
  options: WriteOptions,
  live: JsonObject | undefined,
): Outcome {
  if ('problem' in result) return answer(result.problem);
  const { object } = result;
  if (result.created && stringAt(objectAt(object, 'metadata'), 'resourceVersion')) {
    return answer({ code: 500, reason: '', message: 'resourceVersion should not be set on objects to be created' });
  }
  const operation = request.role.role === 'patch' && mediaTypeOf(request.contentType) === APPLY ? 'Apply' : 'Update';
  recordManagedFields(object, live, {
    kind: request.role.kind,
    fieldManager: options.fieldManager,
    userAgent: request.userAgent,
    operation,
    time: ctx.now(),
    subresource: subresourceOf(request),
  });
  if (options.dryRun) {
    if (result.created) delete objectAt(object, 'metadata').resourceVersion;
    return { kind: 'object', status: result.created ? 201 : 200, body: goOrdered(object) };
  }
  // kube-apiserver writes nothing when the update changes nothing (the encoded object is the same):
  // no new resourceVersion, no watch event, and the manager's managedFields time stays.
  if (live && !result.created && isUnchanged(object, live)) return { kind: 'object', status: 200, body: live };
  // A placeholder keeps the resourceVersion in its Go position; the store sets its value.
  objectAt(object, 'metadata').resourceVersion ??= '0';
  const stored = ctx.store.apply(goOrdered(object));
  return { kind: 'object', status: result.created ? 201 : 200, body: stored };
}

function servePatch(ctx: WriteContext, request: WriteRequest, namespace: string, name: string): Outcome {
  if (request.role.role !== 'patch') return answer({ code: 500, message: 'not a patch' });
  const patchType = mediaTypeOf(request.contentType);
  if (!request.role.mediaTypes.includes(patchType)) {
    return answer({ code: 415, reason: 'UnsupportedMediaType', message: '415: Unsupported Media Type', details: {} });
  }
  if (request.body === 'too-large') return tooLarge();
  const options = patchOptions(request.query, patchType === APPLY);
  if ('badRequest' in options) return answer(badRequest(options.badRequest));
  if (isProblem(options)) return answer(options);
  const live = ctx.store.get<JsonObject>(namespace, name);
  const rawBody = (request.body ?? Buffer.alloc(0)).toString('utf8');
  if (!live) {
    if (patchType !== APPLY || subresourceOf(request)) return answer(notFound(request.role.resource, name));
    return applyCreate(ctx, request, namespace, name, rawBody, options);
  }
  const patched = ctx.patch(request.role.kind, structuredClone(live) as JsonObject, rawBody, {
    patchType,
    time: ctx.now(),
    ...(options.fieldManager !== undefined && { fieldManager: options.fieldManager }),
    ...(options.force !== undefined && { force: options.force }),
  });
  if (!patched.ok) return answer(patched.problem);
  const object = patched.object;
  const misplaced = checkName(object, name, namespace);
  if (misplaced) return misplaced;
  return finish(
    ctx,
    request,
    updateService(ctx, object, structuredClone(live) as JsonObject, subresourceOf(request), options.dryRun),
    options,
    live,
  );
}

/** Server-side apply of a missing object creates it (201). */
function applyCreate(
  ctx: WriteContext,
  request: WriteRequest,
  namespace: string,
  name: string,
  rawBody: string,
  options: WriteOptions,
): Outcome {
  const patched = ctx.patch(request.role.kind, undefined, rawBody, {
    patchType: APPLY,
    time: ctx.now(),
    ...(options.fieldManager !== undefined && { fieldManager: options.fieldManager }),
    ...(options.force !== undefined && { force: options.force }),
  });
  if (!patched.ok) return answer(patched.problem);
  const misplaced = checkName(patched.object, name, namespace);
  if (misplaced) return misplaced;
  if (!ctx.namespaceExists(namespace)) return answer(notFound('namespaces', namespace));
  return finish(ctx, request, createService(ctx, patched.object, options.dryRun), options, undefined);
}

function serveDelete(ctx: WriteContext, request: WriteRequest, namespace: string, name: string): Outcome {
  if (request.body === 'too-large') return tooLarge();
  const raw = request.body ?? Buffer.alloc(0);
  let body: JsonObject | undefined;
  if (raw.length > 0) {
    const decoded = decodeOptions(raw, request.contentType);
    if ('problem' in decoded) return answer(decoded.problem);
    body = decoded.object;
  }
  const options = deleteOptions(body, request.query);
  if ('badRequest' in options) return answer(badRequest(options.badRequest));
  if (isProblem(options)) return answer(options);
  const live = ctx.store.get<JsonObject>(namespace, name);
  if (!live) return answer(notFound(request.role.resource, name));
  const metadata = isObject(live.metadata) ? live.metadata : {};
  const { uid, resourceVersion } = options.preconditions;
  const conflictOn = (what: string) =>
    answer({
      code: 409,
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on ${request.role.kind} ${JSON.stringify(name)}: ${what}`,
      details: { name, kind: request.role.kind },
    });
  if (uid !== undefined && uid !== metadata.uid) {
    return conflictOn(
      `the UID in the precondition (${uid}) does not match the UID in record (${metadata.uid}). The object might have been deleted and then recreated`,
    );
  }
  if (resourceVersion !== undefined && resourceVersion !== metadata.resourceVersion) {
    return conflictOn(
      `the ResourceVersion in the precondition (${resourceVersion}) does not match the ResourceVersion in record (${metadata.resourceVersion}). The object might have been modified`,
    );
  }
  if (!options.dryRun) ctx.store.delete(namespace, name, request.role.kind);
  const details = { name, kind: request.role.resource, uid: String(metadata.uid ?? '') };
  return {
    kind: 'object',
    status: 200,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details },
  };
}
