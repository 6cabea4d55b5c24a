import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/** One file to put in a zip: its path inside the archive (`/`-separated) and bytes. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
  /** Keeps the executable bit (0755); otherwise the entry is 0644. */
  readonly executable?: boolean;
}

/** A deterministic zip and its base64 SHA-256, the form Lambda reports as `CodeSha256`. */
export interface ZipArchive {
  readonly bytes: Buffer;
  readonly sha256: string;
}

// 1980-01-01 00:00:00, the earliest DOS timestamp: every entry gets it, so mtimes never leak in.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
const VERSION = 20;
// "Made by" Unix (3), so the external attributes carry a Unix mode.
const MADE_BY_UNIX = (3 << 8) | VERSION;

/**
 * Writes a zip of `entries` that depends only on their names, bytes and executable bits:
 * entries sorted by name, fixed timestamps, fixed modes, deflate at a fixed level, no
 * extra fields. The same files always give the same bytes (and so the same Lambda
 * `CodeSha256`), whatever their mtimes or the order the file system lists them in.
 */
export function writeZip(entries: readonly ZipEntry[]): ZipArchive {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of sorted) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(DEFLATE, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE((((entry.executable === true ? 0o100755 : 0o100644) << 16) >>> 0), 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const bytes = Buffer.concat([...locals, directory, end]);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('base64') };
}

/**
 * Zips a file (as one entry named after it) or a directory (every file under it, by
 * relative path; symbolic links are followed) deterministically with {@link writeZip}.
 *
 * @throws the file system's error when `source` cannot be read
 */
export async function zipSource(source: string): Promise<ZipArchive> {
  const info = await stat(source);
  if (!info.isDirectory()) return writeZip([{ name: path.basename(source), data: await readFile(source), executable: (info.mode & 0o111) !== 0 }]);
  const entries: ZipEntry[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const full = path.join(dir, name);
      const child = await stat(full);
      if (child.isDirectory()) await walk(full, `${prefix}${name}/`);
      else entries.push({ name: `${prefix}${name}`, data: await readFile(full), executable: (child.mode & 0o111) !== 0 });
    }
  };
  await walk(source, '');
  return writeZip(entries);
}
