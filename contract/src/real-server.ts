// Starting and stopping the project's real kube-apiserver (scripts/kube-apiserver.sh) from Node.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const run = promisify(execFile);

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'kube-apiserver.sh');
export const BUILD_HINT =
  'bash contract/scripts/kube-apiserver.sh build   (Debian packages only; the first build takes ~17 CPU-minutes, 10+ min on 2 cores)';

/** What the script writes to RUN_DIR/server.json once the server answers /readyz. */
export interface RealServerInfo {
  url: string;
  version: string;
  /** Bearer token of user "admin" (group system:masters). */
  adminToken: string;
  /** Bearer token of user "reader": authenticated, no RBAC rights. */
  readerToken: string;
  /** PEM file of the self-signed serving certificate the server made for itself. */
  servingCa: string;
  /** Client certificate and key of user "cert-admin" (group system:masters). */
  clientCert: string;
  clientKey: string;
  /** Debian's kubectl of the same version, unpacked next to the server. */
  kubectl: string;
  /** Process start to /readyz. */
  readyMs: number;
  runDir: string;
}

export async function isBuilt(): Promise<boolean> {
  try {
    await run('bash', [SCRIPT, 'built']);
    return true;
  } catch {
    return false;
  }
}

export async function startRealServer(): Promise<RealServerInfo> {
  const runDir = mkdtempSync(join(tmpdir(), 'cci-contract-'));
  try {
    // The servers go when this process goes, even if it is killed before its teardown runs.
    await run('bash', [SCRIPT, 'start', runDir], {
      timeout: 180_000,
      env: { ...process.env, KAS_OWNER_PID: String(process.pid) },
    });
  } catch (error) {
    await run('bash', [SCRIPT, 'stop', runDir]).catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
    const { stderr } = error as { stderr?: string };
    throw new Error(`kube-apiserver did not start:\n${stderr ?? String(error)}`);
  }
  return {
    ...(JSON.parse(readFileSync(join(runDir, 'server.json'), 'utf8')) as Omit<RealServerInfo, 'runDir'>),
    runDir,
  };
}

export async function stopRealServer(server: RealServerInfo): Promise<void> {
  await run('bash', [SCRIPT, 'stop', server.runDir]);
  rmSync(server.runDir, { recursive: true, force: true });
}

/** Writes a kubeconfig at `file` for the server's admin token (its CA by absolute path); returns `file`. */
export function writeAdminKubeconfig(server: RealServerInfo, file: string): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'real', cluster: { server: server.url, 'certificate-authority': server.servingCa } }],
    users: [{ name: 'admin', user: { token: server.adminToken } }],
    contexts: [{ name: 'real', context: { cluster: 'real', user: 'admin' } }],
    'current-context': 'real',
  };
  writeFileSync(file, stringify(config));
  return file;
}
