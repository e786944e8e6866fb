// The bundled spec and a JSON Schema validator over it (the repository's shared spec validator).
import { createSpecValidator, readSpec, typesBundlePath } from '@cci-openapi/spec-kit';

export const spec = readSpec(typesBundlePath());
const validator = createSpecValidator(spec);

const OPERATION = spec.paths['/api/v1/namespaces/{namespace}/services/{name}/status'].get;

/** Errors of `value` against the spec's Service schema (empty when valid). */
export const serviceProblems = (value: unknown): string[] => validator.validate('#/components/schemas/Service', value);

/** Errors of `value` against the spec's Status schema (empty when valid). */
export const statusProblems = (value: unknown): string[] => validator.validate('#/components/schemas/Status', value);

/** Errors of `value` against the spec's ServiceList schema (empty when valid). */
export const listProblems = (value: unknown): string[] => validator.validate('#/components/schemas/ServiceList', value);

/** HTTP codes the operation declares in the spec. */
export const declaredCodes = (): number[] => Object.keys(OPERATION.responses).map(Number);
