// loadKubeconfig reads a user's exec entry as client-go does: the versions kubectl speaks, the
// command resolved against the kubeconfig's folder when it is a relative path, env as {name, value}
// pairs, interactiveMode required by v1. Mistakes are CciInputErrors when the file is loaded,
// naming the field and never a value (args and env often carry an AK/SK or a password).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadKubeconfig } from '../src/node.js';
import { scratchDir, V1, V1BETA1 } from './fixtures/exec-fixture.js';
import { inputErrorOf } from './helpers/failure.js';

function kubeconfig(exec: unknown, cluster: Record<string, unknown> = {}) {
  return {
    clusters: [{ name: 'c', cluster: { server: 'https://192.0.2.10:5443', ...cluster } }],
    users: [{ name: 'iam', user: { exec } }],
    contexts: [{ name: 'cci', context: { cluster: 'c', user: 'iam' } }],
    'current-context': 'cci',
  };
}

describe('a kubeconfig exec user', () => {
  it('as cci-iam-authenticator generate-kubeconfig writes it: v1beta1, interactiveMode defaulting to IfAvailable', () => {
    const exec = {
      apiVersion: V1BETA1,
      command: 'cci-iam-authenticator',
      args: [
        'token',
        '--iam-endpoint',
        'https://iam.cn-north-4.myhuaweicloud.com',
        '--project-name',
        'cn-north-4',
        '--cache',
        'true',
      ],
      env: [{ name: 'HUAWEICLOUD_REGION', value: 'cn-north-4' }],
    };
    const credentials = loadKubeconfig(kubeconfig(exec));
    expect(credentials.plugin).toBe('exec');
    expect(credentials.exec).toEqual({ ...exec, provideClusterInfo: false, interactiveMode: 'IfAvailable' });
  });

  it('a relative command with a "/" is resolved against the kubeconfig folder; bare names and absolute paths stay', () => {
    const dir = scratchDir();
    const path = join(dir, 'config');
    const commandOf = (command: string) => {
      writeFileSync(path, YAML.stringify(kubeconfig({ apiVersion: V1BETA1, command })));
      return loadKubeconfig(path).exec!.command;
    };
    expect(commandOf('./bin/cci-iam-authenticator')).toBe(join(dir, 'bin/cci-iam-authenticator'));
    expect(commandOf('bin/cci-iam-authenticator')).toBe(join(dir, 'bin/cci-iam-authenticator'));
    expect(commandOf('cci-iam-authenticator')).toBe('cci-iam-authenticator');
    expect(commandOf('/usr/local/bin/cci-iam-authenticator')).toBe('/usr/local/bin/cci-iam-authenticator');
    // Text and objects have no folder: the working directory, as for certificate files.
    expect(loadKubeconfig(kubeconfig({ apiVersion: V1BETA1, command: './plugin' })).exec!.command).toBe(
      resolve('./plugin'),
    );
  });

  it('provideClusterInfo keeps the cluster extension client.authentication.k8s.io/exec', () => {
    const extensions = [
      { name: 'other', extension: { x: 1 } },
      { name: 'client.authentication.k8s.io/exec', extension: { audience: 'cci' } },
    ];
    const exec = loadKubeconfig(
      kubeconfig({ apiVersion: V1, command: 'p', interactiveMode: 'Never', provideClusterInfo: true }, { extensions }),
    ).exec!;
    expect(exec.provideClusterInfo).toBe(true);
    expect(exec.clusterConfig).toEqual({ audience: 'cci' });
  });

  it.each([
    [{ command: 'p' }, /exec\.apiVersion is missing/],
    [
      { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'p' },
      /v1alpha1 is no longer supported \(removed in Kubernetes 1\.24\)/,
    ],
    [
      { apiVersion: 'v1', command: 'p' },
      /exec\.apiVersion must be client\.authentication\.k8s\.io\/v1beta1 or client\.authentication\.k8s\.io\/v1/,
    ],
    [{ apiVersion: V1BETA1 }, /exec\.command is missing/],
    [{ apiVersion: V1, command: 'p' }, /exec\.interactiveMode is required by client\.authentication\.k8s\.io\/v1/],
    [
      { apiVersion: V1BETA1, command: 'p', interactiveMode: 'Sometimes' },
      /interactiveMode must be Never, IfAvailable or Always/,
    ],
    [{ apiVersion: V1BETA1, command: 'p', args: 'token --ak AK' }, /exec\.args must be a list of strings/],
    [
      { apiVersion: V1BETA1, command: 'p', env: { HUAWEICLOUD_SDK_SK: 'sk-secret-value' } },
      /exec\.env must be a list of \{name, value\}/,
    ],
    [
      { apiVersion: V1BETA1, command: 'p', env: [{ name: 'A=B', value: 'sk-secret-value' }] },
      /env\[0\]\.name must be a non-empty string without "="/,
    ],
    [{ apiVersion: V1BETA1, command: 'p', env: [{ name: 'SK', value: 42 }] }, /env\[0\] \(SK\) needs a string value/],
    [{ apiVersion: V1BETA1, command: 'p', provideClusterInfo: 'yes' }, /provideClusterInfo must be true or false/],
    ['cci-iam-authenticator token', /users\[iam\]\.user\.exec must be a mapping/],
  ])('%j is refused when loaded', (exec, message) => {
    const error = inputErrorOf(() => loadKubeconfig(kubeconfig(exec)));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('sk-secret-value');
  });

  it('exec and auth-provider together are refused (as kubectl does)', () => {
    const doc = kubeconfig({ apiVersion: V1BETA1, command: 'p' });
    (doc.users[0]!.user as Record<string, unknown>)['auth-provider'] = { name: 'oidc' };
    expect(inputErrorOf(() => loadKubeconfig(doc)).message).toMatch(/has both exec and auth-provider/);
  });
});
