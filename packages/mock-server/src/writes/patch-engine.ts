// The bridge to the patch engines of writes/merge (another module's applyPatch): the live object
// patched in the format the Content-Type names, decoded as the Go types would keep it. A failure
// becomes the write path's StatusAnswer.
import type { StatusAnswer } from './answers.js';
import type { JsonObject } from './json-value.js';
import { applyPatch, patchKindOf, type PatchResult as EngineResult } from './merge/index.js';
import type { PatchEngine, PatchResult } from './serve.js';

const toAnswer = (failure: Extract<EngineResult, { ok: false }>): StatusAnswer => ({
  code: failure.status,
  message: failure.message,
  reason: failure.reason,
  ...((failure.details || failure.causes) && {
    details: { ...failure.details, ...(failure.causes && { causes: failure.causes }) },
  }),
});

export const patchEngine: PatchEngine = (kind, live, rawBody, options) => {
  const patchKind = patchKindOf(options.patchType);
  if (!patchKind)
    return {
      ok: false,
      problem: { code: 415, reason: 'UnsupportedMediaType', message: '415: Unsupported Media Type', details: {} },
    };
  const result = applyPatch(patchKind, live as never, rawBody, {
    schema: kind,
    ...(options.fieldManager !== undefined && { fieldManager: options.fieldManager }),
    ...(options.force !== undefined && { force: options.force }),
    ...(options.time !== undefined && { time: new Date(options.time) }),
  });
  return (
    result.ok ? { ok: true, object: result.object as JsonObject } : { ok: false, problem: toAnswer(result) }
  ) satisfies PatchResult;
};
