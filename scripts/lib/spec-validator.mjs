// A JSON Schema 2020-12 validator (ajv) over the bundled spec's schemas, shared by the tests that
// check examples, mock-server answers and fixtures against the spec.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const SPEC_ID = 'https://cce-openapi.invalid/openapi.json';

/**
 * @param {any} spec the bundled OpenAPI document
 * @returns {{ validate(pointer: string, value: unknown): string[] }} pointer like "#/components/schemas/Service";
 *   the result lists the errors, empty when the value is valid.
 */
export function createSpecValidator(spec) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, validateFormats: true });
  addFormats(ajv);
  // OpenAPI and Kubernetes vocabulary that is not JSON Schema: known, not validated.
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs', 'x-kubernetes-int-or-string']);
  // The OpenAPI document's own top-level fields, so the whole bundle can be registered as one
  // schema resource and "#/components/…" pointers resolve inside it.
  ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components', 'webhooks', 'jsonSchemaDialect']);
  ajv.addFormat('int-or-string', true);
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  const compiled = new Map();
  return {
    validate(pointer, value) {
      let check = compiled.get(pointer);
      if (!check) {
        check = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
        compiled.set(pointer, check);
      }
      if (check(value)) return [];
      return (check.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message}${error.params && 'allowedValues' in error.params ? `: ${error.params.allowedValues.join(', ')}` : ''}`);
    },
  };
}

/** Every example in the spec with the JSON pointer of the schema it must satisfy. */
export function* examplesOf(spec) {
  const escape = (key) => key.replace(/~/g, '~0').replace(/\//g, '~1');
  const resolve = (node) => (node?.$ref ? resolve(node.$ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((n, k) => n?.[k], spec)) : node);
  function* fromMedia(where, media, schemaPointer) {
    if (media.example !== undefined) yield { where: `${where} example`, schemaPointer, value: media.example };
    for (const [name, example] of Object.entries(media.examples ?? {})) yield { where: `${where} examples.${name}`, schemaPointer, value: resolve(example).value };
  }
  const responses = Object.entries(spec.components?.responses ?? {});
  for (const [name, response] of responses) {
    for (const [type, media] of Object.entries(response.content ?? {})) {
      yield* fromMedia(`responses.${name} ${type}`, media, `#/components/responses/${escape(name)}/content/${escape(type)}/schema`);
    }
  }
  for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) {
    for (const [index, value] of (schema.examples ?? []).entries()) yield { where: `schemas.${name} examples[${index}]`, schemaPointer: `#/components/schemas/${escape(name)}`, value };
  }
}
