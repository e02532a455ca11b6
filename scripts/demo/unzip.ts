import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/**
 * Extracts a zip (stored or deflated entries, as Lambda accepts) into `dir`,
 * refusing entries that would land outside it. Returns the entry names.
 *
 * @example unzipTo('handler/dist/lambda.zip', mkdtempSync(join(tmpdir(), 'gdn-')))
 */
export function unzipTo(zipPath: string, dir: string): string[] {
  const zip = readFileSync(zipPath);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${zipPath}: not a zip (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${zipPath}: bad central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + compressed);
    const data = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : null;
    if (!data) throw new Error(`${zipPath}: ${name} uses compression method ${method}`);
    const target = normalize(join(dir, name));
    if (!target.startsWith(normalize(dir) + sep)) throw new Error(`${zipPath}: entry ${name} escapes the target directory`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    names.push(name);
  }
  return names;
}
