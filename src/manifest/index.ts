// The manifest folder's public surface: .infra.yaml schema, rules, loading and the estate reconciler.
export { checkManifests } from './check-rules.ts';
export type { CheckOptions } from './check-rules.ts';
export { compileManifest, DATABASE_PASSWORD_VARIABLE } from './compile-manifest.ts';
export { buildEstate, servicesMap } from './estate.ts';
export type { DatabaseEntry, Estate, GpuEntry, ServiceEntry } from './estate.ts';
export { findingToError, hasMustFindings, sortFindings } from './finding.ts';
export type { Finding } from './finding.ts';
export { displayPath, isManifestFile, loadManifests } from './load-manifests.ts';
export type { LoadedManifests } from './load-manifests.ts';
export { MANIFEST_SCHEMA } from './manifest-schema.ts';
export { parseMeshHosts, renderMeshHosts } from './mesh-hosts.ts';
export type { MeshHosts } from './mesh-hosts.ts';
export { parseManifest } from './parse-manifest.ts';
export type { Manifest } from './parse-manifest.ts';
export { buildEstateDocument, findingToJson, renderEstateMarkdown, renderEstateMermaid, renderEstateText } from './render-estate.ts';
export type { FindingJson } from './render-estate.ts';
export { findRule, MANIFEST_RULES } from './rules.ts';
export type { ManifestRule, RuleId, RuleLevel } from './rules.ts';
