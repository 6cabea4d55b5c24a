import type { CodeTable } from './code.ts';

/** Codes owned by the manifest area (`.infra.yaml` project manifests). Append only; never renumber. */
export const MANIFEST_CODES = {
  RS_MANIFEST_E0001: { title: 'Manifest breaks a "must" rule', hint: 'Read the rule text in docs/manifests.md and change the manifest to follow it' },
  RS_MANIFEST_E0002: { title: 'No manifest found', hint: 'Give a .infra.yaml file or a directory that holds one (searched recursively)' },
  RS_MANIFEST_E0003: { title: 'Invalid mesh hosts file', hint: 'The file is JSON with a "hosts" map (host name to details) and an optional "services" map' },
  RS_MANIFEST_E0004: { title: 'Two manifests declare the same project and environment', hint: 'Keep one manifest per project and environment; a dev variant sets environment: dev' },
  RS_MANIFEST_E0005: { title: 'A service names a systemd unit file the project does not have', hint: 'Fix the systemd_unit path (relative to the manifest), or give a bare unit name to have Runestone generate the unit' },
  RS_MANIFEST_E0006: {
    title: 'Invalid team rules file',
    hint: 'A rules file is YAML with a "rules" list of {id, level, text, rationale, applies_to, check} (schemas/manifest-rules.schema.json); ids must not reuse a built-in rule id',
  },
  RS_MANIFEST_E0007: { title: 'A "must" team rule could not be checked on a manifest', hint: 'Make the check total: guard optional blocks with has() and return a boolean' },
  RS_MANIFEST_E0008: {
    title: 'A git root could not be cloned or refreshed',
    hint: 'Check the URL and your git credentials (ssh agent, credential helper); with --offline a root is read from the cache and must have been cloned before',
  },
  RS_MANIFEST_W0001: { title: 'Manifest breaks a "should" rule', hint: 'Read the rule text in docs/manifests.md; "should" rules warn and do not fail validation' },
  RS_MANIFEST_W0002: {
    title: 'A service block was not compiled: no mesh hosts file',
    hint: 'Pass -i mesh-hosts.json, set RUNESTONE_MESH_HOSTS, or put mesh-hosts.json beside the manifest or in its parent directory',
  },
  RS_MANIFEST_W0003: { title: 'A "should" team rule could not be checked on a manifest', hint: 'Make the check total: guard optional blocks with has() and return a boolean' },
} as const satisfies CodeTable;
