import type { Estate } from './estate.ts';
import type { Finding } from './finding.ts';

/** A finding in JSON output: rule, level, code, message and where. */
export interface FindingJson {
  readonly rule: string;
  readonly level: string;
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
}

/** Flattens a finding for JSON documents. */
export function findingToJson(finding: Finding): FindingJson {
  return {
    rule: finding.rule,
    level: finding.level,
    code: finding.code,
    message: finding.message,
    ...(finding.location === undefined ? {} : { file: finding.location.file, line: finding.location.line, column: finding.location.column }),
    ...(finding.hint === undefined ? {} : { hint: finding.hint }),
  };
}

/** The `--output json` document of `manifest reconcile`. */
export function buildEstateDocument(estate: Estate, options: { readonly apiVersion: string; readonly mesh: { readonly file: string; readonly isChanged: boolean } | undefined }): unknown {
  return {
    apiVersion: options.apiVersion,
    kind: 'ManifestEstate',
    manifests: estate.manifests,
    services: estate.services,
    databases: estate.databases,
    dependencies: estate.dependencies,
    gpu: estate.gpu,
    findings: estate.findings.map(findingToJson),
    ...(options.mesh === undefined ? {} : { mesh: { file: options.mesh.file, changed: options.mesh.isChanged } }),
  };
}

function serviceLine(entry: Estate['services'][string][number]): string {
  return [`${entry.project} (${entry.environment})`, entry.runtime, entry.port === undefined ? undefined : `:${String(entry.port)}`, entry.systemd_unit, `[${entry.provider}]`].filter((part) => part !== undefined).join('  ');
}

/** Plain text: services per host, databases per cluster, HTTP dependencies, GPU users. */
export function renderEstateText(estate: Estate): string {
  const lines = [`Estate: ${String(estate.manifests)} manifest${estate.manifests === 1 ? '' : 's'}, ${String(estate.dependencies.projects.length)} project${estate.dependencies.projects.length === 1 ? '' : 's'}`, ''];
  lines.push('Services per host:');
  const hosts = Object.keys(estate.services).sort();
  if (hosts.length === 0) lines.push('  (none)');
  for (const host of hosts) lines.push(`  ${host}`, ...(estate.services[host] ?? []).map((entry) => `    ${serviceLine(entry)}`));
  lines.push('', 'Databases per cluster:');
  const clusters = Object.keys(estate.databases).sort();
  if (clusters.length === 0) lines.push('  (none)');
  for (const cluster of clusters) {
    lines.push(`  ${cluster}`, ...(estate.databases[cluster] ?? []).map((db) => `    ${db.project} (${db.environment})  database ${db.name}  user ${db.user}`));
  }
  const { edges, cycles, dangling } = estate.dependencies;
  lines.push('', 'HTTP dependencies:');
  if (edges.length === 0 && dangling.length === 0) lines.push('  (none)');
  lines.push(...edges.map((edge) => `  ${edge.from} -> ${edge.to}`), ...dangling.map((edge) => `  ${edge.from} -> ${edge.to}  (dangling: no manifest)`));
  for (const cycle of cycles) lines.push(`  cycle: ${cycle.join(' -> ')}`);
  lines.push('', 'GPU users:');
  if (estate.gpu.length === 0) lines.push('  (none)');
  lines.push(...estate.gpu.map((g) => `  ${g.project} (${g.environment})  ${g.mode ?? 'no mode'}${g.droplet === undefined ? '' : `  droplet ${g.droplet}`}`));
  return `${lines.join('\n')}\n`;
}

function mermaidId(project: string): string {
  return `p_${project.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** A Mermaid flowchart of the HTTP dependency graph; dangling targets are dashed. */
export function renderEstateMermaid(estate: Estate): string {
  const lines = ['flowchart LR'];
  for (const project of estate.dependencies.projects) lines.push(`  ${mermaidId(project)}["${project}"]`);
  for (const edge of estate.dependencies.edges) lines.push(`  ${mermaidId(edge.from)} --> ${mermaidId(edge.to)}`);
  for (const target of new Set(estate.dependencies.dangling.map((edge) => edge.to))) lines.push(`  ${mermaidId(target)}["${target} (no manifest)"]:::dangling`);
  for (const edge of estate.dependencies.dangling) lines.push(`  ${mermaidId(edge.from)} -.-> ${mermaidId(edge.to)}`);
  if (estate.dependencies.dangling.length > 0) lines.push('  classDef dangling stroke-dasharray: 5 5');
  return `${lines.join('\n')}\n`;
}

function cell(text: string | number | undefined): string {
  return text === undefined ? '' : String(text).replaceAll('|', '\\|');
}

/** Markdown for PR comments: tables, the Mermaid graph and the findings. */
export function renderEstateMarkdown(estate: Estate): string {
  const lines = ['## Estate', '', `${String(estate.manifests)} manifests, ${String(estate.dependencies.projects.length)} projects.`, '', '### Services per host', ''];
  lines.push('| host | project | environment | runtime | port | systemd unit | provider |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const host of Object.keys(estate.services).sort()) {
    for (const e of estate.services[host] ?? []) lines.push(`| ${cell(host)} | ${cell(e.project)} | ${e.environment} | ${cell(e.runtime)} | ${cell(e.port)} | ${cell(e.systemd_unit)} | ${e.provider} |`);
  }
  lines.push('', '### Databases per cluster', '', '| cluster | project | environment | database | user |', '| --- | --- | --- | --- | --- |');
  for (const cluster of Object.keys(estate.databases).sort()) {
    for (const db of estate.databases[cluster] ?? []) lines.push(`| ${cell(cluster)} | ${cell(db.project)} | ${db.environment} | ${cell(db.name)} | ${cell(db.user)} |`);
  }
  lines.push('', '### HTTP dependencies', '', '```mermaid', renderEstateMermaid(estate).trimEnd(), '```');
  if (estate.dependencies.cycles.length > 0) lines.push('', ...estate.dependencies.cycles.map((cycle) => `- cycle: ${cycle.join(' → ')}`));
  lines.push('', '### GPU users', '');
  if (estate.gpu.length === 0) lines.push('None.');
  else lines.push('| project | environment | mode | droplet |', '| --- | --- | --- | --- |', ...estate.gpu.map((g) => `| ${cell(g.project)} | ${g.environment} | ${cell(g.mode)} | ${cell(g.droplet)} |`));
  lines.push('', '### Findings', '');
  if (estate.findings.length === 0) lines.push('None.');
  else {
    lines.push('| level | rule | where | message |', '| --- | --- | --- | --- |');
    for (const f of estate.findings) {
      const where = f.location === undefined ? '' : `${f.location.file}:${String(f.location.line)}:${String(f.location.column)}`;
      lines.push(`| ${f.level} | ${f.rule} | ${cell(where)} | ${cell(f.message)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
