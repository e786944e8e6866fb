// JSON Schema 2020-12 validation (ajv) against the bundled spec's component schemas, used to
// refuse fixtures that are not Services the spec describes.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from './spec.js';

const SPEC_ID = 'https://cce-openapi.invalid/openapi.json';
// ajv-formats is CommonJS; its default export arrives wrapped once more under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export type SchemaValidator = (schemaPointer: string, value: unknown) => string[];

export function createSchemaValidator(spec: OpenApiDocument): SchemaValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // OpenAPI / Kubernetes keywords that are not JSON Schema: known to ajv, not validated.
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs', 'x-kubernetes-int-or-string']);
  // The document's own top-level fields, so the whole bundle is one schema resource.
  ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components', 'webhooks', 'jsonSchemaDialect']);
  ajv.addFormat('int-or-string', true);
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  const compiled = new Map<string, ValidateFunction>();
  return (schemaPointer, value) => {
    let check = compiled.get(schemaPointer);
    if (!check) {
      check = ajv.compile({ $ref: `${SPEC_ID}${schemaPointer}` });
      compiled.set(schemaPointer, check);
    }
    if (check(value)) return [];
    return (check.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
  };
}
