// Route matching derived from the spec's `paths`: each path template becomes a matcher over path
// segments (the handler passes the decoded path, as kube-apiserver routes on it). Parameters (with
// their schemas) and the allowed methods come from the path item.
import { operationsOf } from '@cci-openapi/spec-kit';
import type { HttpMethod, OpenApiDocument, Operation, Parameter } from './spec.js';

export interface CompiledOperation {
  method: HttpMethod;
  operationId: string;
  operation: Operation;
  /** Path and query parameters of the operation (path-item parameters merged with the operation's). */
  parameters: Parameter[];
}

export interface CompiledRoute {
  template: string;
  /** Literal segments as strings, parameter segments as `{ param }`. */
  segments: Array<string | { param: string }>;
  operations: Map<HttpMethod, CompiledOperation>;
}

export type RouteMatch =
  | { kind: 'matched'; route: CompiledRoute; rawParams: Record<string, string> }
  | { kind: 'none' };

/** Compiles every path item of the spec into a route. */
export function compileRoutes(spec: OpenApiDocument): CompiledRoute[] {
  // spec-kit's operationsOf: each operation with the path item's parameters, overridden by its own.
  const byPath = new Map<string, Map<HttpMethod, CompiledOperation>>();
  for (const { path, method, operationId, operation, parameters } of operationsOf(spec)) {
    let operations = byPath.get(path);
    if (!operations) byPath.set(path, (operations = new Map()));
    operations.set(method as HttpMethod, {
      method: method as HttpMethod,
      operationId: operationId ?? `${method} ${path}`,
      operation,
      parameters,
    });
  }
  return Object.keys(spec.paths).map((template) => {
    const segments = template
      .split('/')
      .slice(1)
      .map((segment) => {
        const param = /^\{([^{}]+)\}$/.exec(segment);
        return param ? { param: param[1] as string } : segment;
      });
    return { template, segments, operations: byPath.get(template) ?? new Map() };
  });
}

/**
 * Matches a request path against the routes, segment by segment. Parameter segments must be
 * non-empty; their values are returned as they appear in the path, for the caller to validate.
 */
export function matchRoute(routes: readonly CompiledRoute[], rawPath: string): RouteMatch {
  const parts = rawPath.split('/').slice(1);
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    const rawParams: Record<string, string> = {};
    const matches = route.segments.every((segment, index) => {
      const part = parts[index] as string;
      if (typeof segment === 'string') return segment === part;
      if (part.length === 0) return false;
      rawParams[segment.param] = part;
      return true;
    });
    if (matches) return { kind: 'matched', route, rawParams };
  }
  return { kind: 'none' };
}

/** The `Allow` header value of a route: its methods as the spec declares them. */
export function allowHeader(route: CompiledRoute): string {
  return [...route.operations.keys()].map((m) => m.toUpperCase()).join(', ');
}

/** "/api/v1/…" → core v1; "/apis/{group}/{version}/…" → that group version; else undefined. */
export function groupVersionOf(template: string): { group: string; version: string; prefix: string } | undefined {
  const core = /^\/api\/(v[0-9a-z]+)\//.exec(template);
  if (core) return { group: '', version: core[1]!, prefix: `/api/${core[1]}` };
  const named = /^\/apis\/([^/{}]+)\/(v[0-9a-z]+)\//.exec(template);
  if (named) return { group: named[1]!, version: named[2]!, prefix: `/apis/${named[1]}/${named[2]}` };
  return undefined;
}

/** The apiVersion served under a path: /api/v1/… → "v1", /apis/<group>/<version>/… → "group/version". */
export function apiVersionOf(template: string): string {
  const gv = groupVersionOf(template);
  if (gv === undefined) return 'v1';
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}
