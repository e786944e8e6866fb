// @cce-openapi/spec-kit — the repository's spec tooling in one place (see README.md).
export { isReference, decodePointerSegment, encodePointerSegment, pointerOf, pointerKeys, resolvePointer, deref, refName } from './pointer.js';
export { repoRoot, specDistPath, typesBundlePath, readSpec, loadBundledSpec, bundleSpec, bundleFresh } from './bundle.js';
export { createSpecValidator, examplesOf } from './validator.js';
export { parseSourcePage, readSourcePage } from './cce-page.js';
export { parseSwaggerExtract, readSwaggerExtract, reachableDefinitions } from './kubernetes-swagger.js';
export { HTTP_METHODS, operationsOf, findOperation, reachableSchemas } from './fidelity/reachable.js';
export { matchDeclarations, normalizeText } from './fidelity/declarations.js';
export { checkCcePage, describeSpecType, tableRole } from './fidelity/cce-page.js';
export { checkKubernetesSwagger } from './fidelity/kubernetes-swagger.js';
export { loadSources, checkSource, checkSources } from './sources.js';
