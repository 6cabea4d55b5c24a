import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRunestoneError } from '../core/errors.ts';
import { compileService } from './compile-service.ts';
import { parseManifest, type Manifest } from './parse-manifest.ts';

function manifest(body: string, file = 'app/.infra.yaml'): Manifest {
  const parsed = parseManifest(file, `apiVersion: infra/v1\nproject: app\n${body}`);
  if (parsed.manifest === undefined) throw new Error(parsed.findings.map((f) => f.message).join('; '));
  return parsed.manifest;
}

const SHIPPED = new Set(['/repo/app/app.service', '/repo/app/deploy/app.service']);
const compile = (m: Manifest): ReturnType<typeof compileService> => compileService(m, { dir: '/repo/app', isFile: (p) => SHIPPED.has(p), passwordVariable: 'database_password' });
const summary = (m: Manifest): readonly string[] =>
  (compile(m)?.resources ?? []).map((r) => {
    const props = r.value['properties'] as Record<string, string | undefined>;
    return `${String(r.value['kind'])}.${String(r.value['name'])} ${String(props['path'])}${props['source'] === undefined ? '' : ` <- ${props['source']}`} ${String(props['mode'])}`;
  });

describe('compileService()', () => {
  const CASES: readonly { name: string; body: string; file?: string; expected: readonly string[] }[] = [
    {
      name: 'a shipped unit file, and a database: unit, env and password files',
      body: 'provider: digitalocean\ndatabase: { cluster: c, name: app, user: app_user }\nservice: { host: lime, port: 80, systemd_unit: app.service }\n',
      expected: [
        'host:file.unit ${systemd_unit_dir}/app.service <- app.service 0644',
        'host:file.env ${service_env_dir}/app.env 0644',
        'host:template.pgpass ${service_env_dir}/app.pgpass 0600',
      ],
    },
    {
      name: 'a unit path inside the project is installed under its base name',
      body: 'provider: bare-metal\nservice: { host: lime, systemd_unit: deploy/app.service }\n',
      expected: ['host:file.unit ${systemd_unit_dir}/app.service <- deploy/app.service 0644', 'host:file.env ${service_env_dir}/app.env 0644'],
    },
    {
      name: 'a unit name the project does not ship is generated under that name',
      body: 'provider: digitalocean\nservice: { host: lime, runtime: node, systemd_unit: worker.service }\n',
      expected: ['host:file.unit ${systemd_unit_dir}/worker.service 0644', 'host:file.env ${service_env_dir}/worker.env 0644'],
    },
    {
      name: 'no systemd_unit on dev: <project>-dev.service',
      body: 'environment: dev\nprovider: bare-metal\nservice: { host: lime }\n',
      file: 'app/.infra.dev.yaml',
      expected: ['host:file.unit ${systemd_unit_dir}/app-dev.service 0644', 'host:file.env ${service_env_dir}/app-dev.env 0644'],
    },
    {
      name: 'a mac gets no systemd unit',
      body: 'provider: mac\nservice: { host: fennel, systemd_unit: app.service }\n',
      expected: ['host:file.env ${service_env_dir}/app.env 0644'],
    },
    { name: 'no host: nothing', body: 'provider: local\nservice: { port: 1 }\n', expected: [] },
  ];
  for (const c of CASES) {
    test(`compiles ${c.name}`, () => {
      assert.deepEqual(summary(manifest(c.body, c.file)), c.expected);
    });
  }

  test('generates a unit that reads the env file and runs the deploy entrypoint', () => {
    const unit = compile(manifest('provider: digitalocean\nservice: { host: lime, runtime: node, port: 8080 }\n'))?.resources[0]?.value['properties'] as Record<string, unknown>;
    assert.match(String(unit['content']), /^Description=app \(prod, node\)$/m);
    assert.match(String(unit['content']), /^EnvironmentFile=\$\{service_env_dir\}\/app\.env$/m);
    assert.match(String(unit['content']), /^ExecStart=\/srv\/app\/start$/m);
  });

  test('refuses a systemd_unit path the project does not have, at the manifest line', () => {
    assert.throws(
      () => compile(manifest('provider: digitalocean\nservice:\n  host: lime\n  systemd_unit: deploy/missing.service\n')),
      (error: unknown) => isRunestoneError(error) && error.code === 'RS_MANIFEST_E0005' && error.location?.line === 6 && error.location.column === 17,
    );
  });
});
