// The mock as kubectl users start it: `cci-mock --port 0 --write-kubeconfig FILE`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const mockPackage = require.resolve('@cci-openapi/mock-server/package.json');
/** The `cci-mock` command as npm installs it (the package's "bin" entry). */
const MOCK_BIN = join(
  dirname(mockPackage),
  (require(mockPackage) as { bin: Record<string, string> }).bin['cci-mock'] ?? 'bin/cci-mock.js',
);

export interface MockProcess {
  child: ChildProcess;
  kubeconfig: string;
  stop(): Promise<void>;
}

/** Starts cci-mock and waits until it has written its kubeconfig. */
export async function startMockWithKubeconfig(kubeconfig: string, extraArgs: string[] = []): Promise<MockProcess> {
  // --profile kube: compared with a real kube-apiserver, the mock plays one (not CCI's gateway).
  const child = spawn(
    process.execPath,
    [MOCK_BIN, '--profile', 'kube', '--port', '0', '--write-kubeconfig', kubeconfig, ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 30_000;
  while (!(existsSync(kubeconfig) && readFileSync(kubeconfig, 'utf8').includes('server:'))) {
    if (child.exitCode !== null) throw new Error(`cci-mock exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`cci-mock wrote no kubeconfig within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, kubeconfig, stop };
}
