// The real server the other files compare against: the version built, the users the script sets
// up (admin token, reader token, certificate user), and the seeded Services.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { send, sendJson, type Target } from '../src/http.js';
import { mockFixtureServices } from '../src/seed.js';

const server = inject('realServer');

describe.skipIf(!server)('the real kube-apiserver', () => {
  const target = (): Target => ({ url: server!.url, ca: readFileSync(server!.servingCa) });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it("is Kubernetes v1.20.2 built from Debian's source package", async () => {
    const version = await sendJson(target(), { path: '/version', headers: bearer(server!.adminToken) }, [200]);
    expect(version).toMatchObject({ major: '1', minor: '20', gitVersion: 'v1.20.2', gitTreeState: 'clean' });
  });

  it('holds every seed Service, with the status written through /status', async () => {
    for (const seed of mockFixtureServices()) {
      const path = `/api/v1/namespaces/${seed.metadata?.namespace}/services/${seed.metadata?.name}/status`;
      const service = await sendJson(target(), { path, headers: bearer(server!.adminToken) }, [200]);
      expect(service.spec.type).toBe(seed.spec?.type);
      expect(service.status).toEqual(seed.status);
    }
  });

  it('knows the admin by token and by client certificate, the reader by token', async () => {
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const review = JSON.stringify({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'namespace-test', verb: 'get', resource: 'services' } },
    });
    const ask = (t: Target, headers: Record<string, string>) =>
      sendJson(t, { method: 'POST', path, headers, body: review }, [201]);
    expect((await ask(target(), bearer(server!.adminToken))).status.allowed).toBe(true);
    expect((await ask(target(), bearer(server!.readerToken))).status.allowed).toBe(false);
    const withCert = { ...target(), cert: readFileSync(server!.clientCert), key: readFileSync(server!.clientKey) };
    expect((await ask(withCert, {})).status.allowed).toBe(true);
  });

  it('refuses an unknown token with 401', async () => {
    const res = await send(target(), { path: '/api/v1/namespaces', headers: bearer('nobody') });
    expect(res.status).toBe(401);
  });
});
