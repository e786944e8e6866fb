// The bundled OpenAPI description (@cce-openapi/types/openapi.json) is the mock's only source of
// routes, parameters and error bodies. It is read at run time, not bundled into dist, so a spec
// change reaches the mock by regenerating the types package alone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The parts of an OpenAPI 3.1 document the mock reads (the OpenAPI format itself, not the API's shapes). */
export interface OpenApiDocument {
  paths: Record<string, PathItem>;
  components: {
    schemas?: Record<string, unknown>;
    parameters?: Record<string, Parameter>;
    responses?: Record<string, ResponseObject>;
    examples?: Record<string, { value?: unknown }>;
  };
  [key: string]: unknown;
}

export interface Reference {
  $ref: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: { type?: string | string[]; minLength?: number; maxLength?: number; pattern?: string };
}

export interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { value?: unknown } | Reference>;
}

export interface ResponseObject {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, MediaType>;
}

export interface Operation {
  operationId?: string;
  parameters?: Array<Parameter | Reference>;
  responses?: Record<string, ResponseObject | Reference>;
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export type PathItem = { parameters?: Array<Parameter | Reference> } & Partial<Record<HttpMethod, Operation>>;

let cached: OpenApiDocument | undefined;

/** The bundled spec shipped in @cce-openapi/types, parsed once per process. */
export function loadBundledSpec(): OpenApiDocument {
  if (!cached) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@cce-openapi/types/openapi.json');
    cached = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  }
  return cached;
}

function isReference(node: unknown): node is Reference {
  return typeof node === 'object' && node !== null && typeof (node as Reference).$ref === 'string';
}

/** Follows a local `#/…` JSON pointer inside the document (the bundle has no external refs). */
export function resolvePointer(spec: OpenApiDocument, pointer: string): unknown {
  if (!pointer.startsWith('#/')) throw new Error(`only local references are supported, got ${JSON.stringify(pointer)}`);
  let node: unknown = spec;
  for (const raw of pointer.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) throw new Error(`unresolvable reference ${pointer}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Dereferences a node that may be a `$ref`, following chains of references. */
export function deref<T>(spec: OpenApiDocument, node: T | Reference): T {
  let current: unknown = node;
  for (let hops = 0; isReference(current); hops += 1) {
    if (hops > 32) throw new Error('reference cycle in the spec');
    current = resolvePointer(spec, current.$ref);
  }
  return current as T;
}
