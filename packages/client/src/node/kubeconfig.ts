// The kubeconfig loader of the Node entry: a YAML or JSON kubeconfig (kubectl's, or the
// kubeconfig.json of the CCE console) → where the API server is and how to prove who we are.
// It reads what kubectl reads for a cluster and a user, with kubectl's rules (file paths relative
// to the kubeconfig, current-context), and refuses what it will not do rather than ignore it.
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { type ExecPluginConfig, parseExecConfig } from '../auth/exec-config.js';
import { CciInputError } from '../errors/classes.js';
import { FileReadProblem, readRegularFile } from '@cci-openapi/internals/regular-file';

/** What a kubeconfig gives for one context. Returned by loadKubeconfig; never holds the file's text. */
export interface KubeconfigCredentials {
  context: string;
  server: string;
  /** The context's namespace, when it names one. */
  namespace?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** The cluster's tls-server-name: the name the server certificate is checked against. */
  tlsServerName?: string;
  /** The user's bearer token (user.token, or the content of user.tokenFile at load time). */
  token?: string;
  /** Absolute path of user.tokenFile: re-read while the client runs, as kubectl does (rotated tokens). */
  tokenFile?: string;
  /**
   * The user authenticates through a credential plugin: an `exec` command (run by the client as
   * kubectl runs it; see `exec`) or an `auth-provider` (not run: the client refuses it unless a
   * credential is given explicitly).
   */
  plugin?: 'exec' | 'auth-provider';
  /** The user's exec credential plugin (e.g. cci-iam-authenticator), checked; its command resolved as kubectl resolves it. */
  exec?: ExecPluginConfig;
}

type Entry = Record<string, unknown>;

const loaded = new WeakSet<object>();

/** True for an object that loadKubeconfig returned (and only for those). */
export function isLoadedKubeconfig(value: unknown): value is KubeconfigCredentials {
  return typeof value === 'object' && value !== null && loaded.has(value);
}

/**
 * Reads a kubeconfig given as a path (YAML or JSON), as YAML/JSON text, or as an already-parsed
 * object. Certificate, key and token files named in a file are read relative to that file (relative
 * to the working directory for text and objects). Every file read is capped and must be a regular
 * file. Errors are CciInputError; they name the field at fault but never quote the file: it may
 * hold a private key or a token.
 */
export function loadKubeconfig(source: string | object, contextName?: string): KubeconfigCredentials {
  if (contextName !== undefined && (typeof contextName !== 'string' || contextName === ''))
    throw new CciInputError('context must be a non-empty string.');
  const { doc, baseDir } = parseSource(source);
  const contexts = list(doc, 'contexts');
  const current = doc['current-context'];
  const chosen =
    contextName ??
    (typeof current === 'string' && current !== '' ? current : undefined) ??
    (contexts.length === 1 && typeof contexts[0]!.name === 'string' ? contexts[0]!.name : undefined);
  if (chosen === undefined)
    throw new CciInputError(`kubeconfig has no current-context; pass context (one of: ${names(contexts)}).`);
  const context = entry(contexts, 'contexts', chosen, 'context');
  const clusterName = text(context, `contexts[${chosen}].context`, 'cluster', true)!;
  const cluster = entry(list(doc, 'clusters'), 'clusters', clusterName, 'cluster');
  const userName = text(context, `contexts[${chosen}].context`, 'user', false);
  const user = userName === undefined ? {} : entry(list(doc, 'users'), 'users', userName, 'user');
  const clusterPath = `clusters[${clusterName}].cluster`;
  const userPath = `users[${userName}].user`;

  const server = text(cluster, clusterPath, 'server', true)!;
  if (cluster['proxy-url'] !== undefined)
    throw new CciInputError(
      `kubeconfig ${clusterPath}.proxy-url is set; this client does not connect through a proxy.`,
    );
  const ca = pem(cluster, clusterPath, 'certificate-authority', baseDir);
  const tlsServerName = text(cluster, clusterPath, 'tls-server-name', false);

  refuseUnsupported(user, userPath);
  const cert = pem(user, userPath, 'client-certificate', baseDir);
  const key = pem(user, userPath, 'client-key', baseDir);
  if ((cert === undefined) !== (key === undefined))
    throw new CciInputError(`kubeconfig user ${userName} has a client certificate or a client key but not both.`);
  const tokenFileName = text(user, userPath, 'tokenFile', false);
  const tokenFile = tokenFileName === undefined ? undefined : resolve(baseDir ?? process.cwd(), tokenFileName);
  let token = text(user, userPath, 'token', false);
  if (tokenFile !== undefined) {
    try {
      token = readTokenFile(tokenFile);
    } catch (error) {
      // As kubectl: with a token as well, the file may be missing for now; it is retried later.
      if (token === undefined) throw new CciInputError(`kubeconfig ${userPath}.tokenFile: ${(error as Error).message}`);
    }
  }
  const hasExec = user.exec !== undefined && user.exec !== null;
  const hasAuthProvider = user['auth-provider'] !== undefined && user['auth-provider'] !== null;
  if (hasExec && hasAuthProvider)
    throw new CciInputError(`kubeconfig ${userPath} has both exec and auth-provider; give one (as kubectl requires).`);
  const exec = hasExec ? parseExecConfig(user.exec, `${userPath}.exec`, baseDir, cluster) : undefined;
  const plugin = hasExec ? 'exec' : hasAuthProvider ? 'auth-provider' : undefined;
  const namespace = text(context, `contexts[${chosen}].context`, 'namespace', false);

  const credentials: KubeconfigCredentials = {
    context: chosen,
    server,
    ...(namespace !== undefined && { namespace }),
    ...(ca && { ca }),
    ...(cert && { cert }),
    ...(key && { key }),
    ...(tlsServerName !== undefined && { tlsServerName }),
    ...(token !== undefined && { token }),
    ...(tokenFile !== undefined && { tokenFile }),
    ...(plugin !== undefined && { plugin }),
    ...(exec !== undefined && { exec }),
  };
  loaded.add(credentials);
  return credentials;
}

/**
 * The token in a tokenFile: the file's text without surrounding whitespace (a trailing newline is
 * usual), as client-go reads it. Throws an Error whose message says why, never what the file holds.
 */
export function readTokenFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, 64 * 1024);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof FileReadProblem ? error.message : 'read failed'}.`);
  }
  const token = bytes.toString('utf8').trim();
  if (token === '') throw new Error(`${path} is empty.`);
  return token;
}

/** Fields of a user that ask for something this client does not do; each gets its own clear refusal. */
function refuseUnsupported(user: Entry, where: string): void {
  if (user.username !== undefined || user.password !== undefined) {
    throw new CciInputError(
      `kubeconfig ${where} uses basic authentication (username/password), which Kubernetes API servers no longer accept (removed in 1.19). Use a token or a client certificate.`,
    );
  }
  for (const field of ['as', 'as-groups', 'as-user-extra']) {
    if (user[field] !== undefined)
      throw new CciInputError(
        `kubeconfig ${where}.${field} asks for impersonation, which this client does not do; remove it or use a kubeconfig without it.`,
      );
  }
}

function parseSource(source: string | object): { doc: Entry; baseDir: string | undefined } {
  if (typeof source === 'object' && source !== null && !Array.isArray(source))
    return { doc: source as Entry, baseDir: undefined };
  if (typeof source !== 'string' || source.trim() === '')
    throw new CciInputError('kubeconfig must be a path, YAML/JSON text or an object.');
  // Text starts with '{' (JSON) or has a line break (YAML); a path has neither. Text must never be
  // echoed into an error as if it were a file name: it may hold a key.
  const isText = source.trimStart().startsWith('{') || source.includes('\n');
  let content = source;
  if (!isText) {
    try {
      content = readRegularFile(source).toString('utf8');
    } catch (error) {
      throw new CciInputError(
        `cannot read the kubeconfig ${source}: ${error instanceof FileReadProblem ? error.message : 'read failed'}.`,
      );
    }
  }
  const what = isText ? 'kubeconfig text' : `kubeconfig ${source}`;
  // YAML 1.2 is a superset of JSON, so one parser reads both. Aliases are capped (the parser's
  // default of 100) against "billion laughs" documents.
  const parsed = parseDocument(content, { merge: true, uniqueKeys: false });
  if (parsed.errors.length > 0) {
    // The parser's own message quotes the text around the error, which may be the private key.
    const line = parsed.errors[0]!.linePos?.[0]?.line;
    throw new CciInputError(`${what} is not valid YAML or JSON${line === undefined ? '' : ` (line ${line})`}.`);
  }
  let doc: unknown;
  try {
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch {
    throw new CciInputError(`${what} could not be read (too many YAML aliases).`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new CciInputError(`${what} must be a YAML or JSON mapping (apiVersion, clusters, users, contexts …).`);
  return { doc: doc as Entry, baseDir: isText ? undefined : dirname(resolve(source)) };
}

function list(doc: Entry, key: string): Entry[] {
  const value = doc[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CciInputError(`kubeconfig ${key} must be a list.`);
  return value.filter((item): item is Entry => typeof item === 'object' && item !== null);
}

function names(items: Entry[]): string {
  return items.map((item) => String(item.name)).join(', ') || 'none';
}

function entry(items: Entry[], kind: string, name: string, inner: string): Entry {
  const found = items.find((item) => item.name === name);
  if (!found)
    throw new CciInputError(
      `kubeconfig has no ${kind.slice(0, -1)} named ${JSON.stringify(name)} (have: ${names(items)}).`,
    );
  const value = found[inner];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CciInputError(`kubeconfig ${kind}[${name}].${inner} must be a mapping.`);
  return value as Entry;
}

/** A string field: undefined when absent or empty (as kubectl treats ""), an error when of another type. */
function text(object: Entry, where: string, key: string, required: boolean): string | undefined {
  const value = object[key];
  if (value === undefined || value === null || value === '') {
    if (required) throw new CciInputError(`kubeconfig ${where}.${key} is missing.`);
    return undefined;
  }
  if (typeof value !== 'string')
    throw new CciInputError(
      `kubeconfig ${where}.${key} must be a string, got ${Array.isArray(value) ? 'a list' : typeof value}.`,
    );
  return value;
}

/** `<name>-data` (base64 PEM, what CCI writes) or `<name>` (a file path, relative to the kubeconfig). */
function pem(object: Entry, where: string, name: string, baseDir: string | undefined): Buffer | undefined {
  const data = text(object, where, `${name}-data`, false);
  const file = text(object, where, name, false);
  let bytes: Buffer;
  if (data !== undefined) {
    bytes = Buffer.from(data, 'base64');
  } else if (file !== undefined) {
    const path = isAbsolute(file) ? file : resolve(baseDir ?? process.cwd(), file);
    try {
      bytes = readRegularFile(path);
    } catch (error) {
      throw new CciInputError(
        `kubeconfig ${where}.${name}: cannot read ${file}: ${error instanceof FileReadProblem ? error.message : 'read failed'}.`,
      );
    }
  } else {
    return undefined;
  }
  if (!bytes.toString('latin1').includes('-----BEGIN '))
    throw new CciInputError(
      `kubeconfig ${where}.${name}${data !== undefined ? '-data' : ''} is not a PEM block (base64 of "-----BEGIN …").`,
    );
  return bytes;
}
