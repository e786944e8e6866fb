// The operations of a bundled spec, each with what the slow test needs to call it and to judge the
// answer, all read from the spec itself: its success media types, the kind its 200 answer carries,
// whether it is a list (a GET whose 200 schema is a `…List` with `items`), a named read (a GET of a
// path with `{name}`) or anything else, and the codes it declares.
import { deref } from '@cci-openapi/spec-kit';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export type Role = 'list' | 'read' | 'connect' | 'write';

export interface SpecOperation {
  operationId: string;
  method: (typeof METHODS)[number];
  path: string;
  role: Role;
  /** The media types of the 2xx answers, in declaration order. */
  successMediaTypes: string[];
  /** Every declared response code. */
  codes: string[];
  /** The `kind` of the 200 answer's JSON object, when its schema names one (its title's last segment). */
  kind?: string;
  /** The request body's media types (the first is the one probed), and the kind it carries (from its schema's title). */
  body?: { mediaType: string; mediaTypes: string[]; required: boolean; kind?: string };
  /** The schema component the 200 answer's JSON is, by name, for the typed use. */
  resultSchema?: string;
}

/** The component name of a schema reference: `#/components/schemas/Pod` → `Pod`. */
function schemaName(schema: any): string | undefined {
  const ref: unknown = schema?.$ref;
  return typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.split('/').at(-1) : undefined;
}

/** A kind from a schema's title (`io.k8s.api.core.v1.Pod` → `Pod`); undefined for non-objects. */
function kindOf(spec: any, schema: any): string | undefined {
  const resolved = schema && deref(spec, schema);
  if (!resolved?.properties?.kind || typeof resolved.title !== 'string') return undefined;
  return resolved.title.split(' ')[0].split('.').at(-1);
}

function roleOf(method: string, path: string, operation: any, kind: string | undefined): Role {
  if (operation['x-kubernetes-action'] === 'connect') return 'connect';
  if (method !== 'get') return 'write';
  if (kind?.endsWith('List')) return 'list';
  return path.includes('{name}') ? 'read' : 'list';
}

export function operationsOf(spec: any): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const responses = Object.entries<any>(operation.responses).map(([code, response]) => [
        code,
        deref(spec, response),
      ]);
      const successMediaTypes = [
        ...new Set(
          responses.flatMap(([code, response]) => (code.startsWith('2') ? Object.keys(response.content ?? {}) : [])),
        ),
      ];
      const ok = responses.find(([code]) => code === '200')?.[1]?.content?.['application/json']?.schema;
      const kind = kindOf(spec, ok);
      const requestBody = operation.requestBody && deref(spec, operation.requestBody);
      const [mediaType, content] = Object.entries<any>(requestBody?.content ?? {})[0] ?? [];
      operations.push({
        operationId: operation.operationId,
        method,
        path,
        role: roleOf(method, path, operation, kind),
        successMediaTypes,
        codes: responses.map(([code]) => code),
        ...(kind ? { kind } : {}),
        ...(mediaType
          ? {
              body: {
                mediaType,
                mediaTypes: Object.keys(requestBody.content),
                required: requestBody.required === true,
                kind: kindOf(spec, content.schema),
              },
            }
          : {}),
        ...(schemaName(ok) ? { resultSchema: schemaName(ok) } : {}),
      });
    }
  }
  return operations;
}
