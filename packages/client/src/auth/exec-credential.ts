// What a credential plugin printed: an ExecCredential of the configured apiVersion, checked as
// client-go checks it. Problems are described without quoting the output, which holds the token.
import { createSecureContext } from 'node:tls';
import type { ExecApiVersion } from './exec-config.js';

/** The credential a plugin gave: a bearer token, a client certificate, or both. */
export interface ExecCredential {
  token?: string;
  clientCertificate?: { cert: string; key: string };
  /** status.expirationTimestamp in epoch ms; undefined: good until the server refuses it. */
  expiresAt?: number;
}

/** The output is not a usable ExecCredential; the message says why, never what it held. */
export class CredentialProblem extends Error {
  override name = 'CredentialProblem';
}

// Header values: visible ASCII, space, tab, Latin-1 (what header-value.ts allows).
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]+$/;
/** Quoted back only when it looks like an API version, so a token printed in its place is never shown. */
const API_VERSION_SHAPE = /^[a-z0-9.-]{1,100}\/v[0-9]+[a-z0-9]*$/;

export function parseExecCredential(stdout: Buffer, apiVersion: ExecApiVersion): ExecCredential {
  const document = parseJson(stdout);
  if (document.kind !== 'ExecCredential') throw new CredentialProblem('printed JSON whose kind is not ExecCredential');
  if (document.apiVersion !== apiVersion) {
    const printed = isApiVersion(document.apiVersion) ? document.apiVersion : 'another one';
    throw new CredentialProblem(
      `is configured for apiVersion ${apiVersion} but printed an ExecCredential of ${printed}`,
    );
  }
  const status = document.status;
  if (typeof status !== 'object' || status === null || Array.isArray(status))
    throw new CredentialProblem('printed an ExecCredential without a status');
  const { token, clientCertificateData, clientKeyData, expirationTimestamp } = status as Record<string, unknown>;
  const credential: ExecCredential = {};
  if (token !== undefined && token !== '') credential.token = checkedToken(token);
  const certificate = clientCertificateOf(clientCertificateData, clientKeyData);
  if (certificate) credential.clientCertificate = certificate;
  if (!credential.token && !certificate)
    throw new CredentialProblem(
      'printed an ExecCredential with neither status.token nor status.clientCertificateData and clientKeyData',
    );
  if (expirationTimestamp !== undefined && expirationTimestamp !== null)
    credential.expiresAt = timestamp(expirationTimestamp);
  return credential;
}

function isApiVersion(value: unknown): value is string {
  return typeof value === 'string' && API_VERSION_SHAPE.test(value);
}

function parseJson(stdout: Buffer): Record<string, unknown> {
  const text = stdout.toString('utf8').trim();
  if (text === '') throw new CredentialProblem('printed nothing on stdout (an ExecCredential was expected)');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CredentialProblem(
      `printed ${stdout.length} bytes on stdout that are not JSON (an ExecCredential was expected)`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CredentialProblem('printed JSON that is not an ExecCredential object');
  return value as Record<string, unknown>;
}

function checkedToken(token: unknown): string {
  if (typeof token !== 'string') throw new CredentialProblem('printed a status.token that is not a string');
  if (!HEADER_SAFE.test(token))
    throw new CredentialProblem('printed a status.token with a character not allowed in an HTTP header');
  return token;
}

function clientCertificateOf(cert: unknown, key: unknown): ExecCredential['clientCertificate'] {
  const hasCert = cert !== undefined && cert !== null && cert !== '';
  const hasKey = key !== undefined && key !== null && key !== '';
  if (!hasCert && !hasKey) return undefined;
  if (hasCert !== hasKey)
    throw new CredentialProblem(
      'printed only one of status.clientCertificateData and status.clientKeyData; both are needed',
    );
  if (typeof cert !== 'string' || typeof key !== 'string')
    throw new CredentialProblem('printed a client certificate or key that is not a string');
  try {
    // Checked now, so that a bad pair is this plugin's error and not a TLS failure later.
    createSecureContext({ cert, key });
  } catch {
    throw new CredentialProblem('printed a client certificate and key that are not a matching PEM pair');
  }
  return { cert, key };
}

/** RFC 3339, as metav1.Time is written (`2026-01-01T00:00:00Z`, with an optional fraction and offset). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function timestamp(value: unknown): number {
  const ms = typeof value === 'string' && RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new CredentialProblem('printed a status.expirationTimestamp that is not an RFC 3339 time');
  return ms;
}

/**
 * The strings of an output that may be secrets, to cut out of anything shown (stderr, messages):
 * the token and every other string value of a JSON output but the expected kind and apiVersion; of
 * any other output, every quoted string and every token-looking run of characters.
 */
export function secretsIn(stdout: Buffer, apiVersion: ExecApiVersion): string[] {
  const text = stdout.toString('utf8');
  try {
    const document = JSON.parse(text) as { apiVersion?: unknown; status?: { token?: unknown } };
    // The token whatever its length; other strings from 8 characters on, so that a short value
    // ("v1", "true") does not blank the same word wherever it appears. An apiVersion is shown, not hidden.
    const token =
      typeof document?.status?.token === 'string' && document.status.token !== '' ? [document.status.token] : [];
    const shown = new Set([
      'ExecCredential',
      apiVersion,
      ...(isApiVersion(document?.apiVersion) ? [document.apiVersion] : []),
    ]);
    return bounded([...token, ...valuesOf(document).filter((value) => value.length >= 8 && !shown.has(value))]);
  } catch {
    // Not JSON (or cut short, or nested too deep): quoted strings and runs.
  }
  const quoted = [...text.matchAll(/"((?:[^"\\\n]|\\.){8,})"/g)].map((match) => match[1]!);
  return bounded([...quoted, ...(text.match(TOKEN_LIKE) ?? [])]);
}

/** A run of characters that could be a token: 8 or more, none of them space or JSON punctuation. */
export const TOKEN_LIKE = /[^\s"'{}[\](),:;]{8,}/g;
/** Each secret costs a pass over the text it is cut from: a megabyte of junk must not make thousands. */
const MAX_SECRETS = 256;

function bounded(secrets: string[]): string[] {
  return [...new Set(secrets)].slice(0, MAX_SECRETS);
}

/** Every string value in a JSON value, however deep (a plugin's output is at most 1 MiB). */
function valuesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(valuesOf);
}
