// The query parameters of list and watch operations, converted as kube-apiserver converts them
// (url.Values → metav1.ListOptions): the first value of each parameter counts; booleans are true
// unless "0" or "false"; integers are parsed strictly; selectors are parsed here, so a malformed
// one is a 400 with kube-apiserver's message before anything is read.
import type { StatusDetails } from '@cci-openapi/types';
import {
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
  type FieldSelector,
  type LabelSelector,
} from './selectors.js';

export interface ListOptions {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  /** True when neither selector restricts anything (remainingItemCount is only known then). */
  unfiltered: boolean;
  /** ≤ 0: no limit. */
  limit: number;
  continueToken: string | undefined;
  resourceVersion: string | undefined;
  resourceVersionMatch: string | undefined;
  timeoutSeconds: number | undefined;
  watch: boolean;
  allowWatchBookmarks: boolean;
}

/** A refusal, as the fields of a Status. */
export interface ListProblem {
  code: number;
  /** "" leaves the reason out (Go's StatusReasonUnknown, omitted when empty). */
  reason?: string;
  message: string;
  details?: StatusDetails;
  /** A continue token carried by a 410 (kube's "inconsistent continue"). */
  continueToken?: string;
}

/** Go's ParseBool as kube-apiserver applies it to `watch` and friends: anything but 0/false is true. */
export const goBool = (value: string | undefined) =>
  value !== undefined && value !== '0' && value.toLowerCase() !== 'false';

/** strconv.ParseInt(value, 10, 64), with Go's error text. */
function goInt(value: string): number | string {
  if (!/^[+-]?\d+$/.test(value)) return `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`;
  const parsed = BigInt(value);
  if (parsed > 9223372036854775807n || parsed < -9223372036854775808n)
    return `strconv.ParseInt: parsing ${JSON.stringify(value)}: value out of range`;
  return Number(parsed);
}

export function parseListOptions(query: ReadonlyMap<string, string>): ListOptions | { problem: ListProblem } {
  const badRequest = (message: string) => ({ problem: { code: 400, reason: 'BadRequest', message } });
  let labelSelector: LabelSelector = [];
  let fieldSelector: FieldSelector = [];
  try {
    labelSelector = parseLabelSelector(query.get('labelSelector') ?? '');
    fieldSelector = parseFieldSelector(query.get('fieldSelector') ?? '');
  } catch (error) {
    if (error instanceof SelectorError) return badRequest(error.message);
    throw error;
  }
  const integers: Record<'limit' | 'timeoutSeconds', number | undefined> = {
    limit: undefined,
    timeoutSeconds: undefined,
  };
  for (const name of ['limit', 'timeoutSeconds'] as const) {
    const raw = query.get(name);
    if (raw === undefined) continue;
    const parsed = goInt(raw);
    if (typeof parsed === 'string') return badRequest(parsed);
    integers[name] = parsed;
  }
  const options: ListOptions = {
    labelSelector,
    fieldSelector,
    unfiltered: labelSelector.length === 0 && fieldSelector.length === 0,
    limit: integers.limit ?? 0,
    continueToken: query.get('continue') || undefined,
    resourceVersion: query.get('resourceVersion') || undefined,
    resourceVersionMatch: query.get('resourceVersionMatch') || undefined,
    timeoutSeconds: integers.timeoutSeconds,
    watch: goBool(query.get('watch')),
    allowWatchBookmarks: goBool(query.get('allowWatchBookmarks')),
  };
  const invalid = validateResourceVersionMatch(options);
  return invalid ? { problem: invalid } : options;
}

/** metainternalversion/validation.ValidateListOptions: 422 Invalid ListOptions. */
function validateResourceVersionMatch(options: ListOptions): ListProblem | undefined {
  const match = options.resourceVersionMatch;
  if (match === undefined) return undefined;
  const causes: Array<{ reason: string; message: string; field: string }> = [];
  const forbidden = (message: string) =>
    causes.push({ reason: 'FieldValueForbidden', message: `Forbidden: ${message}`, field: 'resourceVersionMatch' });
  if (options.watch) forbidden('resourceVersionMatch is forbidden for watch');
  if (options.resourceVersion === undefined)
    forbidden('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (options.continueToken !== undefined) forbidden('resourceVersionMatch is forbidden when continue is provided');
  if (match !== 'Exact' && match !== 'NotOlderThan') {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan", ""`,
      field: 'resourceVersionMatch',
    });
  }
  if (match === 'Exact' && options.resourceVersion === '0')
    forbidden('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  if (causes.length === 0) return undefined;
  const messages = causes.map((cause) => `${cause.field}: ${cause.message}`);
  return {
    code: 422,
    reason: 'Invalid',
    message: `ListOptions.meta.k8s.io "" is invalid: ${messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`}`,
    details: { group: 'meta.k8s.io', kind: 'ListOptions', causes },
  };
}

/**
 * A resourceVersion parameter as a revision: 0 for "" and "0" (any), a number, or a problem.
 * kube-apiserver v1.20 answers a malformed one with 500 and no reason: the storage layer's
 * validation error is not a Status, so it is passed through as an unknown error (checked against
 * a real kube-apiserver).
 */
export function parseResourceVersion(value: string | undefined): number | { problem: ListProblem } {
  if (value === undefined || value === '' || value === '0') return 0;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    return {
      problem: {
        code: 500,
        reason: '',
        message: `resourceVersion: Invalid value: ${JSON.stringify(value)}: strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`,
      },
    };
  }
  return Number(value);
}
