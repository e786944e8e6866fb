// The bundled OpenAPI description (@cci-openapi/types/openapi.json) is the mock's only source of
// routes, parameters and error bodies. It is read at run time, not bundled into dist, so a spec
// change reaches the mock by regenerating the types package alone. Loading and `$ref` following
// are @cci-openapi/spec-kit's; this file only types the parts of the OpenAPI format the mock reads.
import { deref as specKitDeref, loadBundledSpec as loadBundle } from '@cci-openapi/spec-kit';

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

export type PathItem = { parameters?: Array<Parameter | Reference> } & Partial<Record<HttpMethod, Operation>>;

/** The bundled spec shipped in @cci-openapi/types, parsed once per process (read-only). */
export function loadBundledSpec(): OpenApiDocument {
  return loadBundle('types') as OpenApiDocument;
}

/** Dereferences a node that may be a `$ref`, following chains of references (spec-kit's deref, typed for the mock). */
export function deref<T>(spec: OpenApiDocument, node: T | Reference): T {
  return specKitDeref<T>(spec, node);
}
