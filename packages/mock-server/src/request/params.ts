// Step 7, the path parameters: decoded (once, when the whole path did not decode), then held to
// kube-apiserver's name rules (names.ts) and to the spec's parameter schemas.
import { pathSegmentProblems } from '../names.js';
import type { Responder } from './responder.js';
import type { Routed } from './route.js';
import { stop, type Stop } from './types.js';

export function readPathParams(routed: Routed, respond: Responder): Record<string, string> | Stop {
  const params: Record<string, string> = {};
  for (const [key, raw] of Object.entries(routed.rawParams)) {
    try {
      params[key] = routed.decodedPath === undefined ? decodeURIComponent(raw) : raw;
    } catch {
      // Valid escapes that do not decode to UTF-8, such as %C3%28.
      return stop(respond.fail(400, { message: 'invalid UTF-8 in the request path' }));
    }
  }
  if (params.name !== undefined) {
    const problems = pathSegmentProblems(params.name);
    if (problems.length > 0) {
      const message = `Name parameter invalid: ${JSON.stringify(params.name)}: ${problems.join(';')}`;
      return stop(respond.fail(400, { message }));
    }
  }
  const { role } = routed.facts;
  if (role.role !== 'read' || params.name === undefined) return params;
  for (const parameter of routed.operation.parameters) {
    if (parameter.in !== 'path') continue;
    const value = params[parameter.name] ?? '';
    const { minLength = 0, maxLength = Infinity } = parameter.schema ?? {};
    // A value outside the spec's parameter schema cannot name an existing object: not found, as kube-apiserver answers a read.
    if (value.length < minLength || value.length > maxLength) {
      const details = { name: params.name, kind: role.resource };
      return stop(respond.fail(404, { message: `${role.resource} ${JSON.stringify(params.name)} not found`, details }));
    }
  }
  return params;
}
