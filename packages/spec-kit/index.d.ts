// Hand-written declarations of @cce-openapi/spec-kit (plain ESM JavaScript, no build step).

/** A parsed OpenAPI 3.1 bundle. Its shape is the OpenAPI format's, kept loose on purpose. */
export type OpenApiDocument = Record<string, any> & { paths: Record<string, any>; components: Record<string, any> };
export interface Reference {
  $ref: string;
}

// ── JSON pointers and references ──────────────────────────────────────────────────────────────
export function isReference(node: unknown): node is Reference;
export function decodePointerSegment(segment: string): string;
export function encodePointerSegment(key: string): string;
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
/** "types" (default): @cce-openapi/types/openapi.json; "dist": spec/dist/openapi.json; else a file path. Cached, read-only. */
export function loadBundledSpec(which?: 'types' | 'dist' | (string & {})): OpenApiDocument;
/** Bundles `root`'s spec (redocly.yaml, API cce@v1) into outDir; returns the openapi.json path. */
export function bundleSpec(options?: { root?: string; outDir?: string }): string;
/** A fresh bundle made in a scratch directory, parsed. */
export function bundleFresh(options?: { root?: string }): OpenApiDocument;

// ── Schema validation ──────────────────────────────────────────────────────────────────────────
export interface SpecValidator {
  /** Errors of `value` against the schema at `pointer` ("#/components/schemas/Service"); empty when valid. */
  validate(pointer: string, value: unknown): string[];
}
export function createSpecValidator(spec: OpenApiDocument): SpecValidator;
export function examplesOf(spec: OpenApiDocument): Generator<{ where: string; schemaPointer: string; value: unknown }>;

// ── The CCE documentation page ─────────────────────────────────────────────────────────────────
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

// ── Fidelity ───────────────────────────────────────────────────────────────────────────────────
export interface Finding {
  field: string;
  aspect: string;
  page: string;
  spec: string;
  table?: number;
  row?: string;
  line?: number;
}
export interface Deviation {
  field: string;
  aspect: string;
  page?: string;
  spec: string;
  why: string;
}
export interface FidelityCount {
  matched: number;
  total: number;
}
export function checkFidelity(input: { page: SourcePage; spec: OpenApiDocument; deviations: Deviation[] }): {
  path?: string;
  problems: string[];
  findings: Finding[];
  rows: FidelityCount;
  statusCodes: FidelityCount;
  example?: boolean;
};
export function describeSpecType(spec: OpenApiDocument, schema: unknown): string;
export function normalizeText(text: unknown): string;
