// The options of a write (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions), from the query
// or, for a delete, from its body, validated as kube-apiserver v1.20 validates them: 422 Invalid
// naming the options kind of group meta.k8s.io.
import {
  forbidden,
  goString,
  goStrings,
  invalid,
  invalidStatus,
  notSupported,
  required,
  tooLong,
  type FieldError,
  type InvalidStatus,
} from './field-errors.js';
import { isObject, type JsonObject } from './json-value.js';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string | undefined;
  force: boolean | undefined;
}

function dryRunErrors(values: readonly string[] | undefined): FieldError[] {
  if (values === undefined || values.every((v) => v === 'All')) return [];
  return [notSupported('dryRun', goStrings(values), ['All'])];
}

function fieldManagerErrors(manager: string | undefined): FieldError[] {
  if (manager === undefined) return [];
  const errors: FieldError[] = [];
  if (Buffer.byteLength(manager) > 128) errors.push(tooLong('fieldManager', 128));
  [...manager].forEach((ch, i) => {
    if (/[\p{Cc}\p{Cf}]/u.test(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errors.push(invalid('fieldManager', goString(manager), `invalid character U+${code} at ${i}`));
    }
  });
  return errors;
}

const optionsInvalid = (kind: string, errors: FieldError[]): InvalidStatus | undefined =>
  errors.length > 0 ? invalidStatus(`${kind}.meta.k8s.io`, '', errors) : undefined;

/** Query options of a create or an update (POST, PUT). */
export function writeOptions(
  query: ReadonlyMap<string, string>,
  kind: 'CreateOptions' | 'UpdateOptions',
): WriteOptions | InvalidStatus {
  const dryRun = query.has('dryRun') ? [query.get('dryRun') as string] : undefined;
  const fieldManager = query.get('fieldManager');
  const problem = optionsInvalid(kind, [...dryRunErrors(dryRun), ...fieldManagerErrors(fieldManager)]);
  return problem ?? { dryRun: dryRun !== undefined, fieldManager, force: undefined };
}

/** Query options of a patch: force only with apply, which needs a fieldManager. */
export function patchOptions(
  query: ReadonlyMap<string, string>,
  apply: boolean,
): WriteOptions | InvalidStatus | { badRequest: string } {
  const dryRun = query.has('dryRun') ? [query.get('dryRun') as string] : undefined;
  const fieldManager = query.get('fieldManager');
  const rawForce = query.get('force');
  const force = rawForce === undefined ? undefined : parseGoBool(rawForce);
  if (force === 'invalid')
    return { badRequest: `strconv.ParseBool: parsing ${goString(rawForce as string)}: invalid syntax` };
  const errors: FieldError[] = [];
  if (!apply && force !== undefined) errors.push(forbidden('force', 'may not be specified for non-apply patch'));
  if (apply && !fieldManager) errors.push(required('fieldManager', 'is required for apply patch'));
  errors.push(...fieldManagerErrors(fieldManager), ...dryRunErrors(dryRun));
  return optionsInvalid('PatchOptions', errors) ?? { dryRun: dryRun !== undefined, fieldManager, force };
}

/** Go's strconv.ParseBool. */
function parseGoBool(value: string): boolean | 'invalid' {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return 'invalid';
}

export interface DeleteOptions {
  dryRun: boolean;
  preconditions: { uid?: string; resourceVersion?: string };
}

const PROPAGATION = ['Foreground', 'Background', 'Orphan'];

/**
 * DeleteOptions from the body when there is one (the query is then not read, as kube-apiserver
 * does), else from the query.
 */
export function deleteOptions(
  body: JsonObject | undefined,
  query: ReadonlyMap<string, string>,
): DeleteOptions | InvalidStatus | { badRequest: string } {
  let dryRun: string[] | undefined;
  let propagation: string | undefined;
  let orphan: unknown;
  let preconditions: DeleteOptions['preconditions'] = {};
  if (body) {
    dryRun = Array.isArray(body.dryRun) ? body.dryRun.map(String) : undefined;
    propagation = typeof body.propagationPolicy === 'string' ? body.propagationPolicy : undefined;
    orphan = body.orphanDependents ?? undefined;
    if (isObject(body.preconditions)) {
      const { uid, resourceVersion } = body.preconditions;
      preconditions = {
        ...(typeof uid === 'string' && { uid }),
        ...(typeof resourceVersion === 'string' && { resourceVersion }),
      };
    }
  } else {
    dryRun = query.has('dryRun') ? [query.get('dryRun') as string] : undefined;
    propagation = query.get('propagationPolicy');
    orphan = query.get('orphanDependents');
    const grace = query.get('gracePeriodSeconds');
    if (grace !== undefined && !/^[+-]?\d+$/.test(grace))
      return { badRequest: `strconv.ParseInt: parsing ${goString(grace)}: invalid syntax` };
  }
  const errors: FieldError[] = [];
  if (orphan !== undefined && propagation !== undefined) {
    errors.push(
      invalid(
        'propagationPolicy',
        goString(propagation),
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  }
  if (propagation !== undefined && !PROPAGATION.includes(propagation))
    errors.push(notSupported('propagationPolicy', goString(propagation), [...PROPAGATION, 'nil']));
  errors.push(...dryRunErrors(dryRun));
  return (
    optionsInvalid('DeleteOptions', errors) ?? { dryRun: dryRun !== undefined && dryRun.length > 0, preconditions }
  );
}
