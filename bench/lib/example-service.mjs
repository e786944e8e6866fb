// The example Service of the spec (components.examples.ServiceRedisClusterIP), read from the
// bundle that @cce-openapi/types ships, so benchmarks serve exactly what the API page shows.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function exampleService() {
  const spec = JSON.parse(readFileSync(require.resolve('@cce-openapi/types/openapi.json'), 'utf8'));
  return spec.components.examples.ServiceRedisClusterIP.value;
}
