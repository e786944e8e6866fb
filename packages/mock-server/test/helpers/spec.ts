// The bundled spec and a JSON Schema validator over it (the repository's shared spec validator).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createSpecValidator } from '@cce-openapi/spec-kit';

const require = createRequire(import.meta.url);
export const spec = JSON.parse(readFileSync(require.resolve('@cce-openapi/types/openapi.json'), 'utf8'));
const validator = createSpecValidator(spec);

export const OPERATION = spec.paths['/api/v1/namespaces/{namespace}/services/{name}/status'].get;

/** Errors of `value` against the spec's Service schema (empty when valid). */
export const serviceProblems = (value: unknown): string[] => validator.validate('#/components/schemas/Service', value);

/** Errors of `value` against the spec's Status schema (empty when valid). */
export const statusProblems = (value: unknown): string[] => validator.validate('#/components/schemas/Status', value);

/** HTTP codes the operation declares in the spec. */
export const declaredCodes = (): number[] => Object.keys(OPERATION.responses).map(Number);
