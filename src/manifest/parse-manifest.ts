import { Locator, SourceFile, issuesToErrors } from '../config/index.ts';
import { listErrors } from '../core/errors.ts';
import { isPlainObject } from '../core/json.ts';
import { compileSchema } from '../schema/index.ts';
import type { Finding } from './finding.ts';
import { MANIFEST_SCHEMA } from './manifest-schema.ts';

/** A manifest that matched the schema, with where each part came from. */
export interface Manifest {
  /** The file as shown to the user (relative to the working directory when inside it). */
  readonly file: string;
  readonly project: string;
  readonly environment: 'dev' | 'prod';
  /** False when `environment` was omitted (and so defaulted to prod). */
  readonly isEnvironmentDeclared: boolean;
  readonly provider: 'digitalocean' | 'mac' | 'bare-metal' | 'local';
  readonly database?: { readonly cluster: string; readonly name: string; readonly user: string };
  readonly service?: { readonly host?: string; readonly runtime?: string; readonly port?: number; readonly systemd_unit?: string };
  readonly gpu?: { readonly mode?: 'on-demand'; readonly droplet?: string };
  readonly dependsOn: readonly string[];
  /** The document's root, to locate any value in it. */
  readonly at: Locator;
}

const checkManifest = compileSchema(MANIFEST_SCHEMA);

/**
 * Parses and validates one manifest's text. Never throws for bad input: YAML and schema
 * errors come back as `schema` findings with `file:line:col`, and `manifest` is then absent.
 */
export function parseManifest(file: string, text: string): { readonly manifest?: Manifest; readonly findings: readonly Finding[] } {
  let parsed: ReturnType<typeof SourceFile.parse>;
  try {
    parsed = SourceFile.parse(file, text);
  } catch (error) {
    const errors = listErrors(error);
    if (errors.length === 0) throw error;
    return { findings: errors.map((e) => schemaFinding(e)) };
  }
  const [doc, extra] = parsed.documents;
  if (doc === undefined) {
    return { findings: [{ rule: 'schema', level: 'must', code: 'RS_CONFIG_E0004', message: 'The manifest is empty', location: parsed.source.locateOffsets(0, 0), hint: 'Start with apiVersion: infra/v1, project: and provider:' }] };
  }
  const at = new Locator(doc.source, `/${String(doc.index)}`);
  if (extra !== undefined) {
    return { findings: [{ rule: 'schema', level: 'must', code: 'RS_CONFIG_E0004', message: 'A manifest holds one YAML document, found several', location: new Locator(extra.source, `/${String(extra.index)}`).location(), hint: 'Put a dev variant in a sibling .infra.dev.yaml' }] };
  }
  const value = doc.value;
  const isEnvironmentDeclared = isPlainObject(value) && 'environment' in value;
  const issues = checkManifest(value);
  if (issues.length > 0) return { findings: issuesToErrors(issues, value, at, 'the manifest').map((e) => schemaFinding(e)) };
  // The schema check passed (and applied the environment default), so the shape is known.
  const checked = value as Omit<Manifest, 'file' | 'at' | 'dependsOn' | 'isEnvironmentDeclared'> & { readonly depends_on?: readonly string[] };
  const { depends_on: dependsOn, ...rest } = checked;
  return { manifest: { ...rest, file, isEnvironmentDeclared, dependsOn: dependsOn ?? [], at }, findings: [] };
}

function schemaFinding(error: ReturnType<typeof listErrors>[number]): Finding {
  return {
    rule: 'schema',
    level: 'must',
    code: error.code,
    message: error.message,
    ...(error.location === undefined ? {} : { location: error.location }),
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  };
}
