// The test PKI is the repository's one, from @cci-openapi/test-support; the kubeconfig shape is the client's own.
export { createTestPki as createPki, type TestPki as Pki } from '@cci-openapi/test-support';

/** A CCI-style kubeconfig.json: base64 PEM data fields, contexts `internal` and `external`. */
export function kubeconfigFor(
  server: string,
  ca: string,
  client: { cert: string; key: string },
  extra: { external?: string } = {},
) {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: {},
    clusters: [
      { name: 'internalCluster', cluster: { server, 'certificate-authority-data': b64(ca) } },
      { name: 'externalCluster', cluster: { server: extra.external ?? server, 'insecure-skip-tls-verify': true } },
    ],
    users: [
      { name: 'user', user: { 'client-certificate-data': b64(client.cert), 'client-key-data': b64(client.key) } },
    ],
    contexts: [
      { name: 'internal', context: { cluster: 'internalCluster', user: 'user' } },
      { name: 'external', context: { cluster: 'externalCluster', user: 'user' } },
    ],
    'current-context': 'internal',
  };
}
