import { RunestoneError } from '../core/errors.ts';
import { isPlainObject, jsonEqual, type JsonObject } from '../core/json.ts';

/** A parsed mesh hosts file: its host names and the whole document (other keys are kept). */
export interface MeshHosts {
  readonly file: string;
  readonly hosts: readonly string[];
  readonly document: Readonly<Record<string, unknown>>;
}

/**
 * Parses net-tools' `mesh-hosts.json`: `{ "hosts": { "<name>": {...} }, "services": {...} }`.
 * `hosts` may also be a list of names or of `{ "name": ... }` objects. Throws RS_MANIFEST_E0003.
 */
export function parseMeshHosts(file: string, text: string): MeshHosts {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new RunestoneError('RS_MANIFEST_E0003', `Cannot parse mesh hosts file "${file}": ${(error as Error).message}`, { cause: error });
  }
  if (!isPlainObject(document)) throw new RunestoneError('RS_MANIFEST_E0003', `Invalid mesh hosts file "${file}": expected a JSON object, found ${Array.isArray(document) ? 'a list' : typeof document}`);
  const raw = document['hosts'];
  let hosts: string[];
  if (isPlainObject(raw)) hosts = Object.keys(raw);
  else if (Array.isArray(raw)) hosts = raw.map((item: unknown) => (typeof item === 'string' ? item : isPlainObject(item) && typeof item['name'] === 'string' ? item['name'] : '')).filter((name) => name !== '');
  else throw new RunestoneError('RS_MANIFEST_E0003', `Invalid mesh hosts file "${file}": no "hosts" map`);
  return { file, hosts, document };
}

/**
 * The mesh file's text with `services` replaced, or `undefined` when the services map
 * already equals `services` (so an unchanged file is never rewritten).
 */
export function renderMeshHosts(mesh: MeshHosts, services: JsonObject): string | undefined {
  if (jsonEqual(mesh.document['services'], services)) return undefined;
  const next: Record<string, unknown> = { ...mesh.document, services };
  return `${JSON.stringify(next, null, 2)}\n`;
}
