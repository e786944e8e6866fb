// /openapi/v2 of the mock: the spec as kube-apiserver's Swagger 2.0 document (document.ts), its
// gnostic protobuf form (gnostic.ts) and the HTTP answer (serve.ts).
import type { OpenApiDocument } from '../spec.js';
import { toSwagger } from './document.js';
import { encodeDocument } from './gnostic.js';
import { createOpenApiV2Service, type OpenApiV2Service } from './serve.js';

export { toSwagger } from './document.js';

export { OPENAPI_V2_PATH, type OpenApiAnswer, type OpenApiV2Service } from './serve.js';

/** Go's json.Marshal escapes <, > and & (and U+2028/2029) as \u003c …; kube-apiserver's JSON bytes carry them so. */
function goJson(value: unknown): Buffer {
  const text = JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.from(text, 'utf8');
}

/** The /openapi/v2 service for a spec; the document is derived on the first request, then kept. */
export function createOpenApiV2(spec: OpenApiDocument): OpenApiV2Service {
  let document: ReturnType<typeof toSwagger> | undefined;
  const swagger = () => (document ??= toSwagger(spec));
  return createOpenApiV2Service({ json: () => goJson(swagger()), protobuf: () => encodeDocument(swagger()) });
}
