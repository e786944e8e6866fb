// `cci-mock --write-kubeconfig FILE`: a kubeconfig that points kubectl (and client-node, the Python
// client, cci-svc) at this mock with no other setup: the server URL, the CA to trust in TLS mode,
// and a token sent as `Authorization: Bearer`. Written as YAML, as kubectl writes its own.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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
      {
        name: KUBECONFIG_NAME,
        context: {
          cluster: KUBECONFIG_NAME,
          user: KUBECONFIG_NAME,
          ...(target.namespace && { namespace: target.namespace }),
        },
      },
    ],
    'current-context': KUBECONFIG_NAME,
  };
}

/** The kubeconfig file is already there (a file, or a symlink even dangling) and `force` was not given. */
export class KubeconfigExistsError extends Error {
  override name = 'KubeconfigExistsError';
}

export interface WriteKubeconfigOptions {
  /** Replace an existing file (or symlink: the link itself is replaced, never what it points to). */
  force?: boolean;
}

/**
 * Writes the kubeconfig readable by its owner only (it holds a token), atomically: a reader that
 * polls for the file never sees half of it. The bytes go to a fresh temporary file with an
 * unpredictable name, created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW: a symlink planted there is
 * never followed), then linked into place, which fails if `path` exists at all (a symlink included);
 * with `force` it is renamed over `path` instead, replacing a symlink rather than writing through it.
 */
export function writeKubeconfig(path: string, target: KubeconfigTarget, options: WriteKubeconfigOptions = {}): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(12).toString('hex')}.tmp`);
  const fd = openSync(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o600,
  );
  let placed = false;
  try {
    try {
      fchmodSync(fd, 0o600); // whatever the umask
      writeSync(fd, YAML.stringify(kubeconfigDocument(target)));
    } finally {
      closeSync(fd);
    }
    if (options.force) {
      renameSync(temporary, path);
      placed = true;
      return;
    }
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new KubeconfigExistsError(`${path} exists: refusing to replace it (use --force to replace it)`);
      }
      throw error;
    }
  } finally {
    if (!placed) rmSync(temporary, { force: true });
  }
}
