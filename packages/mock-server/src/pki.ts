// A throw-away PKI for API-server mode when no certificate files are given: a CA made for this run
// and a server certificate it signs for the loopback names, so `--write-kubeconfig` can hand
// kubectl a server to trust with one flag. The private keys live in memory only.

export interface ThrowawayPki {
  /** PEM of the CA: what a kubeconfig's certificate-authority-data holds. */
  ca: string;
  server: { cert: string; key: string };
  /** A client certificate the CA signed (CN "cci-mock-admin"), for certificate users. */
  client: { cert: string; key: string };
}

const EC = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

/** IP addresses go in as IP SANs, anything else as DNS names. */
function altName(host: string): { type: 2; value: string } | { type: 7; ip: string } {
  return /^[0-9.]+$/.test(host) || host.includes(':') ? { type: 7, ip: host } : { type: 2, value: host };
}

export async function createThrowawayPki(hosts: readonly string[] = []): Promise<ThrowawayPki> {
  // Imported on first use: the certificate generator costs most of a second to load, and a mock
  // started without TLS must not pay for it.
  const { generate } = await import('selfsigned');
  const ca = await generate([{ name: 'commonName', value: 'cci-mock throw-away CA' }], {
    ...EC,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const names = [
    ...new Set(['127.0.0.1', '::1', 'localhost', ...hosts.filter((h) => h && h !== '0.0.0.0' && h !== '::')]),
  ];
  const leaf = async (commonName: string, usage: 'server' | 'client') => {
    const pems = await generate([{ name: 'commonName', value: commonName }], {
      ...EC,
      ca: { cert: ca.cert, key: ca.private },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: usage === 'server', clientAuth: usage === 'client' },
        ...(usage === 'server' ? [{ name: 'subjectAltName' as const, altNames: names.map(altName) }] : []),
      ],
    });
    return { cert: pems.cert, key: pems.private };
  };
  return { ca: ca.cert, server: await leaf('cci-mock', 'server'), client: await leaf('cci-mock-admin', 'client') };
}
