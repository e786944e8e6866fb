// ObjectMeta on writes, as kube-apiserver v1.20's apimachinery validation writes it: the name rules
// of the kind (DNS-1035 label for Services), generateName, and on update the resourceVersion and
// the fields that may not change. Messages are the real ones, checked against kube-apiserver v1.20.
import { goString, invalid, required, type FieldError } from './field-errors.js';
import { stringAt, type JsonObject } from './json-value.js';
import { validateLabels } from './labels.js';

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** IsDNS1035Label: the reasons `value` is not one (empty when it is). */
function dns1035Problems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!DNS1035.test(value)) problems.push(DNS1035_MESSAGE);
  return problems;
}

/** NameIsDNS1035Label with prefix=true: a generateName may end in "-" (masked as Go's maskTrailingDash does). */
const prefixProblems = (value: string) =>
  dns1035Problems(value.length > 1 && value.endsWith('-') ? `${value.slice(0, -1)}a` : value);

/** The characters kube-apiserver's SimpleNameGenerator draws from, and how many. */
const GENERATED_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function generateName(base: string, random: () => number = Math.random): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += GENERATED_ALPHABET[Math.floor(random() * GENERATED_ALPHABET.length)];
  return `${base.slice(0, 58)}${suffix}`;
}

/** ValidateObjectMeta's name part for a create. */
export function validateNewName(metadata: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const generate = stringAt(metadata, 'generateName') ?? '';
  const name = stringAt(metadata, 'name') ?? '';
  if (generate !== '')
    for (const msg of prefixProblems(generate)) errors.push(invalid('metadata.generateName', goString(generate), msg));
  if (name === '') errors.push(required('metadata.name', 'name or generateName is required'));
  else for (const msg of dns1035Problems(name)) errors.push(invalid('metadata.name', goString(name), msg));
  errors.push(...validateLabels(metadata.labels, 'metadata.labels'));
  return errors;
}

/** ValidateObjectMetaUpdate: what may not change, and the resourceVersion an update must carry. */
export function validateMetaUpdate(next: JsonObject, previous: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const rv = stringAt(next, 'resourceVersion') ?? '';
  if (rv === '') errors.push(invalid('metadata.resourceVersion', goString(rv), 'must be specified for an update'));
  for (const key of ['name', 'namespace', 'uid'] as const) {
    const value = stringAt(next, key) ?? '';
    if (value !== (stringAt(previous, key) ?? ''))
      errors.push(invalid(`metadata.${key}`, goString(value), 'field is immutable'));
  }
  errors.push(...validateLabels(next.labels, 'metadata.labels'));
  return errors;
}
