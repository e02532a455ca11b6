// Node has no zip reader, and the harnesses should not need an `unzip`
// binary. This reads what scripts/zip.mjs writes (handler/dist/lambda.zip,
// stored entries) and deflated entries from other tools; no zip64.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * @param {Buffer} zip
 * @returns {import('./unzip.d.mts').ZipEntry[]}
 */
export function readZip(zip) {
  // The end record is the last 22 bytes, or sits before an archive comment.
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end -= 1;
  if (end < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`bad central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const compressedBytes = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    // The local header has its own name and extra field lengths, which may differ from the central directory's.
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedBytes);
    const data = method === STORED ? Buffer.from(raw) : method === DEFLATED ? inflateRawSync(raw) : undefined;
    if (!data) throw new Error(`zip entry ${name}: unsupported compression method ${method}`);
    entries.push({ name, data, compressedBytes, method });
  }
  return entries;
}

/**
 * @param {Buffer} zip
 * @param {string} dir
 * @returns {import('./unzip.d.mts').ZipEntry[]}
 */
export function extractZip(zip, dir) {
  const root = resolve(dir);
  const entries = readZip(zip);
  for (const { name, data } of entries) {
    const target = resolve(root, name);
    if (!target.startsWith(root + sep)) throw new Error(`zip entry ${name} would land outside ${dir}`);
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
    } else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
  }
  return entries;
}
