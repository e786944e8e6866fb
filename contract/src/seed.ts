// The Services both servers hold: the mock's own fixtures (packages/mock-server/fixtures), created on
// the real server through its API as a user would — POST the Service, then PUT its status.
import { loadFixtures } from '@cci-openapi/mock-server';
import { loadBundledSpec, type OpenApiDocument } from '@cci-openapi/spec-kit';
import type { Service } from '@cci-openapi/types';
import { sendJson, type Target } from './http.js';
import { SERVER_SET_METADATA } from './view.js';

/** The bundled spec the mock and the client are generated from. */
export function bundledSpec(): OpenApiDocument {
  return loadBundledSpec('types');
}

/** The mock's default fixtures, loaded by the mock's own loader (so `$ref` items resolve as it does). */
export function mockFixtureServices(): Service[] {
  return structuredClone(loadFixtures());
}

/** What a user sends to create `service`: no status, no fields only the server sets. */
export function creationBody(service: Service): Service {
  const body = structuredClone(service) as any;
  for (const key of SERVER_SET_METADATA) delete body.metadata?.[key];
  delete body.status;
  return body;
}

/** A Service as read from a server, without the fields only that server set (status kept). */
export function creationBodyWithStatus(service: Service): Service {
  const body = structuredClone(service) as any;
  for (const key of SERVER_SET_METADATA) delete body.metadata?.[key];
  return body;
}

/** Creates the namespaces and Services on a real API server, then writes each non-empty status. */
export async function seedRealServer(target: Target, token: string, services: Service[]): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  const namespaces = [...new Set(services.map((s) => s.metadata?.namespace ?? 'default'))];
  for (const name of namespaces) {
    await sendJson(
      target,
      {
        method: 'POST',
        path: '/api/v1/namespaces',
        headers: auth,
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
      },
      [201, 409],
    );
  }
  for (const service of services) {
    const ns = service.metadata?.namespace ?? 'default';
    const created = await sendJson(
      target,
      {
        method: 'POST',
        path: `/api/v1/namespaces/${ns}/services`,
        headers: auth,
        body: JSON.stringify(creationBody(service)),
      },
      [201],
    );
    const status = (service as any).status;
    if (status && JSON.stringify(status) !== JSON.stringify({ loadBalancer: {} })) {
      await sendJson(
        target,
        {
          method: 'PUT',
          path: `/api/v1/namespaces/${ns}/services/${service.metadata?.name}/status`,
          headers: auth,
          body: JSON.stringify({ ...created, status }),
        },
        [200],
      );
    }
  }
}
