// @cce-openapi/spec-kit — the repository's spec tooling in one place (see README.md).
export { isReference, decodePointerSegment, encodePointerSegment, pointerOf, pointerKeys, resolvePointer, deref, refName } from './pointer.js';
export { repoRoot, specDistPath, typesBundlePath, readSpec, loadBundledSpec, bundleSpec, bundleFresh } from './bundle.js';
export { createSpecValidator, examplesOf } from './validator.js';
export { parseSourcePage, readSourcePage } from './cce-page.js';
export { checkFidelity, describeSpecType, normalizeText } from './cce-page-fidelity.js';
