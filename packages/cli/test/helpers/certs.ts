// A throw-away PKI for API-server mode tests: a CA, a server certificate for 127.0.0.1 and a client
// certificate signed by it, plus a client certificate from an unrelated CA.
import { generate } from 'selfsigned';

export interface TestPki {
  ca: string;
  server: { cert: string; key: string };
  client: { cert: string; key: string };
  strangerClient: { cert: string; key: string };
}

async function authority(commonName: string) {
  return generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
}

async function leaf(commonName: string, ca: { cert: string; private: string }, usage: 'server' | 'client') {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { cert: ca.cert, key: ca.private },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: usage === 'server', clientAuth: usage === 'client' },
      ...(usage === 'server' ? [{ name: 'subjectAltName' as const, altNames: [{ type: 7 as const, ip: '127.0.0.1' }, { type: 2 as const, value: 'localhost' }] }] : []),
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export async function createTestPki(): Promise<TestPki> {
  const ca = await authority('cce-mock test CA');
  const stranger = await authority('some other CA');
  return {
    ca: ca.cert,
    server: await leaf('127.0.0.1', ca, 'server'),
    client: await leaf('cce-user', ca, 'client'),
    strangerClient: await leaf('intruder', stranger, 'client'),
  };
}
