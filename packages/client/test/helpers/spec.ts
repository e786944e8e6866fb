import type { Service, Status } from '@cci-openapi/types';
import { readSpec, typesBundlePath } from '@cci-openapi/spec-kit';

/** The bundled spec that @cci-openapi/types ships: tests read codes and examples from it, never copies. */
const spec = readSpec(typesBundlePath()) as {
  paths: Record<string, { get: { responses: Record<string, { $ref: string }> } }>;
  components: {
    examples: Record<string, { value: unknown }>;
    responses: Record<
      string,
      {
        headers?: Record<string, unknown>;
        content: { 'application/json': { examples?: Record<string, { value: unknown }> } };
      }
    >;
  };
};

export const OPERATION_PATH = '/api/v1/namespaces/{namespace}/services/{name}/status';

export function exampleService(): Service {
  return structuredClone(spec.components.examples.ServiceRedisClusterIP!.value) as Service;
}

export interface ErrorCase {
  status: number;
  /** The response's name in the spec (BadRequest, NotFound, …). */
  response: string;
  example: Status;
  declaresRetryAfter: boolean;
}

/** Every error status code the operation declares, with the first example body of its response. */
export function errorCases(): ErrorCase[] {
  const responses = spec.paths[OPERATION_PATH]!.get.responses;
  return Object.entries(responses)
    .filter(([code]) => Number(code) >= 400)
    .map(([code, ref]) => {
      const response = ref.$ref.split('/').pop()!;
      const definition = spec.components.responses[response]!;
      const examples = Object.values(definition.content['application/json'].examples ?? {});
      if (examples.length === 0) throw new Error(`spec: response ${response} has no example`);
      return {
        status: Number(code),
        response,
        example: examples[0]!.value as Status,
        declaresRetryAfter: 'Retry-After' in (definition.headers ?? {}),
      };
    });
}
