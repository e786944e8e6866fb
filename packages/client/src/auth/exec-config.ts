// A kubeconfig user's `exec` entry (a client-go credential plugin such as cci-iam-authenticator),
// read and checked as client-go reads it, so that a mistake in the file is a CciInputError when the
// kubeconfig is loaded rather than a puzzling failure at the first request.
import { isAbsolute, resolve } from 'node:path';
import { CciInputError } from '../errors/classes.js';

/** The ExecCredential versions kubectl speaks today (v1alpha1 was removed in Kubernetes 1.24). */
const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1beta1', 'client.authentication.k8s.io/v1'] as const;
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number];

const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'] as const;
export type ExecInteractiveMode = (typeof INTERACTIVE_MODES)[number];

/** The name of the cluster extension whose value client-go passes to the plugin as spec.cluster.config. */
const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

/** A kubeconfig user's exec credential plugin, as loadKubeconfig read it. */
export interface ExecPluginConfig {
  apiVersion: ExecApiVersion;
  /** The program: a bare name is looked up on PATH; a relative path with a `/` was resolved against the kubeconfig's folder. */
  command: string;
  args: string[];
  /** Added to the plugin's environment (on top of this process's). Never shown in errors. */
  env: Array<{ name: string; value: string }>;
  /** Shown when the command is not installed. */
  installHint?: string;
  /** Pass the cluster (server, CA …) to the plugin in KUBERNETES_EXEC_INFO. */
  provideClusterInfo: boolean;
  /** v1beta1's default is IfAvailable; Always cannot be honoured by a library (no terminal). */
  interactiveMode: ExecInteractiveMode;
  /** The cluster's `client.authentication.k8s.io/exec` extension, passed as spec.cluster.config when provideClusterInfo. */
  clusterConfig?: unknown;
}

type Entry = Record<string, unknown>;

/**
 * Reads `user.exec` (`where` names it in messages, e.g. `users[me].user.exec`). `baseDir` is the
 * kubeconfig's folder (undefined for text and objects: the working directory), `cluster` the
 * context's cluster entry (for its extensions).
 */
export function parseExecConfig(
  exec: unknown,
  where: string,
  baseDir: string | undefined,
  cluster: Entry,
): ExecPluginConfig {
  if (typeof exec !== 'object' || exec === null || Array.isArray(exec))
    throw new CciInputError(`kubeconfig ${where} must be a mapping.`);
  const entry = exec as Entry;
  const apiVersion = apiVersionOf(entry.apiVersion, where);
  const command = stringField(entry, where, 'command');
  if (command === undefined)
    throw new CciInputError(`kubeconfig ${where}.command is missing: it names the credential plugin to run.`);
  const installHint = stringField(entry, where, 'installHint');
  const provideClusterInfo = entry.provideClusterInfo ?? false;
  if (typeof provideClusterInfo !== 'boolean')
    throw new CciInputError(`kubeconfig ${where}.provideClusterInfo must be true or false.`);
  const clusterConfig = provideClusterInfo ? execExtension(cluster) : undefined;
  return {
    apiVersion,
    command: resolveCommand(command, baseDir),
    args: argsOf(entry.args, where),
    env: envOf(entry.env, where),
    ...(installHint !== undefined && { installHint }),
    provideClusterInfo,
    interactiveMode: interactiveModeOf(entry.interactiveMode, apiVersion, where),
    ...(clusterConfig !== undefined && { clusterConfig }),
  };
}

function apiVersionOf(value: unknown, where: string): ExecApiVersion {
  if ((EXEC_API_VERSIONS as readonly unknown[]).includes(value)) return value as ExecApiVersion;
  if (value === undefined || value === null || value === '')
    throw new CciInputError(`kubeconfig ${where}.apiVersion is missing (${EXEC_API_VERSIONS.join(' or ')}).`);
  if (value === 'client.authentication.k8s.io/v1alpha1')
    throw new CciInputError(
      `kubeconfig ${where}.apiVersion client.authentication.k8s.io/v1alpha1 is no longer supported (removed in Kubernetes 1.24): use v1beta1 or v1.`,
    );
  throw new CciInputError(`kubeconfig ${where}.apiVersion must be ${EXEC_API_VERSIONS.join(' or ')}.`);
}

/**
 * As client-go (clientcmd.ResolveLocalPaths): a command with a path separator in it is a path, and
 * a relative one is relative to the kubeconfig; a bare name is left for the PATH lookup.
 */
function resolveCommand(command: string, baseDir: string | undefined): string {
  if (!command.includes('/') || isAbsolute(command)) return command;
  return resolve(baseDir ?? process.cwd(), command);
}

function interactiveModeOf(value: unknown, apiVersion: ExecApiVersion, where: string): ExecInteractiveMode {
  if (value === undefined || value === null || value === '') {
    // v1 made the field required so that nobody relies on a default that may prompt.
    if (apiVersion === 'client.authentication.k8s.io/v1')
      throw new CciInputError(
        `kubeconfig ${where}.interactiveMode is required by ${apiVersion} (Never, IfAvailable or Always).`,
      );
    return 'IfAvailable';
  }
  if ((INTERACTIVE_MODES as readonly unknown[]).includes(value)) return value as ExecInteractiveMode;
  throw new CciInputError(`kubeconfig ${where}.interactiveMode must be Never, IfAvailable or Always.`);
}

function argsOf(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  // Arguments are never quoted back: cci-iam-authenticator takes --ak and --password here.
  if (!Array.isArray(value) || !value.every((arg) => typeof arg === 'string'))
    throw new CciInputError(`kubeconfig ${where}.args must be a list of strings.`);
  if (value.some((arg: string) => arg.includes('\0')))
    throw new CciInputError(`kubeconfig ${where}.args has an argument with a NUL character.`);
  return [...(value as string[])];
}

function envOf(value: unknown, where: string): Array<{ name: string; value: string }> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CciInputError(`kubeconfig ${where}.env must be a list of {name, value}.`);
  return value.map((item: unknown, index) => {
    const { name, value: text } = (typeof item === 'object' && item !== null ? item : {}) as Entry;
    if (typeof name !== 'string' || !/^[^=\0]+$/.test(name))
      throw new CciInputError(`kubeconfig ${where}.env[${index}].name must be a non-empty string without "=".`);
    // The value is not quoted: it is often a credential (an AK/SK, a password).
    if (typeof text !== 'string' || text.includes('\0'))
      throw new CciInputError(`kubeconfig ${where}.env[${index}] (${name}) needs a string value.`);
    return { name, value: text };
  });
}

function stringField(entry: Entry, where: string, key: string): string | undefined {
  const value = entry[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new CciInputError(`kubeconfig ${where}.${key} must be a string.`);
  return value;
}

/** The value of the cluster's extension named client.authentication.k8s.io/exec, as client-go passes it on. */
function execExtension(cluster: Entry): unknown {
  const extensions = cluster.extensions;
  if (!Array.isArray(extensions)) return undefined;
  const found = extensions.find(
    (item: unknown) => typeof item === 'object' && item !== null && (item as Entry).name === EXEC_EXTENSION,
  ) as Entry | undefined;
  return found?.extension;
}
