// Hand-written declarations of @cci-openapi/spec-kit (plain ESM JavaScript, no build step).

/** A parsed OpenAPI 3.1 bundle. Its shape is the OpenAPI format's, kept loose on purpose. */
export type OpenApiDocument = Record<string, any> & { paths: Record<string, any>; components: Record<string, any> };
export interface Reference {
  $ref: string;
}

// ── JSON pointers and references ──────────────────────────────────────────────────────────────
export function isReference(node: unknown): node is Reference;
export function decodePointerSegment(segment: string): string;
/** "#/components/schemas/Service" from ["components", "schemas", "Service"]. */
export function pointerOf(keys: readonly string[]): string;
export function pointerKeys(pointer: string): string[];
/** The node a local "#/…" pointer names; throws on a pointer that leads nowhere. */
export function resolvePointer<T = any>(document: unknown, pointer: string): T;
/** Follows `$ref` chains until a node that is not a reference. */
export function deref<T = any>(document: unknown, node: T | Reference): T;
/** The last segment of a reference: "#/components/schemas/Service" → "Service". */
export function refName(ref: string): string;

// ── The bundle ─────────────────────────────────────────────────────────────────────────────────
export const repoRoot: string;
export function specDistPath(root?: string): string;
export function typesBundlePath(from?: string): string;
export function readSpec(path: string): OpenApiDocument;
/** "types" (default): @cci-openapi/types/openapi.json; "dist": spec/dist/openapi.json; else a file path. Cached, read-only. */
export function loadBundledSpec(which?: 'types' | 'dist' | (string & {})): OpenApiDocument;
/** Bundles `root`'s spec (redocly.yaml, API cci@v1) into outDir; returns the openapi.json path. */
export function bundleSpec(options?: { root?: string; outDir?: string; formats?: ('yaml' | 'json')[] }): string;
/** A fresh bundle made in a scratch directory, parsed. */
export function bundleFresh(options?: { root?: string }): OpenApiDocument;

// ── Schema validation ──────────────────────────────────────────────────────────────────────────
export interface SpecValidator {
  /** Errors of `value` against the schema at `pointer` ("#/components/schemas/Service"); empty when valid. */
  validate(pointer: string, value: unknown): string[];
}
export function createSpecValidator(spec: OpenApiDocument): SpecValidator;
export function examplesOf(spec: OpenApiDocument): Generator<{ where: string; schemaPointer: string; value: unknown }>;

// ── The CCI documentation page ─────────────────────────────────────────────────────────────────
export interface SourceRow {
  name: string;
  type: string;
  description: string;
  line: number;
}
export interface SourceTable {
  number: number;
  title: string;
  rows: SourceRow[];
}
export interface SourcePage {
  updated: string;
  title: string;
  method: string;
  path: string;
  summary: string;
  tables: SourceTable[];
  statusCodes: { code: number; description: string }[];
  responseExample: unknown;
}
export function parseSourcePage(text: string): SourcePage;
export function readSourcePage(path: string): SourcePage;

// ── The Kubernetes swagger 2.0 extract ─────────────────────────────────────────────────────────
export interface SwaggerParameter {
  name: string;
  in: string;
  type?: string;
  format?: string;
  required?: boolean;
  enum?: unknown[];
  /** A body parameter's schema. */
  schema?: any;
}
export interface SwaggerOperation {
  path: string;
  method: string;
  operationId: string;
  parameters: SwaggerParameter[];
  consumes: string[];
  produces: string[];
  responses: Record<string, { description?: string; schema?: any }>;
}
export interface SwaggerExtract {
  source: string;
  operations: SwaggerOperation[];
  definitions: Record<string, any>;
}
export function parseSwaggerExtract(text: string): SwaggerExtract;
export function readSwaggerExtract(path: string): SwaggerExtract;
/** Several extracts of one upstream document, read as one (definitions merged; a conflicting one throws). */
export function readSwaggerExtracts(paths: string[]): SwaggerExtract;
/** Definitions reachable from `roots` (definition names), roots included. */
export function reachableDefinitions(extract: SwaggerExtract, roots: string[]): Set<string>;

// ── Operations of the spec ─────────────────────────────────────────────────────────────────────
export const HTTP_METHODS: readonly string[];
export interface SpecOperation {
  path: string;
  method: string;
  operationId: string;
  operation: any;
  /** Path-item and operation parameters that apply, dereferenced (the operation's win). */
  parameters: any[];
}
export function operationsOf(spec: OpenApiDocument): SpecOperation[];

// ── Fidelity ───────────────────────────────────────────────────────────────────────────────────
/** One place where the spec says something its source does not. */
export interface Finding {
  field: string;
  aspect: string;
  /** What the source says. */
  source: string;
  /** What the spec says. */
  spec: string;
  /** Where in the source document, for messages. */
  where?: string;
}
/** One entry of a deviations.yaml. */
export interface Deviation {
  field: string;
  aspect: string;
  source?: string;
  page?: string;
  spec: string;
  why: string;
}
export interface FidelityCount {
  matched: number;
  total: number;
}

/** `shared`: the shared declarations (spec/source/shared-deviations.yaml); they match findings but are never stale here. */
export function checkCciPage(input: {
  page: SourcePage;
  spec: OpenApiDocument;
  deviations: Deviation[];
  shared?: Deviation[];
}): {
  path: string;
  operationId: string | undefined;
  problems: string[];
  findings: Finding[];
  operations: FidelityCount;
  rows: FidelityCount;
  statusCodes: FidelityCount;
  /** Findings that a declaration (own or shared) covers, of all findings. */
  declared: FidelityCount;
  /** Keys ("<field> <aspect>") of the shared declarations a finding matched. */
  sharedUsed: Set<string>;
  example: boolean;
};
export function checkKubernetesSwagger(input: {
  extract: SwaggerExtract;
  operations: string[];
  mediaTypes?: Record<string, string>;
  spec: OpenApiDocument;
  deviations: Deviation[];
  shared?: Deviation[];
}): {
  problems: string[];
  findings: Finding[];
  operations: FidelityCount;
  parameters: FidelityCount;
  properties: FidelityCount;
  responseCodes: FidelityCount;
  declared: FidelityCount;
  sharedUsed: Set<string>;
};

// ── Sources (spec/source/<name>/source.yaml) ────────────────────────────────────────────────────
export type SourceDeclaration =
  | { kind: 'cci-page'; document: string }
  | {
      kind: 'kubernetes-swagger';
      document: string;
      documents?: string[];
      operations: string[];
      mediaTypes?: Record<string, string>;
    };
export interface Source {
  name: string;
  dir: string;
  declaration: SourceDeclaration;
  deviations: Deviation[];
}
export interface SourceReport {
  name: string;
  kind: SourceDeclaration['kind'];
  /** The spec operations this source covers. */
  operationIds: string[];
  problems: string[];
  findings: Finding[];
  counts: Record<string, FidelityCount>;
  example?: boolean;
  deviations: Deviation[];
  /** Findings (places where the spec differs from the document) that a declaration covers, of all. */
  declared: FidelityCount;
  /** Keys ("<field> <aspect>") of the shared declarations that cover findings of this source. */
  sharedUsed: string[];
  /** How many of the findings a shared declaration covers. */
  sharedFindings: number;
  /** One line, e.g. "upstream: 9/9 operations, 65/65 parameters, 96/96 properties, 23/23 response codes, 23 declared deviations" (its own). */
  figure: string;
}
export function loadSources(sourceDir: string): Source[];
/** The shared declarations, spec/source/shared-deviations.yaml (none when it is absent). */
export function loadSharedDeviations(sourceDir: string): Deviation[];
/** A kubernetes-swagger source's extracts (its `document`, or every one of its `documents`), read as one. */
export function readSourceExtract(source: Source): SwaggerExtract;
/** Every source against the spec, and the spec operations no source covers. */
export function checkSources(input: { sourceDir: string; spec: OpenApiDocument }): {
  sources: SourceReport[];
  /** "<operationId> (<METHOD> <path>)" of each operation no source covers. */
  uncovered: string[];
  /** For those, what to add where and the command to rerun; empty when every operation is covered. */
  uncoveredHelp: string;
  /** The shared declarations and their problems (a stale one: no source has its finding). */
  shared: { deviations: Deviation[]; problems: string[] };
};
