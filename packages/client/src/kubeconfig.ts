import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CceInputError } from './errors.js';

/** What a CCE kubeconfig.json gives for one context: where the API server is and how to prove who we are. */
export interface KubeconfigCredentials {
  context: string;
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  /** The cluster entry's insecure-skip-tls-verify; reported, never obeyed on its own. */
  fileSaysInsecure: boolean;
}

type Named<T> = { name?: unknown } & Record<string, T | unknown>;

/**
 * Reads a kubeconfig given as a path, as JSON text, or as an already-parsed object. Errors name the
 * field at fault but never quote the file: it holds a private key.
 */
export function loadKubeconfig(source: string | object, contextName?: string): KubeconfigCredentials {
  const { doc, baseDir } = parseSource(source);
  const contexts = list(doc, 'contexts');
  const chosen = contextName ?? (typeof doc['current-context'] === 'string' && doc['current-context'] ? doc['current-context'] : undefined) ?? (contexts.length === 1 ? String(contexts[0]!.name) : undefined);
  if (chosen === undefined) throw new CceInputError(`kubeconfig has no current-context; pass context (one of: ${contexts.map((c) => c.name).join(', ') || 'none'}).`);
  const context = entry(contexts, 'contexts', chosen, 'context');
  const clusterName = field(context, `contexts[${chosen}].context.cluster`);
  const cluster = entry(list(doc, 'clusters'), 'clusters', clusterName, 'cluster');
  const userName = typeof context.user === 'string' ? context.user : undefined;
  const user = userName === undefined ? {} : entry(list(doc, 'users'), 'users', userName, 'user');
  const server = field(cluster, `clusters[${clusterName}].cluster.server`);
  const where = (kind: string, name: string | undefined, key: string) => `${kind}[${name}].${kind.slice(0, -1)}.${key}`;
  const ca = pem(cluster, 'certificate-authority', where('clusters', clusterName, 'certificate-authority'), baseDir);
  const cert = pem(user, 'client-certificate', where('users', userName, 'client-certificate'), baseDir);
  const key = pem(user, 'client-key', where('users', userName, 'client-key'), baseDir);
  if ((cert === undefined) !== (key === undefined)) throw new CceInputError(`kubeconfig user ${userName} has a client certificate or a client key but not both.`);
  const token = typeof user.token === 'string' && user.token ? user.token : undefined;
  return {
    context: chosen,
    server,
    ...(ca && { ca }),
    ...(cert && { cert }),
    ...(key && { key }),
    ...(token && { token }),
    fileSaysInsecure: cluster['insecure-skip-tls-verify'] === true,
  };
}

function parseSource(source: string | object): { doc: Record<string, unknown>; baseDir: string | undefined } {
  if (typeof source === 'object' && source !== null) return { doc: source as Record<string, unknown>, baseDir: undefined };
  if (typeof source !== 'string' || source.trim() === '') throw new CceInputError('kubeconfig must be a path, JSON text or an object.');
  // JSON text starts with '{'; a path has no line break (and YAML text, which has, must not be
  // echoed into an error as if it were a file name: it may hold a key).
  const isText = source.trimStart().startsWith('{') || source.includes('\n');
  let text = source;
  if (!isText) {
    try {
      text = readFileSync(source, 'utf8');
    } catch (error) {
      throw new CceInputError(`Cannot read kubeconfig ${source}: ${(error as NodeJS.ErrnoException).code ?? 'read failed'}.`);
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error, which may be the private key.
    throw new CceInputError(`kubeconfig${isText ? '' : ` ${source}`} is not valid JSON. CCE's kubeconfig.json is JSON; YAML kubeconfigs are not read here.`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new CceInputError('kubeconfig must be a JSON object.');
  return { doc: doc as Record<string, unknown>, baseDir: isText ? undefined : dirname(resolve(source)) };
}

function list(doc: Record<string, unknown>, key: string): Named<unknown>[] {
  const value = doc[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CceInputError(`kubeconfig ${key} must be an array.`);
  return value as Named<unknown>[];
}

function entry(items: Named<unknown>[], kind: string, name: string, inner: string): Record<string, unknown> {
  const found = items.find((item) => item && item.name === name);
  if (!found) throw new CceInputError(`kubeconfig has no ${kind.slice(0, -1)} named ${JSON.stringify(name)} (have: ${items.map((i) => i?.name).join(', ') || 'none'}).`);
  const value = found[inner];
  if (typeof value !== 'object' || value === null) throw new CceInputError(`kubeconfig ${kind}[${name}].${inner} must be an object.`);
  return value as Record<string, unknown>;
}

function field(object: Record<string, unknown>, path: string): string {
  const key = path.slice(path.lastIndexOf('.') + 1);
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw new CceInputError(`kubeconfig ${path} is missing.`);
  return value;
}

/** `<name>-data` (base64 PEM, what CCE writes) or `<name>` (a file path, relative to the kubeconfig). */
function pem(object: Record<string, unknown>, name: string, path: string, baseDir: string | undefined): Buffer | undefined {
  const data = object[`${name}-data`];
  const file = object[name];
  let bytes: Buffer;
  if (typeof data === 'string' && data !== '') {
    bytes = Buffer.from(data, 'base64');
  } else if (typeof file === 'string' && file !== '') {
    try {
      bytes = readFileSync(resolve(baseDir ?? process.cwd(), file));
    } catch (error) {
      throw new CceInputError(`kubeconfig ${path}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'read failed'}.`);
    }
  } else {
    return undefined;
  }
  if (!bytes.toString('latin1').includes('-----BEGIN ')) throw new CceInputError(`kubeconfig ${path}${typeof data === 'string' ? '-data' : ''} is not a PEM block (base64 of "-----BEGIN …").`);
  return bytes;
}
