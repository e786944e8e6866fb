// The example Service of the spec (components.examples.ServiceRedisClusterIP), read from the
// bundle that @cci-openapi/types ships, so benchmarks serve exactly what the API page shows.
import { readSpec, typesBundlePath } from '@cci-openapi/spec-kit';

export function exampleService() {
  const spec = readSpec(typesBundlePath());
  return spec.components.examples.ServiceRedisClusterIP.value;
}
