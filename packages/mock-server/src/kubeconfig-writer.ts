// `cci-mock --write-kubeconfig FILE`: a kubeconfig that points kubectl (and client-node, the Python
// client, cci-svc) at this mock with no other setup: the server URL, the CA to trust in TLS mode,
// and a token sent as `Authorization: Bearer`. Written as YAML, as kubectl writes its own.
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import YAML from 'yaml';

export interface KubeconfigTarget {
  /** The mock's URL; a wildcard listen address is replaced by 127.0.0.1. */
  server: string;
  token: string;
  /** PEM of the CA that signed the server certificate (TLS mode). */
  ca?: string | Buffer;
  /** The context's default namespace. */
  namespace?: string;
}

const KUBECONFIG_NAME = 'cci-mock';

function kubeconfigDocument(target: KubeconfigTarget): Record<string, unknown> {
  const url = new URL(target.server);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  const server = url.href.replace(/\/$/, '');
  const cluster: Record<string, string> = { server };
  if (target.ca !== undefined) cluster['certificate-authority-data'] = Buffer.from(target.ca).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: KUBECONFIG_NAME, cluster }],
    users: [{ name: KUBECONFIG_NAME, user: { token: target.token } }],
    contexts: [
      { name: KUBECONFIG_NAME, context: { cluster: KUBECONFIG_NAME, user: KUBECONFIG_NAME, ...(target.namespace && { namespace: target.namespace }) } },
    ],
    'current-context': KUBECONFIG_NAME,
  };
}

/**
 * Writes the kubeconfig readable by its owner only (it holds a token), atomically: a reader that
 * polls for the file never sees half of it.
 */
export function writeKubeconfig(path: string, target: KubeconfigTarget): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temporary, YAML.stringify(kubeconfigDocument(target)), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
