import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { writeZip, zipSource } from './deterministic-zip.ts';

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rs-zip-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeTree(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'lib'), { recursive: true });
  await writeFile(path.join(dir, 'index.js'), 'exports.handler = async () => "ok";\n');
  await writeFile(path.join(dir, 'lib', 'util.js'), 'module.exports = 1;\n');
  await writeFile(path.join(dir, 'run.sh'), '#!/bin/sh\n');
  await chmod(path.join(dir, 'run.sh'), 0o755);
}

test('zipSource() gives the same bytes twice for the same directory', async () => {
  await withDir(async (dir) => {
    await writeTree(dir);
    const first = await zipSource(dir);
    const second = await zipSource(dir);
    assert.deepEqual(first.bytes, second.bytes);
    assert.equal(first.sha256, second.sha256);
  });
});

test('zipSource() ignores modification times', async () => {
  await withDir(async (dir) => {
    await writeTree(dir);
    const before = await zipSource(dir);
    await utimes(path.join(dir, 'index.js'), new Date('2001-02-03T04:05:06Z'), new Date('2001-02-03T04:05:06Z'));
    await utimes(path.join(dir, 'lib', 'util.js'), new Date(), new Date('2030-01-01T00:00:00Z'));
    assert.deepEqual((await zipSource(dir)).bytes, before.bytes);
  });
});

test('zipSource() changes when a file changes', async () => {
  await withDir(async (dir) => {
    await writeTree(dir);
    const before = await zipSource(dir);
    await writeFile(path.join(dir, 'lib', 'util.js'), 'module.exports = 2;\n');
    assert.notEqual((await zipSource(dir)).sha256, before.sha256);
  });
});

test('writeZip() sorts entries, so input order does not matter', () => {
  const a = { name: 'a.txt', data: Buffer.from('A') };
  const b = { name: 'b/c.txt', data: Buffer.from('C') };
  assert.deepEqual(writeZip([b, a]).bytes, writeZip([a, b]).bytes);
});

test('writeZip() writes entries a zip reader can inflate', () => {
  const { bytes } = writeZip([{ name: 'hello.txt', data: Buffer.from('hello hello hello') }]);
  assert.equal(bytes.readUInt32LE(0), 0x04034b50);
  const nameLength = bytes.readUInt16LE(26);
  const size = bytes.readUInt32LE(18);
  const start = 30 + nameLength;
  assert.equal(bytes.subarray(30, start).toString(), 'hello.txt');
  assert.equal(inflateRawSync(bytes.subarray(start, start + size)).toString(), 'hello hello hello');
});

test('zipSource() output is a valid archive for Python zipfile', async () => {
  await withDir(async (dir) => {
    const src = path.join(dir, 'src');
    await mkdir(src);
    await writeTree(src);
    const zip = path.join(dir, 'out.zip');
    await writeFile(zip, (await zipSource(src)).bytes);
    const listing = await new Promise<string>((resolve, reject) => {
      execFile('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(f"{i.filename} {i.external_attr >> 16:o}" for i in z.infolist()))', zip], (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else reject(new Error(stderr));
      });
    });
    assert.deepEqual(listing.trim().split('\n'), ['index.js 100644', 'lib/util.js 100644', 'run.sh 100755']);
  });
});
