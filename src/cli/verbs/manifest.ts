import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunestoneError } from '../../core/errors.ts';
import {
  buildEstate,
  buildEstateDocument,
  checkTeamRules,
  displayPath,
  findingToError,
  findingToJson,
  hasMustFindings,
  loadManifests,
  loadTeamRules,
  parseMeshHosts,
  renderEstateMarkdown,
  renderEstateMermaid,
  renderEstateText,
  renderMeshHosts,
  servicesMap,
  sortFindings,
  type Finding,
  type MeshHosts,
} from '../../manifest/index.ts';
import { checkManifests } from '../../manifest/index.ts';
import { API_VERSION } from '../../report/index.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { resolveRoots } from '../manifest-roots.ts';
import { COMMON_OPTIONS } from '../options.ts';
import { printWarnings, readSourceFile } from '../print-warnings.ts';
import type { Verb, VerbContext } from '../verb.ts';

const SUBCOMMANDS = ['validate', 'reconcile'] as const;

/** `runestone manifest validate|reconcile`: project manifests (.infra.yaml) across repositories. */
export const MANIFEST_VERB: Verb = {
  name: 'manifest',
  summary: 'Validate project manifests (.infra.yaml) and reconcile them into one estate report',
  usage:
    'runestone manifest validate [PATHS|GIT-URL...] [--mesh FILE] [--rules FILE] [--offline] [-o text|json]\n' +
    '       runestone manifest reconcile --roots DIR|GIT-URL... [--mesh FILE] [--rules FILE] [--offline] [--check] [-o text|json|markdown|mermaid]',
  description:
    'validate: checks each .infra.yaml / .infra.<env>.yaml under PATHS (files, or directories searched recursively; default .)\n' +
    'against the published schema and the infra_manifest rules. A broken "must" rule exits 2; a broken "should" rule warns.\n' +
    'reconcile: reads every manifest under the roots and prints the estate: services per host, databases per cluster, the HTTP\n' +
    'dependency graph (cycles, dangling dependencies) and GPU users. With --mesh it rewrites the mesh hosts file\'s "services"\n' +
    'map when, and only when, it changes; --check changes nothing and exits 4 when it would. A root may be a git URL (https://,\n' +
    'ssh://, git@host:path, file://; validate takes them too): it is cloned shallowly into ~/.cache/runestone/manifest-repos and refreshed on each run\n' +
    '(--offline: the cached copy, no network); its files show as URL//path.\n' +
    'Both also check the team\'s own rules: --rules FILE (repeatable), else .runestone/manifest-rules.yaml in the working directory.',
  options: ['output', 'mesh', 'roots', 'rules', 'offline', 'check', ...COMMON_OPTIONS],
  examples: [
    'runestone manifest validate',
    'runestone manifest validate ~/src/billing --mesh ~/src/net-tools/mesh-hosts.json -o json',
    'runestone manifest reconcile --roots ~/src --mesh ~/src/net-tools/mesh-hosts.json',
    'runestone manifest reconcile --roots ~/src --mesh mesh-hosts.json --check',
    'runestone manifest validate --rules team-rules.yaml',
    'runestone manifest reconcile --roots https://git.example.com/billing.git --roots git@git.example.com:ops/search.git',
    'runestone manifest reconcile --roots ~/src -o mermaid > estate.mmd',
  ],
  run(ctx) {
    const [sub, ...rest] = ctx.args;
    if (sub === 'validate') return Promise.resolve(runValidate(ctx, rest));
    if (sub === 'reconcile') return Promise.resolve(runReconcile(ctx, rest));
    throw new RunestoneError('RS_CLI_E0001', sub === undefined ? 'Missing subcommand for "runestone manifest"' : `Unknown subcommand "${sub}" for "runestone manifest"`, {
      hint: `Use one of: ${SUBCOMMANDS.join(', ')}`,
    });
  },
};

function readOutput(ctx: VerbContext, allowed: readonly string[]): string {
  const output = ctx.options.output ?? 'text';
  if (!allowed.includes(output)) throw new RunestoneError('RS_CLI_E0002', `Invalid value for --output: "${output}"`, { hint: `Use ${allowed.join(', ')}` });
  return output;
}

function readMesh(ctx: VerbContext): MeshHosts | undefined {
  if (ctx.options.mesh === undefined) return undefined;
  const full = path.resolve(ctx.cwd, ctx.options.mesh);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    throw new RunestoneError('RS_MANIFEST_E0003', `Cannot read mesh hosts file "${ctx.options.mesh}": ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
  }
  return parseMeshHosts(displayPath(full, ctx.cwd), text);
}

function printFindings(ctx: VerbContext, findings: readonly Finding[], labels: ReadonlyMap<string, string>): void {
  // A file from a git root is shown as URL//path; its code frame comes from the cached clone.
  const readSource = (file: string): string | undefined => {
    for (const [dir, label] of labels) {
      if (file.startsWith(`${label}//`)) return readSourceFile(path.join(dir, file.slice(label.length + 2)));
    }
    return readSourceFile(file);
  };
  printWarnings(ctx.terminal.stderr, findings.map(findingToError), readSource);
}

function countLine(findings: readonly Finding[]): string {
  const must = findings.filter((f) => f.level === 'must').length;
  const should = findings.length - must;
  return `${String(must)} must and ${String(should)} should finding${should === 1 ? '' : 's'}`;
}

function runValidate(ctx: VerbContext, paths: readonly string[]): ExitCode {
  const output = readOutput(ctx, ['text', 'json']);
  const mesh = readMesh(ctx);
  const rules = loadTeamRules(ctx.options.rules, { cwd: ctx.cwd });
  const { roots, labels } = resolveRoots(ctx, paths.length > 0 ? paths : ['.']);
  const loaded = loadManifests(roots, { cwd: ctx.cwd, labels });
  const findings = sortFindings([
    ...loaded.findings,
    ...checkManifests(loaded.manifests, mesh === undefined ? {} : { meshHosts: mesh.hosts }),
    ...checkTeamRules(loaded.manifests, rules),
  ]);
  const failed = hasMustFindings(findings);
  if (output === 'json') {
    const document = {
      apiVersion: API_VERSION,
      kind: 'ManifestValidation',
      valid: !failed,
      files: loaded.files,
      manifests: loaded.manifests.map((m) => ({ file: m.file, project: m.project, environment: m.environment })),
      findings: findings.map(findingToJson),
    };
    ctx.terminal.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    printFindings(ctx, findings, labels);
    const files = loaded.files.length;
    const head = failed ? 'Manifests invalid' : 'Manifests valid';
    ctx.terminal.stdout.write(`${head}: ${String(files)} file${files === 1 ? '' : 's'} checked, ${countLine(findings)}${mesh === undefined ? ' (no --mesh: hosts not checked against the mesh)' : ''}\n`);
  }
  return failed ? EXIT.invalid : EXIT.ok;
}

function runReconcile(ctx: VerbContext, extraRoots: readonly string[]): ExitCode {
  const output = readOutput(ctx, ['text', 'json', 'markdown', 'mermaid']);
  const mesh = readMesh(ctx);
  const rules = loadTeamRules(ctx.options.rules, { cwd: ctx.cwd });
  const given = [...ctx.options.roots, ...extraRoots];
  const { roots, labels } = resolveRoots(ctx, given.length > 0 ? given : ['.']);
  const loaded = loadManifests(roots, { cwd: ctx.cwd, labels });
  const estate = buildEstate(loaded.manifests, mesh === undefined ? {} : { meshHosts: mesh.hosts });
  const findings = sortFindings([...loaded.findings, ...estate.findings, ...checkTeamRules(loaded.manifests, rules)]);
  const report = { ...estate, findings };
  const nextMesh = mesh === undefined ? undefined : renderMeshHosts(mesh, servicesMap(estate));
  const meshState = mesh === undefined ? undefined : { file: mesh.file, isChanged: nextMesh !== undefined };
  if (output === 'json') ctx.terminal.stdout.write(`${JSON.stringify(buildEstateDocument(report, { apiVersion: API_VERSION, mesh: meshState }), null, 2)}\n`);
  else if (output === 'markdown') ctx.terminal.stdout.write(renderEstateMarkdown(report));
  else if (output === 'mermaid') ctx.terminal.stdout.write(renderEstateMermaid(report));
  else ctx.terminal.stdout.write(renderEstateText(report));
  if (output !== 'json') printFindings(ctx, findings, labels);
  if (hasMustFindings(findings)) {
    ctx.terminal.stderr.write(`Manifests invalid: ${countLine(findings)}${mesh === undefined ? '' : `; ${mesh.file} left unchanged`}\n`);
    return EXIT.invalid;
  }
  if (mesh === undefined || nextMesh === undefined) {
    if (mesh !== undefined) ctx.terminal.stderr.write(`${mesh.file}: services map is up to date\n`);
    return EXIT.ok;
  }
  if (ctx.options.check) {
    ctx.terminal.stderr.write(`${mesh.file}: services map would change (run without --check to write it)\n`);
    return EXIT.pending;
  }
  try {
    writeFileSync(path.resolve(ctx.cwd, mesh.file), nextMesh);
  } catch (error) {
    throw new RunestoneError('RS_CLI_E0005', `Cannot write mesh hosts file "${mesh.file}": ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
  }
  ctx.terminal.stderr.write(`${mesh.file}: services map updated\n`);
  return EXIT.ok;
}

