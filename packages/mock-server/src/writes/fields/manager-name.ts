// The field manager's name: the `fieldManager` query parameter, else derived from the User-Agent
// (kube-apiserver 1.20's prefixFromUserAgent: what precedes the first "/", printable characters
// only, at most 128 bytes — "kubectl/v1.20.2 (linux/amd64) …" is "kubectl", "curl/8.5.0" is
// "curl", no User-Agent is ""), and the 422 the real server gives a fieldManager it refuses.
import type { StatusCause } from '@cci-openapi/types';
import type { Problem } from '../merge/problem.js';

const FIELD_MANAGER_MAX_LENGTH = 128;

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

export function prefixFromUserAgent(userAgent: string | undefined): string {
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0] ?? '') {
    if (!PRINTABLE.test(ch)) continue;
    if (utf8Length(out) + utf8Length(ch) > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}

/** managerOrUserAgent. */
export function managerName(fieldManager: string | undefined, userAgent: string | undefined): string {
  return fieldManager !== undefined && fieldManager !== '' ? fieldManager : prefixFromUserAgent(userAgent);
}

/** Go's %q: printable characters as they are, the others escaped. */
function goQuoteText(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * ValidateFieldManager on the write's options (`CreateOptions`, `UpdateOptions` or `PatchOptions`):
 * undefined when valid, else the real server's 422 Invalid.
 */
export function validateFieldManager(
  fieldManager: string | undefined,
  optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
): Problem | undefined {
  const causes = fieldManagerCauses(fieldManager);
  return causes.length === 0 ? undefined : optionsInvalid(optionsKind, causes);
}

/**
 * ValidatePatchOptions (1.20) without dryRun: `force` present on a non-apply patch (even false), an
 * apply without fieldManager, then the fieldManager's own errors — all in one 422, in that order.
 */
export function validatePatchOptions(
  apply: boolean,
  options: { force?: boolean; fieldManager?: string },
): Problem | undefined {
  const causes: StatusCause[] = [];
  if (!apply && options.force !== undefined)
    causes.push({
      reason: 'FieldValueForbidden',
      message: 'Forbidden: may not be specified for non-apply patch',
      field: 'force',
    });
  if (apply && !options.fieldManager)
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: is required for apply patch',
      field: 'fieldManager',
    });
  causes.push(...fieldManagerCauses(options.fieldManager));
  return causes.length === 0 ? undefined : optionsInvalid('PatchOptions', causes);
}

function fieldManagerCauses(fieldManager: string | undefined): StatusCause[] {
  if (fieldManager === undefined) return [];
  const causes: StatusCause[] = [];
  if (utf8Length(fieldManager) > FIELD_MANAGER_MAX_LENGTH) {
    causes.push({
      reason: 'FieldValueTooLong',
      message: `Too long: must have at most ${FIELD_MANAGER_MAX_LENGTH} bytes`,
      field: 'fieldManager',
    });
  }
  let position = 0;
  for (const ch of fieldManager) {
    if (!PRINTABLE.test(ch)) {
      const code = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${goQuoteText(fieldManager)}: invalid character U+${code} (at position ${position})`,
        field: 'fieldManager',
      });
    }
    position += utf8Length(ch);
  }
  return causes;
}

/** errors.NewInvalid(meta.k8s.io/<kind>, "", errs): one error printed as is, several as a bracketed list. */
function optionsInvalid(kind: string, causes: StatusCause[]): Problem {
  const printed = causes.map((c) => `${c.field}: ${c.message}`);
  const list = printed.length === 1 ? printed[0] : `[${printed.join(', ')}]`;
  return {
    status: 422,
    reason: 'Invalid',
    message: `${kind}.meta.k8s.io "" is invalid: ${list}`,
    details: { group: 'meta.k8s.io', kind, causes },
    causes,
  };
}

/** An apply patch without a fieldManager. */
export function missingApplyManager(): Problem {
  return optionsInvalid('PatchOptions', [
    { reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' },
  ]);
}
