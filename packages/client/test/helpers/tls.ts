import { generate } from 'selfsigned';

export interface Pki {
  ca: string;
  server: { cert: string; key: string };
  client: { cert: string; key: string };
  /** A client certificate from a different CA: the server must refuse it. */
  strangerClient: { cert: string; key: string };
  /** Another CA, which did not sign the server's certificate. */
  otherCa: string;
}

const EC = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

async function certificateAuthority(name: string) {
  return generate([{ name: 'commonName', value: name }], {
    ...EC,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
}

async function leaf(name: string, ca: { key: string; cert: string }, usage: 'server' | 'client') {
  const pems = await generate([{ name: 'commonName', value: name }], {
    ...EC,
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: usage === 'server', clientAuth: usage === 'client' },
      ...(usage === 'server' ? [{ name: 'subjectAltName' as const, altNames: [{ type: 7 as const, ip: '127.0.0.1' }] }] : []),
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** A throw-away PKI, made fresh for the test run: a CA, a server and a client certificate, and strangers. */
export async function createPki(): Promise<Pki> {
  const [ca, other] = await Promise.all([certificateAuthority('cce-openapi test CA'), certificateAuthority('some other CA')]);
  const caPair = { key: ca.private, cert: ca.cert };
  const [server, client, strangerClient] = await Promise.all([
    leaf('127.0.0.1', caPair, 'server'),
    leaf('system:admin', caPair, 'client'),
    leaf('system:admin', { key: other.private, cert: other.cert }, 'client'),
  ]);
  return { ca: ca.cert, server, client, strangerClient, otherCa: other.cert };
}

/** A CCE-style kubeconfig.json: base64 PEM data fields, contexts `internal` and `external`. */
export function kubeconfigFor(server: string, ca: string, client: { cert: string; key: string }, extra: { external?: string } = {}) {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: {},
    clusters: [
      { name: 'internalCluster', cluster: { server, 'certificate-authority-data': b64(ca) } },
      { name: 'externalCluster', cluster: { server: extra.external ?? server, 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name: 'user', user: { 'client-certificate-data': b64(client.cert), 'client-key-data': b64(client.key) } }],
    contexts: [
      { name: 'internal', context: { cluster: 'internalCluster', user: 'user' } },
      { name: 'external', context: { cluster: 'externalCluster', user: 'user' } },
    ],
    'current-context': 'internal',
  };
}
