// The bundled spec with the Service read/list operations of the team's interface list. When the
// bundled spec already declares them (the spec work has landed), it is returned unchanged; until
// then they are added here, in the shape the interface list gives, so the mock's behaviour is
// tested through the same spec-driven path either way.
import { spec } from './spec.js';

const NAMESPACED = '/api/v1/namespaces/{namespace}/services';
const ALL = '/api/v1/services';
const READ = '/api/v1/namespaces/{namespace}/services/{name}';
const STATUS = '/api/v1/namespaces/{namespace}/services/{name}/status';

function withServiceOperations(base: any): any {
  if (base.paths[NAMESPACED]?.get && base.paths[ALL]?.get && base.paths[READ]?.get && base.components.schemas.ServiceList) return base;
  const copy = structuredClone(base);
  const status = copy.paths[STATUS];
  const errors = Object.fromEntries(Object.entries(status.get.responses).filter(([code]) => code !== '200'));
  copy.components.schemas.ServiceList ??= {
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: '#/components/schemas/ListMeta' },
      items: { type: 'array', items: { $ref: '#/components/schemas/Service' } },
    },
  };
  copy.components.schemas.WatchEvent ??= {
    type: 'object',
    required: ['type', 'object'],
    properties: { type: { type: 'string' }, object: { type: 'object' } },
  };
  const listResponses = {
    '200': {
      description: 'OK',
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/ServiceList' } },
        'application/json;stream=watch': { schema: { $ref: '#/components/schemas/WatchEvent' } },
      },
    },
    ...errors,
  };
  copy.paths[READ] ??= { parameters: status.parameters, get: { ...status.get, operationId: 'readCoreV1NamespacedService' } };
  copy.paths[NAMESPACED] ??= {
    parameters: status.parameters.filter((p: any) => !String(p.$ref ?? p.name).endsWith('/name')),
    get: { operationId: 'listCoreV1NamespacedService', responses: listResponses },
  };
  copy.paths[ALL] ??= { get: { operationId: 'listCoreV1ServiceForAllNamespaces', responses: listResponses } };
  return copy;
}

/** The spec the list and watch tests serve. */
export const serviceSpec = withServiceOperations(spec);
