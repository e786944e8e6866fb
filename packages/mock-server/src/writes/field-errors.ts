// kube-apiserver's field errors (k8s.io/apimachinery/pkg/util/validation/field) and the 422 Invalid
// Status they become (errors.NewInvalid), written as kube-apiserver v1.20 writes them: each cause's
// message is the error's body ("Invalid value: 0: must be between 1 and 65535, inclusive"), and the
// Status message joins the distinct "field: body" strings ("[a, b]" when more than one).
import type { StatusDetails } from '@cci-openapi/types';

export type FieldErrorType = 'Required' | 'Invalid' | 'NotSupported' | 'Forbidden' | 'Duplicate' | 'TooLong';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The bad value as Go prints it (goString, goStrings …); absent for Required and Forbidden. */
  value?: string;
  detail?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  Duplicate: 'Duplicate value',
  TooLong: 'Too long',
};

const REASON: Record<FieldErrorType, string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  Duplicate: 'FieldValueDuplicate',
  TooLong: 'FieldValueTooLong',
};

/** Go's %q of a string (ASCII subset: JSON's escaping is the same for what names and IPs hold). */
export const goString = (value: string): string => JSON.stringify(value);
/** Go's %#v of a []string: `[]string{"a", "b"}`, or `[]string(nil)` when absent. */
export const goStrings = (values: readonly string[] | undefined): string =>
  values === undefined || values.length === 0 ? '[]string(nil)' : `[]string{${values.map(goString).join(', ')}}`;
/** Go's %v of a number, string (%q) or anything else the decoder let through. */
export const goValue = (value: unknown): string =>
  typeof value === 'string' ? goString(value) : typeof value === 'number' ? String(value) : 'null';

export const required = (field: string, detail = ''): FieldError => ({ type: 'Required', field, detail });
export const invalid = (field: string, value: string, detail: string): FieldError => ({
  type: 'Invalid',
  field,
  value,
  detail,
});
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail });
export const tooLong = (field: string, max: number): FieldError => ({
  type: 'TooLong',
  field,
  detail: `must have at most ${max} bytes`,
});
export const duplicate = (field: string, value: string): FieldError => ({ type: 'Duplicate', field, value });
export const notSupported = (field: string, value: string, supported: readonly string[]): FieldError => ({
  type: 'NotSupported',
  field,
  value,
  detail: `supported values: ${supported.map(goString).join(', ')}`,
});

/** field.Error.ErrorBody(): the type, the value (except for Required/Forbidden), the detail. */
function errorBody(error: FieldError): string {
  let text = TYPE_TEXT[error.type];
  if (error.type !== 'Required' && error.type !== 'Forbidden' && error.type !== 'TooLong')
    text += `: ${error.value ?? 'null'}`;
  if (error.detail) text += `: ${error.detail}`;
  return text;
}

export interface InvalidStatus {
  code: 422;
  reason: 'Invalid';
  message: string;
  details: StatusDetails;
}

/** errors.NewInvalid(qualifiedKind, name, errors): the 422 answer. `kind` may be "Kind.group". */
export function invalidStatus(kind: string, name: string, errors: readonly FieldError[]): InvalidStatus {
  const strings = [...new Set(errors.map((e) => `${e.field}: ${errorBody(e)}`))];
  const aggregate = strings.length === 1 ? strings[0] : `[${strings.join(', ')}]`;
  const dot = kind.indexOf('.');
  const details: StatusDetails = {
    ...(name !== '' && { name }),
    ...(dot > 0 && { group: kind.slice(dot + 1) }),
    kind: dot > 0 ? kind.slice(0, dot) : kind,
    causes: errors.map((e) => ({ reason: REASON[e.type], message: errorBody(e), field: e.field })),
  };
  return { code: 422, reason: 'Invalid', message: `${kind} ${goString(name)} is invalid: ${aggregate}`, details };
}
