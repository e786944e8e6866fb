// Route matching derived from the spec's `paths`: each path template becomes a matcher over raw
// (still percent-encoded) path segments, so an encoded "/" inside a name can never change which
// route is taken. Parameters (with their schemas) and the allowed methods come from the path item.
import { deref, HTTP_METHODS, type HttpMethod, type OpenApiDocument, type Operation, type Parameter } from './spec.js';

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
  /** The collection a `{name}` parameter names, e.g. "services" (used in NotFound details). */
  resource: string | undefined;
  /** The literal segment after `{name}`, e.g. "status" (used in Forbidden messages). */
  subresource: string | undefined;
}

export type RouteMatch = { kind: 'matched'; route: CompiledRoute; rawParams: Record<string, string> } | { kind: 'none' };

/** Compiles every path item of the spec into a route. */
export function compileRoutes(spec: OpenApiDocument): CompiledRoute[] {
  return Object.entries(spec.paths).map(([template, pathItem]) => {
    const segments = template
      .split('/')
      .slice(1)
      .map((segment) => {
        const param = /^\{([^{}]+)\}$/.exec(segment);
        return param ? { param: param[1] as string } : segment;
      });
    const shared = (pathItem.parameters ?? []).map((p) => deref<Parameter>(spec, p));
    const operations = new Map<HttpMethod, CompiledOperation>();
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const own = (operation.parameters ?? []).map((p) => deref<Parameter>(spec, p));
      // An operation's parameter overrides a path-level one with the same name and location.
      const merged = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      operations.set(method, { method, operationId: operation.operationId ?? `${method} ${template}`, operation, parameters: merged });
    }
    const nameIndex = segments.findIndex((s) => typeof s !== 'string' && s.param === 'name');
    const before = nameIndex > 0 ? segments[nameIndex - 1] : undefined;
    const after = nameIndex >= 0 ? segments[nameIndex + 1] : undefined;
    return {
      template,
      segments,
      operations,
      resource: typeof before === 'string' ? before : undefined,
      subresource: typeof after === 'string' ? after : undefined,
    };
  });
}

/**
 * Matches a raw request path (before percent-decoding) against the routes. Parameter segments must
 * be non-empty; their values are returned still encoded, for the caller to decode and validate.
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
