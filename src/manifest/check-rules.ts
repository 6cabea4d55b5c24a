import path from 'node:path';
import { didYouMean } from '../config/index.ts';
import type { Finding } from './finding.ts';
import type { Manifest } from './parse-manifest.ts';
import { findRule, type RuleId } from './rules.ts';

/** What the checks may know beyond the manifests themselves. */
export interface CheckOptions {
  /** Host names of the mesh hosts file; without it `host_in_mesh` only checks that a host is named. */
  readonly meshHosts?: readonly string[];
}

const MANIFEST_NAME = /^\.infra(?:\.([^.]+))?\.yaml$/;

/**
 * Checks the seed's rules on a set of valid manifests: each one alone (env_variants,
 * gpu_ondemand, host_in_mesh) and all together (one manifest per project and environment,
 * own_db, http_coupling).
 */
export function checkManifests(manifests: readonly Manifest[], options: CheckOptions = {}): Finding[] {
  const findings: Finding[] = [];
  for (const manifest of manifests) findings.push(...checkOne(manifest, options));
  findings.push(...checkDuplicates(manifests), ...checkOwnDb(manifests), ...checkHttpCoupling(manifests));
  return findings;
}

function finding(rule: RuleId, manifest: Manifest, pointer: string, message: string, hint?: string): Finding {
  const { level } = findRule(rule);
  return {
    rule,
    level,
    code: level === 'must' ? 'RS_MANIFEST_E0001' : 'RS_MANIFEST_W0001',
    message,
    // Findings about the whole file point at `project`; about a block, at its key.
    location: pointer === '' ? manifest.at.child('project').keyLocation() : pointer === '/gpu' || pointer === '/service' ? manifest.at.at(pointer).keyLocation() : manifest.at.at(pointer).location(),
    ...(hint === undefined ? {} : { hint }),
  };
}

function checkOne(manifest: Manifest, options: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const name = path.basename(manifest.file);
  const variant = MANIFEST_NAME.exec(name);
  if (variant === null) {
    out.push(finding('env_variants', manifest, '', `Manifest file "${name}" is not named .infra.yaml or .infra.<env>.yaml`, 'Rename it to .infra.yaml (prod) or .infra.dev.yaml'));
  } else if (variant[1] === undefined) {
    if (manifest.environment !== 'prod') {
      out.push(finding('env_variants', manifest, '/environment', `.infra.yaml is the prod manifest but declares environment "${manifest.environment}"`, 'Move this deployment to a sibling .infra.dev.yaml, or set environment: prod'));
    }
  } else if (variant[1] !== 'dev') {
    out.push(finding('env_variants', manifest, '', `Only .infra.dev.yaml is a known variant, found "${name}"`, 'Name the non-prod manifest .infra.dev.yaml with environment: dev'));
  } else if (!manifest.isEnvironmentDeclared || manifest.environment !== 'dev') {
    out.push(
      finding(
        'env_variants',
        manifest,
        manifest.isEnvironmentDeclared ? '/environment' : '',
        manifest.isEnvironmentDeclared ? `.infra.dev.yaml declares environment "${manifest.environment}", expected "dev"` : '.infra.dev.yaml does not set environment, so it defaults to prod',
        'Add environment: dev',
      ),
    );
  }
  if (manifest.gpu !== undefined && manifest.gpu.mode !== 'on-demand') {
    out.push(finding('gpu_ondemand', manifest, '/gpu', `Project "${manifest.project}" declares a GPU without mode: on-demand`, 'Add mode: on-demand; a standing GPU is never wanted'));
  }
  if (manifest.service !== undefined) {
    const host = manifest.service.host;
    if (host === undefined) {
      out.push(finding('host_in_mesh', manifest, '/service', `The service of project "${manifest.project}" names no host`, 'Add service.host: a host name from mesh-hosts.json'));
    } else if (options.meshHosts !== undefined && !options.meshHosts.includes(host)) {
      const suggestion = didYouMean(host, options.meshHosts);
      out.push(
        finding(
          'host_in_mesh',
          manifest,
          '/service/host',
          `Host "${host}" is not in the mesh hosts file`,
          suggestion === undefined ? `Known hosts: ${options.meshHosts.join(', ') || '(none)'}` : `Did you mean "${suggestion}"?`,
        ),
      );
    }
  }
  return out;
}

function checkDuplicates(manifests: readonly Manifest[]): Finding[] {
  const seen = new Map<string, Manifest>();
  const out: Finding[] = [];
  for (const manifest of manifests) {
    const key = `${manifest.project}\u0000${manifest.environment}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, manifest);
      continue;
    }
    out.push({
      rule: 'env_variants',
      level: 'must',
      code: 'RS_MANIFEST_E0004',
      message: `Project "${manifest.project}" (${manifest.environment}) is also declared in ${first.file}`,
      location: manifest.at.child('project').location(),
    });
  }
  return out;
}

function checkOwnDb(manifests: readonly Manifest[]): Finding[] {
  const out: Finding[] = [];
  const users = new Map<string, Manifest>();
  const names = new Map<string, Manifest>();
  for (const manifest of manifests) {
    const db = manifest.database;
    if (db === undefined) continue;
    for (const [field, seen, value] of [
      ['user', users, db.user],
      ['name', names, db.name],
    ] as const) {
      const key = `${db.cluster}\u0000${value}`;
      const owner = seen.get(key);
      if (owner === undefined) seen.set(key, manifest);
      else if (owner.project !== manifest.project) {
        out.push(
          finding(
            'own_db',
            manifest,
            `/database/${field}`,
            `Project "${manifest.project}" reuses database ${field} "${value}" on cluster "${db.cluster}" of project "${owner.project}" (${owner.file})`,
            `Give "${manifest.project}" its own database and user; reach "${owner.project}" over HTTP (depends_on)`,
          ),
        );
      }
    }
  }
  return out;
}

function checkHttpCoupling(manifests: readonly Manifest[]): Finding[] {
  const out: Finding[] = [];
  const byProject = new Map<string, Manifest[]>();
  for (const manifest of manifests) byProject.set(manifest.project, [...(byProject.get(manifest.project) ?? []), manifest]);
  for (const manifest of manifests) {
    const db = manifest.database;
    manifest.dependsOn.forEach((dependency, i) => {
      if (dependency === manifest.project) {
        out.push(finding('http_coupling', manifest, `/depends_on/${String(i)}`, `Project "${manifest.project}" depends on itself`, 'Remove it from depends_on'));
        return;
      }
      if (db === undefined) return;
      const shared = (byProject.get(dependency) ?? []).find((other) => other.database?.cluster === db.cluster && other.database.name === db.name);
      if (shared !== undefined) {
        out.push(
          finding(
            'http_coupling',
            manifest,
            `/depends_on/${String(i)}`,
            `Project "${manifest.project}" depends on "${dependency}" and shares its database "${db.name}" on cluster "${db.cluster}"`,
            'Cross-service dependencies go over HTTP only; give each project its own database',
          ),
        );
      }
    });
  }
  return out;
}
