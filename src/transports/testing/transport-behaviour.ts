/* eslint-disable @typescript-eslint/no-floating-promises -- node:test awaits what describe() and it() return, as in *.test.ts files */
// The behaviour every transport keeps (transport.ts), as shared test cases: the local
// transport runs them against this machine, the SSH transport against a real sshd on
// loopback. Checks read the file system directly, so the target must be this machine.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AbortError, ProviderError } from '../../core/index.ts';
import type { Transport } from '../transport.ts';

/**
 * Registers the shared transport test cases under `label`.
 *
 * @param open Called once before the cases; returns the transport to test (its target must be this machine).
 */
export function describeTransportBehaviour(label: string, open: () => Promise<Transport>): void {
  describe(label, () => {
    describeCases(open);
  });
}

function describeCases(open: () => Promise<Transport>): void {
  let transport: Transport;
  let dir = '';

  before(async () => {
    transport = await open();
    dir = await mkdtemp(join(tmpdir(), 'runestone-transport-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('exec()', () => {
    it('streams stdout and stderr lines in order and captures them', async () => {
      const lines: string[] = [];
      const result = await transport.exec(
        { kind: 'shell', script: 'echo one; echo two >&2; printf "three"' },
        { onLine: (line, stream) => lines.push(`${stream}:${line}`) },
      );
      assert.equal(result.exitCode, 0);
      assert.deepEqual(lines.filter((l) => l.startsWith('stdout')), ['stdout:one', 'stdout:three']);
      assert.deepEqual(lines.filter((l) => l.startsWith('stderr')), ['stderr:two']);
      assert.equal(result.stdout, 'one\nthree\n');
      assert.equal(result.stderr, 'two\n');
    });

    it('runs argv without a shell, with env and cwd', async () => {
      const result = await transport.exec(
        { kind: 'argv', argv: ['/bin/sh', '-c', 'echo "$GREETING $(pwd)"', 'ignored $HOME'] },
        { env: { GREETING: 'hi' }, cwd: dir },
      );
      assert.equal(result.stdout.trim(), `hi ${dir}`);
    });

    it('passes argv entries through unexpanded', async () => {
      const result = await transport.exec({ kind: 'argv', argv: ['printf', '%s', '$HOME; echo no'] }, {});
      assert.equal(result.stdout, '$HOME; echo no\n');
    });

    it('returns a non-zero exit as a result, not an error', async () => {
      const result = await transport.exec({ kind: 'shell', script: 'exit 3' }, {});
      assert.equal(result.exitCode, 3);
    });

    it('rejects with RS_HOST_E0010 when the program does not exist', async () => {
      await assert.rejects(transport.exec({ kind: 'argv', argv: ['/nonexistent/runestone-nope'] }, {}), (error: unknown) => {
        assert.ok(error instanceof ProviderError);
        assert.equal(error.code, 'RS_HOST_E0010');
        return true;
      });
    });

    it('kills the whole process group on timeout with RS_HOST_E0009', async () => {
      const started = Date.now();
      await assert.rejects(transport.exec({ kind: 'shell', script: 'sleep 30; echo late' }, { timeoutMs: 50 }), (error: unknown) => {
        assert.ok(error instanceof ProviderError);
        assert.equal(error.code, 'RS_HOST_E0009');
        return true;
      });
      assert.ok(Date.now() - started < 10_000, 'the sleeping grandchild was killed too');
    });

    it('stops the command when the signal aborts and rejects with AbortError', async () => {
      const controller = new AbortController();
      await assert.rejects(
        transport.exec(
          { kind: 'shell', script: 'echo ready; sleep 30' },
          { signal: controller.signal, onLine: () => { controller.abort(); } },
        ),
        (error: unknown) => error instanceof AbortError && error.code === 'RS_HOST_E0012',
      );
    });

    it('refuses to start when the signal is already aborted', async () => {
      await assert.rejects(transport.exec({ kind: 'shell', script: 'true' }, { signal: AbortSignal.abort() }), AbortError);
    });
  });

  describe('file system', () => {
    it('writes atomically with the exact mode and leaves no temp file', async () => {
      const path = join(dir, 'atomic', 'deep', 'file.txt');
      await transport.writeFileAtomic(path, new TextEncoder().encode('hello\n'), { mode: 0o640 });
      await transport.writeFileAtomic(path, new TextEncoder().encode('again\n'), { mode: 0o600 });
      assert.equal(await readFile(path, 'utf8'), 'again\n');
      assert.equal((await stat(path)).mode & 0o7777, 0o600);
      assert.deepEqual(await readdir(join(dir, 'atomic', 'deep')), ['file.txt']);
    });

    it('writes, reads and hashes a file of many chunks intact', async () => {
      const path = join(dir, 'large.bin');
      const data = randomBytes(700 * 1024 + 17);
      await transport.writeFileAtomic(path, data, { mode: 0o644 });
      assert.ok(Buffer.from((await transport.readFile(path)) ?? []).equals(data));
      assert.equal(await transport.hashFile(path), createHash('sha256').update(data).digest('hex'));
    });

    it('removes the temp file when the rename fails', async () => {
      const target = join(dir, 'is-a-dir');
      await mkdir(join(target, 'child'), { recursive: true });
      await assert.rejects(transport.writeFileAtomic(target, new Uint8Array([1]), { mode: 0o644 }), ProviderError);
      assert.deepEqual(await readdir(dir).then((names) => names.filter((n) => n.includes('.runestone-'))), []);
    });

    it('reports stat types and returns undefined for missing paths', async () => {
      const file = join(dir, 'stat-file');
      await writeFile(file, 'abc');
      await symlink(file, join(dir, 'stat-link'));
      assert.deepEqual(await transport.stat(file), { type: 'file', mode: (await stat(file)).mode & 0o7777, size: 3 });
      assert.equal((await transport.stat(join(dir, 'stat-link')))?.type, 'symlink');
      assert.equal((await transport.stat(dir))?.type, 'directory');
      assert.equal(await transport.stat(join(dir, 'missing')), undefined);
      assert.equal(await transport.readFile(join(dir, 'missing')), undefined);
      assert.equal(await transport.hashFile(join(dir, 'missing')), undefined);
      assert.equal(await transport.readLink(join(dir, 'missing')), undefined);
      assert.equal(await transport.hashFile(file), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });

    it('makes directories with the exact mode and removes only empty ones', async () => {
      const path = join(dir, 'made', 'leaf');
      await transport.makeDirectory(path, { mode: 0o750 });
      assert.equal((await stat(path)).mode & 0o7777, 0o750);
      await writeFile(join(path, 'x'), '');
      await assert.rejects(transport.removeDirectory(path), (error: unknown) => error instanceof ProviderError && error.code === 'RS_HOST_E0013');
      await transport.removeFile(join(path, 'x'));
      await transport.removeDirectory(path);
      await transport.removeDirectory(path);
      assert.equal(await transport.stat(path), undefined);
    });

    it('replaces a file with a link atomically', async () => {
      const path = join(dir, 'link-over-file');
      await writeFile(path, 'plain');
      await transport.linkAtomic('/etc/hostname', path);
      assert.equal(await transport.readLink(path), '/etc/hostname');
      await transport.linkAtomic('elsewhere', path);
      assert.equal(await transport.readLink(path), 'elsewhere');
    });

    it('reports platform and user', async () => {
      const info = await transport.info();
      assert.equal(info.platform, process.platform);
      assert.ok(info.user.length > 0);
    });
  });
}
