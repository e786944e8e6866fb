// IAM's token API as the mock serves it: `POST /v3/auth/tokens` with the password method, scoped
// to a project (cci-and-huawei-cloud-facts.md, "IAM token"). 201 with the token in the
// X-Subject-Token header; IAM's own error body `{"error":{code,message,title}}` otherwise.
//
// Choices where IAM's pages are silent (documented in the README): only the password method and
// a project scope are served; a body that is not that shape is 400; a wrong user, password or
// account is 401 with IAM's wording, before the project is looked at, so a stranger learns nothing;
// a project this user does not have is then 400.
import { createHash } from 'node:crypto';
import { sameSecret } from './aksk.js';
import type { IamUser } from './credentials.js';
import type { TokenIssuer } from './tokens.js';

export const IAM_TOKENS_PATH = '/v3/auth/tokens';
/** IAM's request is a few hundred bytes: a small bound for the one body the mock always reads. */
export const IAM_BODY_LIMIT = 64 * 1024;

export interface IamReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface PasswordSignIn {
  name: string;
  password: string;
  domainName: string;
  project: { name: string } | { id: string };
}

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 405: 'Method Not Allowed' };
const JSON_TYPE = 'application/json;charset=UTF-8';

function iamError(status: number, message: string, requestId: string, extra: Record<string, string> = {}): IamReply {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, 'x-request-id': requestId, ...extra },
    body: JSON.stringify({ error: { code: status, message, title: TITLES[status] } }),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The sign-in the body asks for, or why it is not one the mock serves. */
function parseSignIn(body: Buffer): PasswordSignIn | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { problem: 'The request body is not valid JSON.' };
  }
  const auth = isObject(parsed) && isObject(parsed.auth) ? parsed.auth : undefined;
  const identity = isObject(auth?.identity) ? auth.identity : undefined;
  if (
    !identity ||
    !Array.isArray(identity.methods) ||
    !identity.methods.includes('password') ||
    !isObject(identity.password)
  ) {
    return {
      problem:
        'auth.identity.methods must be ["password"] with auth.identity.password: the mock signs in with passwords only.',
    };
  }
  const user = identity.password.user;
  if (
    !isObject(user) ||
    !isText(user.name) ||
    !isText(user.password) ||
    !isObject(user.domain) ||
    !isText(user.domain.name)
  ) {
    return { problem: 'auth.identity.password.user needs name, password and domain.name.' };
  }
  const project = isObject(auth?.scope) && isObject(auth.scope.project) ? auth.scope.project : undefined;
  const scope = isText(project?.name) ? { name: project.name } : isText(project?.id) ? { id: project.id } : undefined;
  if (!scope)
    return {
      problem:
        'auth.scope.project needs a name (the region, e.g. cn-north-4) or an id: CCI takes project-scoped tokens.',
    };
  return { name: user.name, password: user.password, domainName: user.domain.name, project: scope };
}

/** 32 hex digits standing for an id the configuration left out (stable for the same name). */
const derivedId = (label: string): string => createHash('sha256').update(label).digest('hex').slice(0, 32);

/** `2020-01-04T09:05:22.701000Z`: IAM writes microseconds. */
const iamTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

export function serveIamTokens(
  request: { method: string; query: ReadonlyMap<string, string>; body: Buffer },
  context: { user: IamUser; issuer: TokenIssuer; requestId: string },
): IamReply {
  const { user, issuer, requestId } = context;
  if (request.method !== 'POST')
    return iamError(405, 'The method is not allowed for the requested URL.', requestId, { allow: 'POST' });
  const signIn = parseSignIn(request.body);
  if ('problem' in signIn) return iamError(400, signIn.problem, requestId);
  // Every comparison runs, so the time taken does not say which field was wrong.
  const matches = [
    sameSecret(signIn.name, user.username),
    sameSecret(signIn.password, user.password),
    sameSecret(signIn.domainName, user.domainName),
  ];
  if (!matches.every(Boolean)) return iamError(401, 'The username or password is wrong.', requestId);
  const projectMatches =
    'name' in signIn.project ? signIn.project.name === user.projectName : signIn.project.id === user.projectId;
  if (!projectMatches) {
    const asked = String(Object.values(signIn.project)[0]).slice(0, 64);
    return iamError(400, `The project ${JSON.stringify(asked)} does not exist for this account.`, requestId);
  }

  const domain = { id: user.domainId ?? derivedId(`domain:${user.domainName}`), name: user.domainName };
  const userId = user.userId ?? derivedId(`user:${user.domainName}/${user.username}`);
  const issued = issuer.issue({ user: user.username, userId, projectId: user.projectId });
  const token = {
    expires_at: iamTime(issued.expiresAt),
    issued_at: iamTime(issued.issuedAt),
    methods: ['password'],
    project: { id: user.projectId, name: user.projectName, domain },
    user: { id: userId, name: user.username, domain, password_expires_at: '' },
    roles: [{ id: '0', name: 'te_admin' }],
    // `nocatalog` with any non-empty value leaves the (large, on IAM) service catalog out.
    ...(request.query.get('nocatalog') ? {} : { catalog: [] }),
  };
  return {
    status: 201,
    headers: { 'content-type': JSON_TYPE, 'x-subject-token': issued.token, 'x-request-id': requestId },
    body: JSON.stringify({ token }),
  };
}
