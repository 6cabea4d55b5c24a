import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProviderError } from '../../core/errors.ts';
import { loadConnection } from './config.ts';

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster: { server: "https://127.0.0.1:6443/", certificate-authority-data: ${Buffer.from('CA PEM').toString('base64')} }
- name: prod
  cluster: { server: https://127.0.0.2, certificate-authority: ca.crt, insecure-skip-tls-verify: false }
users:
- name: dev
  user: { token: dev-token }
- name: prod
  user: { tokenFile: token.txt }
contexts:
- name: dev
  context: { cluster: dev, user: dev }
- name: prod
  context: { cluster: prod, user: prod, namespace: shop }
`;

describe('loadConnection()', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rs-kubeconfig-'));
    file = path.join(dir, 'config');
    await writeFile(file, KUBECONFIG);
    await writeFile(path.join(dir, 'ca.crt'), 'PROD CA');
    await writeFile(path.join(dir, 'token.txt'), 'prod-token\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the current context from KUBECONFIG by default', async () => {
    const c = await loadConnection({}, { KUBECONFIG: `${file}${path.delimiter}/nowhere` });
    assert.equal(c.server, 'https://127.0.0.1:6443');
    assert.equal(c.token, 'dev-token');
    assert.equal(String(c.ca), 'CA PEM');
    assert.equal(c.namespace, 'default');
  });

  it('takes the context, files relative to the kubeconfig and the namespace from config', async () => {
    const c = await loadConnection({ kubeconfig: file, context: 'prod' }, {});
    assert.equal(c.server, 'https://127.0.0.2');
    assert.equal(c.token, 'prod-token');
    assert.equal(String(c.ca), 'PROD CA');
    assert.equal(c.namespace, 'shop');
    assert.equal((await loadConnection({ kubeconfig: file, context: 'prod', namespace: 'other' }, {})).namespace, 'other');
  });

  it('fails with RS_KUBE_E0008 for a missing file or context', async () => {
    await assert.rejects(loadConnection({ kubeconfig: path.join(dir, 'missing') }, {}), (e: unknown) => e instanceof ProviderError && e.code === 'RS_KUBE_E0008');
    await assert.rejects(loadConnection({ kubeconfig: file, context: 'qa' }, {}), (e: unknown) => e instanceof ProviderError && e.code === 'RS_KUBE_E0008' && /no context named "qa"/.test(e.message));
  });
});
