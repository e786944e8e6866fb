// Step 6, the representation: JSON or YAML wherever the spec serves JSON, a Table (kubectl's
// columns) for a resource's reads and lists (a subresource such as /status has no table
// convertor), and a watch's `application/json;stream=watch`. A text read (pods/log) negotiates its
// errors as kube-apiserver's handler does, from its serializers: JSON or YAML, else 406. A connect
// never refuses an Accept: its errors are JSON or YAML when asked for, else indented JSON
// (kube-apiserver's WriteRawJSON once negotiation fails).
import { ENCODABLE_TYPES, negotiateRepresentation, type Representation } from '../negotiation.js';
import { WATCH_MEDIA_TYPE } from '../resources.js';
import type { Responder } from './responder.js';
import type { OperationFacts } from './route.js';
import { stop, type Stop } from './types.js';

/** The chosen representation (undefined for a watch stream asked for by its own media type). */
export type Negotiated = { representation: Representation | undefined };

export function negotiateOperation(
  facts: OperationFacts,
  accept: string | undefined,
  respond: Responder,
): Negotiated | Stop {
  const { role, okTypes } = facts;
  if (role.role === 'connect') {
    const representation = negotiateRepresentation(accept, { served: ENCODABLE_TYPES, table: false });
    if (representation) choose(respond, representation);
    else {
      respond.mediaType = 'application/json';
      respond.pretty = true;
    }
    return { representation };
  }
  const served = role.role === 'text' ? [...ENCODABLE_TYPES] : servedTypes(okTypes);
  const table = role.role === 'list' || (role.role === 'read' && role.subresource === undefined);
  const representation = negotiateRepresentation(accept, { served, table });
  if (!representation && !acceptsWatchStream(accept, okTypes)) return stop(respond.notAcceptable(served));
  if (representation) choose(respond, representation);
  return { representation };
}

function choose(respond: Responder, representation: Representation): void {
  respond.mediaType = representation.mediaType;
  respond.pretty ||= representation.pretty;
}

/** kube-apiserver serves YAML wherever it serves JSON; the watch stream is not a representation. */
function servedTypes(okTypes: readonly string[]): string[] {
  const served = okTypes.filter((type) => type !== WATCH_MEDIA_TYPE);
  if (served.includes('application/json') && !served.includes('application/yaml')) served.push('application/yaml');
  return served;
}

/** A watch may also be asked for as `application/json;stream=watch` when the spec declares it. */
function acceptsWatchStream(accept: string | undefined, served: readonly string[]): boolean {
  if (!accept || !served.includes(WATCH_MEDIA_TYPE)) return false;
  return accept.split(',').some((range) => range.replace(/\s+/g, '').toLowerCase() === WATCH_MEDIA_TYPE);
}
