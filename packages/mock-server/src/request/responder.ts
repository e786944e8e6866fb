// How one request is answered: the headers every answer carries (request and audit ids, the
// gateway's Date), and the body in the negotiated media type. Errors too are written in that type
// (YAML for a YAML client), as kube-apiserver does; the steps before negotiation use the Accept
// header's first encodable type, and the negotiation step settles it for the operation.
import { randomUUID } from 'node:crypto';
import type { Status, StatusDetails } from '@cci-openapi/types';
import { encodeBody } from '../encode.js';
import type { Gateway } from '../gateway/index.js';
import { ENCODABLE_TYPES, negotiateRepresentation, type EncodableType } from '../negotiation.js';
import type { StatusCatalog } from '../status.js';
import type { MockReply } from './types.js';

export type StatusOverrides = { message?: string; reason?: string; details?: StatusDetails };

export interface Responder {
  /** The type answers are written in (JSON until negotiated). */
  mediaType: EncodableType;
  pretty: boolean;
  readonly requestId: string;
  readonly auditId: string;
  /** The headers of a Kubernetes answer (content type, ids, the gateway's Date). */
  headers(extra?: Record<string, string>): Record<string, string>;
  /** The gateway's clock as a Date header (the `cci` profile), for a client to measure its skew. */
  dated(): Record<string, string>;
  reply(status: number, body: unknown, extraHeaders?: Record<string, string>): MockReply;
  /** A Status of `code` from the spec's examples (status.ts), with the request's message and details. */
  fail(code: number, overrides?: StatusOverrides, extraHeaders?: Record<string, string>): MockReply;
  /** A refusal in the gateway's own body (not a Status), as the gateway wrote it. */
  gatewayAnswer(
    answer: { status: number; headers: Record<string, string>; body: string },
    extra?: Record<string, string>,
  ): MockReply;
  /** A failed negotiation, as kube-apiserver's handler writes it (WriteRawJSON: JSON, always indented). */
  notAcceptable(served: readonly string[]): MockReply;
  /**
   * An Accept that names none of the route's media types, refused by kube-apiserver's router
   * (go-restful) before the handler: its own message, and the empty details of a generic error,
   * written as any other error, or as indented JSON when nothing can be negotiated.
   */
  notAcceptableByRouter(accept: string | undefined): MockReply;
}

export function createResponder(catalog: StatusCatalog, gateway: Gateway | undefined): Responder {
  // Behind the gateway, X-Request-Id is the gateway's (32 hex digits) and Audit-Id kube-apiserver's.
  const requestId = gateway ? gateway.requestId() : randomUUID();
  const auditId = gateway ? randomUUID() : requestId;
  const respond: Responder = {
    mediaType: 'application/json',
    pretty: false,
    requestId,
    auditId,
    dated: (): Record<string, string> => (gateway ? { date: new Date(gateway.now()).toUTCString() } : {}),
    headers: (extra = {}) => ({
      'content-type': respond.mediaType,
      'cache-control': 'no-cache, private',
      'x-request-id': requestId,
      'audit-id': auditId,
      ...respond.dated(),
      ...extra,
    }),
    reply: (status, body, extraHeaders = {}) => ({
      kind: 'reply',
      status,
      headers: respond.headers(extraHeaders),
      body: encodeBody(body, respond.mediaType, respond.pretty),
    }),
    fail: (code, overrides, extraHeaders) =>
      respond.reply(code, catalog.build(code, overrides) satisfies Status, extraHeaders),
    gatewayAnswer: (answer, extra = {}) => ({
      kind: 'reply',
      status: answer.status,
      headers: { ...answer.headers, ...respond.dated(), ...extra },
      body: answer.body,
    }),
    notAcceptable: (served) => {
      respond.mediaType = 'application/json';
      respond.pretty = true;
      return respond.fail(406, { message: `only the following media types are accepted: ${served.join(', ')}` });
    },
    notAcceptableByRouter: (accept) => {
      if (!negotiateRepresentation(accept, { served: ENCODABLE_TYPES, table: false })) {
        respond.mediaType = 'application/json';
        respond.pretty = true;
      }
      return respond.fail(406, { message: '406: Not Acceptable', details: {} });
    },
  };
  return respond;
}
