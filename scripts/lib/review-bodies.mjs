// What a reviewer of a write operation wants to see and redocly diff does not say: for each operation
// the change adds or touches, its request body (required or not, each media type with its schema)
// and the media types of its responses. redocly diff rates an added operation `Operation added` and a
// new request body `NamedRequestBodies added`, naming neither the operation nor the media types.
import { deref, isReference, operationsOf, refName } from '@cci-openapi/spec-kit';

/** The schema of a media type, by the name a reader knows: its component's name, else its title or type. */
function schemaName(schema) {
  if (!schema) return 'no schema';
  if (isReference(schema)) return refName(schema.$ref);
  return schema.title ?? schema.type ?? 'inline schema';
}

/** One operation's request body and response media types. */
function surfaceOf(spec, operation) {
  const body = operation.requestBody ? deref(spec, operation.requestBody) : undefined;
  const request = new Map(
    Object.entries(body?.content ?? {}).map(([mediaType, media]) => [mediaType, schemaName(media.schema)]),
  );
  const responses = new Set(
    Object.values(operation.responses ?? {}).flatMap((response) => Object.keys(deref(spec, response)?.content ?? {})),
  );
  return { hasBody: Boolean(body), required: Boolean(body?.required), request, responses };
}

/**
 * @typedef {{ mediaType: string, schema: string, change: 'added' | 'removed' | 'kept' | 'schema changed', was?: string }} RequestMediaType
 * @typedef {{ operationId: string, method: string, path: string, added: boolean, body: { required: boolean, requiredBefore?: boolean } | null,
 *   request: RequestMediaType[], responses: { added: string[], removed: string[], all: string[] } }} BodyChange
 * @param {any} base the base bundle @param {any} head the working tree's bundle
 * @returns {BodyChange[]} the operations of head that are new, or whose request body or media types changed
 */
export function bodyChanges(base, head) {
  const key = ({ method, path }) => `${method} ${path}`;
  const before = new Map(operationsOf(base).map((operation) => [key(operation), operation]));
  /** @type {BodyChange[]} */
  const changes = [];
  for (const operation of operationsOf(head)) {
    const old = before.get(key(operation));
    const now = surfaceOf(head, operation.operation);
    const was = old
      ? surfaceOf(base, old.operation)
      : { hasBody: false, required: false, request: new Map(), responses: new Set() };
    const request = [
      ...[...now.request].map(([mediaType, schema]) => {
        const previous = was.request.get(mediaType);
        const change = previous === undefined ? 'added' : previous === schema ? 'kept' : 'schema changed';
        return { mediaType, schema, change, ...(change === 'schema changed' ? { was: previous } : {}) };
      }),
      ...[...was.request]
        .filter(([mediaType]) => !now.request.has(mediaType))
        .map(([mediaType, schema]) => ({ mediaType, schema, change: 'removed' })),
    ];
    const responses = {
      added: [...now.responses].filter((mediaType) => !was.responses.has(mediaType)),
      removed: [...was.responses].filter((mediaType) => !now.responses.has(mediaType)),
      all: [...now.responses],
    };
    const bodyChanged =
      now.hasBody !== was.hasBody || now.required !== was.required || request.some((media) => media.change !== 'kept');
    if (old && !bodyChanged && responses.added.length + responses.removed.length === 0) continue;
    changes.push({
      operationId: operation.operationId,
      method: operation.method.toUpperCase(),
      path: operation.path,
      added: !old,
      body: now.hasBody
        ? {
            required: now.required,
            ...(old && was.hasBody && was.required !== now.required ? { requiredBefore: was.required } : {}),
          }
        : null,
      request: /** @type {RequestMediaType[]} */ (request),
      responses,
    });
  }
  return changes;
}
