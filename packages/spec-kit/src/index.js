// @cci-openapi/spec-kit — the repository's spec tooling in one place (see README.md).
export {
  isReference,
  decodePointerSegment,
  pointerOf,
  pointerKeys,
  resolvePointer,
  deref,
  refName,
} from './pointer.js';
export {
  repoRoot,
  specDistPath,
  typesBundlePath,
  readSpec,
  loadBundledSpec,
  bundleSpec,
  bundleFresh,
} from './bundle.js';
export { createSpecValidator, examplesOf } from './validator.js';
export { parseSourcePage, readSourcePage } from './cci-page.js';
export {
  parseSwaggerExtract,
  readSwaggerExtract,
  readSwaggerExtracts,
  reachableDefinitions,
} from './kubernetes-swagger.js';
export { HTTP_METHODS, operationsOf } from './fidelity/reachable.js';
export { checkCciPage } from './fidelity/cci-page.js';
export { checkKubernetesSwagger } from './fidelity/kubernetes-swagger.js';
export { loadSources, loadSharedDeviations, checkSources, readSourceExtract } from './sources.js';
