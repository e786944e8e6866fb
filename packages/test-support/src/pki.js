// @ts-check
// The one throw-away PKI for tests: a CA, a server certificate for the loopback names and a client
// certificate it signs, plus a client certificate and a CA that have nothing to do with it. Made fresh
// for each run, keys in memory only. (The mock's own `createThrowawayPki` is product code: what
// `cci-mock --tls` serves when no certificate files are given.)
import { generate } from 'selfsigned';

const EC = /** @type {const} */ ({ keyType: 'ec', curve: 'P-256', algorithm: 'sha256' });

/** @param {string} commonName */
function authority(commonName) {
  return generate([{ name: 'commonName', value: commonName }], {
    ...EC,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
}

/**
 * @param {string} commonName
 * @param {{ cert: string; private: string }} ca
 * @param {'server' | 'client'} usage
 */
async function leaf(commonName, ca, usage) {
  const loopback = /** @type {const} */ ([
    { type: 7, ip: '127.0.0.1' },
    { type: 2, value: 'localhost' },
  ]);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    ...EC,
    ca: { cert: ca.cert, key: ca.private },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: usage === 'server', clientAuth: usage === 'client' },
      ...(usage === 'server' ? [{ name: /** @type {const} */ ('subjectAltName'), altNames: [...loopback] }] : []),
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** @returns {Promise<import('../index.js').TestPki>} */
export async function createTestPki() {
  const [ca, other] = await Promise.all([authority('cci-openapi test CA'), authority('some other CA')]);
  const [server, client, strangerClient] = await Promise.all([
    leaf('127.0.0.1', ca, 'server'),
    leaf('system:admin', ca, 'client'),
    leaf('intruder', other, 'client'),
  ]);
  return { ca: ca.cert, server, client, strangerClient, otherCa: other.cert };
}
