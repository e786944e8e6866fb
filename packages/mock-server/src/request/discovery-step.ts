// Step 4, the paths that are not operations of the spec: /openapi/v2 (any method) and discovery
// (/api, /api/v1, /apis, /version), both derived from the spec, for whoever may read the path.
import type { IncomingHttpHeaders } from 'node:http';
import { mayReadPath, type Principal } from '../auth.js';
import type { Discovery } from '../discovery.js';
import { ENCODABLE_TYPES, negotiateRepresentation } from '../negotiation.js';
import type { Responder } from './responder.js';
import type { MockReply } from './types.js';

interface DiscoveryRequest {
  method: string;
  rawPath: string;
  headers: IncomingHttpHeaders;
  accept: string | undefined;
  principal: Principal;
}

/** The answer at a discovery path or /openapi/v2; undefined for any other path. */
export function serveDiscovery(
  discovery: Discovery,
  request: DiscoveryRequest,
  respond: Responder,
): MockReply | undefined {
  const { method, rawPath, headers, principal } = request;
  const openApi = discovery.openApiV2(rawPath, { method, headers });
  if (openApi) {
    if (!mayReadPath(principal, rawPath)) return forbiddenPath(principal, rawPath, respond);
    return {
      kind: 'reply',
      status: openApi.status,
      headers: { ...openApi.headers, 'audit-id': respond.auditId, ...respond.dated() },
      body: openApi.body,
    };
  }
  const discovered = discovery.document(rawPath, headers.host ?? '');
  if (!discovered) return undefined;
  if (method !== 'GET' && method !== 'HEAD') return respond.fail(405, undefined, { allow: 'GET' });
  if (!mayReadPath(principal, rawPath)) return forbiddenPath(principal, rawPath, respond);
  const chosen = negotiateRepresentation(request.accept, { served: ENCODABLE_TYPES, table: false });
  if (!chosen) return respond.notAcceptable(ENCODABLE_TYPES);
  respond.mediaType = chosen.mediaType;
  respond.pretty ||= discovered.alwaysPretty || chosen.pretty;
  return respond.reply(200, discovered.body);
}

function forbiddenPath(principal: Principal, rawPath: string, respond: Responder): MockReply {
  return respond.fail(403, {
    message: `forbidden: User ${JSON.stringify(principal.user)} cannot get path ${JSON.stringify(rawPath)}`,
    details: {},
  });
}
