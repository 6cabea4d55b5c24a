/** How binding a rule is: a broken `must` fails validation (exit 2), a broken `should` warns. */
export type RuleLevel = 'must' | 'should';

/** One rule manifests are checked against. */
export interface ManifestRule {
  readonly id: string;
  readonly level: RuleLevel;
  readonly text: string;
  readonly rationale?: string;
  /** `seed`: the infra_manifest convention's own rule; `runestone`: a check the reconciler adds. */
  readonly source: 'seed' | 'runestone';
}

/**
 * The rules of the seed's `infra_manifest` convention (v0.3.0), as data, followed by the
 * checks the reconciler adds on the whole estate. Ids are stable: JSON output and docs use them.
 */
export const MANIFEST_RULES = [
  {
    id: 'schema',
    level: 'must',
    source: 'runestone',
    text: 'The manifest matches the published schema (schemas/infra-manifest.schema.json).',
    rationale: 'Every tool that reads manifests relies on one shape.',
  },
  {
    id: 'own_db',
    level: 'must',
    source: 'seed',
    text: "A project needing a database declares its own logical DB + dedicated user on the shared managed cluster (data-sourced), never reusing another service's creds.",
    rationale: 'own-DB-per-service + credential separation.',
  },
  {
    id: 'http_coupling',
    level: 'must',
    source: 'seed',
    text: 'Cross-service dependencies are HTTP only (declared in depends_on), never shared databases.',
  },
  {
    id: 'gpu_ondemand',
    level: 'should',
    source: 'seed',
    text: 'GPU workloads are on-demand — provision, keep warm while the queue is deep, release on idle. Never a standing GPU.',
  },
  {
    id: 'host_in_mesh',
    level: 'must',
    source: 'seed',
    text: '`service.host` is a host name from net-tools mesh-hosts.json (lime, fennel, redroid, …) — the infra-net reconciler validates this and regenerates the mesh-hosts services map from all .infra.yaml.',
  },
  {
    id: 'env_variants',
    level: 'should',
    source: 'seed',
    text: 'Default manifest is `.infra.yaml` (prod, environment defaults to prod). A distinct non-prod deployment lives in a sibling `.infra.<env>.yaml` (currently only `.infra.dev.yaml`) with the same schema + `environment` set. One project may thus appear as multiple services (e.g. prod on a DO droplet + a local mac instance). Keep run-only/access config (passcodes, bind addresses) out of the manifest — it is not mesh infra.',
  },
  {
    id: 'dangling_dependency',
    level: 'must',
    source: 'runestone',
    text: 'Every `depends_on` entry names a project that has a manifest among the reconciled roots.',
    rationale: 'A dependency nobody declares cannot be placed in the live picture.',
  },
  {
    id: 'dependency_cycle',
    level: 'should',
    source: 'runestone',
    text: 'HTTP dependencies between projects form no cycle.',
    rationale: 'A cycle means no project can start or be replaced first.',
  },
] as const satisfies readonly ManifestRule[];

/** A rule id. */
export type RuleId = (typeof MANIFEST_RULES)[number]['id'];

/** Looks up a rule by id. */
export function findRule(id: RuleId): ManifestRule {
  const rule = MANIFEST_RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`Unknown manifest rule "${id}"`);
  return rule;
}
