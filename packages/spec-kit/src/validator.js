// JSON Schema 2020-12 validation (ajv) against the bundled spec's schemas: examples in the spec,
// mock-server answers and fixtures, client test bodies are all checked by this one validator.
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { encodePointerSegment, deref } from './pointer.js';

// Both are CommonJS; depending on the loader their default export may arrive wrapped once more.
/** @type {any} */ const Ajv2020 = /** @type {any} */ (Ajv2020Module).default ?? Ajv2020Module;
/** @type {any} */ const addFormats = /** @type {any} */ (addFormatsModule).default ?? addFormatsModule;

const SPEC_ID = 'https://cci-openapi.invalid/openapi.json';

/**
 * @param {any} spec the bundled OpenAPI document
 * @returns {{ validate(pointer: string, value: unknown): string[] }} pointer like "#/components/schemas/Service";
 *   the result lists the errors (instance path and message), empty when the value is valid.
 */
export function createSpecValidator(spec) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, validateFormats: true });
  addFormats(ajv);
  // OpenAPI and Kubernetes vocabulary that is not JSON Schema: known, not validated.
  ajv.addVocabulary([
    'example',
    'discriminator',
    'xml',
    'externalDocs',
    'x-kubernetes-int-or-string',
    'x-kubernetes-group-version-kind',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-list-type',
    'x-kubernetes-patch-merge-key',
    'x-kubernetes-patch-strategy',
  ]);
  // The OpenAPI document's own top-level fields, so the whole bundle is registered as one schema
  // resource and "#/components/…" pointers resolve inside it.
  ajv.addVocabulary([
    'openapi',
    'info',
    'servers',
    'security',
    'tags',
    'paths',
    'components',
    'webhooks',
    'jsonSchemaDialect',
  ]);
  ajv.addFormat('int-or-string', true);
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  /** @type {Map<string, any>} */
  const compiled = new Map();
  return {
    validate(pointer, value) {
      let check = compiled.get(pointer);
      if (!check) {
        check = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
        compiled.set(pointer, check);
      }
      if (check(value)) return [];
      return (check.errors ?? []).map(
        (/** @type {any} */ error) =>
          `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}${error.params && 'allowedValues' in error.params ? `: ${error.params.allowedValues.join(', ')}` : ''}`,
      );
    },
  };
}

/**
 * Every example in the spec with the JSON pointer of the schema it must satisfy: the examples of
 * every response (components and inline in operations) and of every schema.
 * @param {any} spec
 * @returns {Generator<{ where: string, schemaPointer: string, value: unknown }>}
 */
export function* examplesOf(spec) {
  const esc = encodePointerSegment;
  /** @param {string} where @param {any} media @param {string} schemaPointer */
  function* fromMedia(where, media, schemaPointer) {
    if (media.example !== undefined) yield { where: `${where} example`, schemaPointer, value: media.example };
    for (const [name, example] of Object.entries(media.examples ?? {}))
      yield { where: `${where} examples.${name}`, schemaPointer, value: deref(spec, example).value };
  }
  for (const [name, response] of Object.entries(spec.components?.responses ?? {})) {
    for (const [type, media] of Object.entries(/** @type {any} */ (response).content ?? {})) {
      yield* fromMedia(
        `responses.${name} ${type}`,
        media,
        `#/components/responses/${esc(name)}/content/${esc(type)}/schema`,
      );
    }
  }
  for (const [path, pathItem] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(/** @type {any} */ (pathItem))) {
      if (typeof operation !== 'object' || !operation?.responses) continue;
      for (const [code, response] of Object.entries(operation.responses)) {
        if (/** @type {any} */ (response).$ref) continue; // a component, covered above
        for (const [type, media] of Object.entries(/** @type {any} */ (response).content ?? {})) {
          yield* fromMedia(
            `${method.toUpperCase()} ${path} ${code} ${type}`,
            media,
            `#/paths/${esc(path)}/${method}/responses/${code}/content/${esc(type)}/schema`,
          );
        }
      }
    }
  }
  for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) {
    const examples = /** @type {{ examples?: unknown[] }} */ (schema).examples ?? [];
    for (const [index, value] of examples.entries()) {
      yield { where: `schemas.${name} examples[${index}]`, schemaPointer: `#/components/schemas/${esc(name)}`, value };
    }
  }
}
