// The shapes every step of the request path shares: the request as the server hands it over, the
// reply the server writes, what the handler is built from, and a step's way to stop the request.
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientCertificate, TokenSpec } from '../auth.js';
import type { FaultInjector } from '../faults.js';
import type { Gateway } from '../gateway/index.js';
import type { CompiledRoute } from '../routes.js';
import type { OpenApiDocument } from '../spec.js';
import type { StatusCatalog } from '../status.js';
import type { ObjectStore } from '../store.js';
import type { WatchSettings, WatchSink } from '../watch.js';
import type { WriteContext } from '../writes/index.js';

export interface MockRequest {
  method: string;
  /** "1.1" or "1.0": a Host header is required from HTTP/1.1 clients only. */
  httpVersion: string;
  /** The request target as received (origin-form "/path?query", or absolute-form). */
  url: string;
  headers: IncomingHttpHeaders;
  /** The client certificate: presented, verified, its CN (API-server mode, where it is always set). */
  clientCertificate?: ClientCertificate;
  /** The body, read when the gateway needs it (IAM, signed requests) or for a write; 'too-large' past its limit. */
  body?: Buffer | 'too-large';
}

export type MockReply =
  /** The body is text, or bytes (the protobuf of /openapi/v2). */
  | { kind: 'reply'; status: number; headers: Record<string, string>; body: string | Buffer }
  /** A streamed answer (watch): the server writes the head, then hands the connection to `start`. */
  | { kind: 'stream'; status: number; headers: Record<string, string>; start(sink: WatchSink): void }
  | { kind: 'reset' };

export interface HandlerContext {
  spec: OpenApiDocument;
  routes: CompiledRoute[];
  catalog: StatusCatalog;
  store: ObjectStore;
  faults: FaultInjector;
  /** Accepted tokens, in `Authorization: Bearer` or `X-Auth-Token` (optionally limited to namespaces). */
  tokens: readonly TokenSpec[];
  /** API-server mode: a client certificate signed by the CA authenticates too. */
  mutualTls: boolean;
  /** No credential at all is `system:anonymous` (403 except /version) rather than 401 (see auth.ts). */
  anonymous?: boolean;
  watch?: WatchSettings;
  /** The `cci` profile: the API gateway's authentication and IAM; kube-apiserver's when absent. */
  gateway?: Gateway;
  /** What the write operations need (allocation ranges, namespaces, patch engines, profile rules). */
  writes: WriteContext;
}

/** A step that ends the request carries its reply; the handler returns it as it is. */
export interface Stop {
  stop: MockReply;
}

export const stop = (reply: MockReply): Stop => ({ stop: reply });

export const isStop = (value: object): value is Stop => 'stop' in value;

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
