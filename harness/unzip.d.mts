export interface ZipEntry {
  /** The path inside the zip; a directory's ends in "/". */
  name: string;
  /** The uncompressed bytes (none for a directory). */
  data: Buffer;
  /** The entry's size inside the zip. */
  compressedBytes: number;
  /** 0 stored, 8 deflated. */
  method: number;
}

/** A zip's entries (stored or deflated), in central directory order. */
export declare function readZip(zip: Buffer): ZipEntry[];

/**
 * Writes a zip's entries under `dir`, creating directories as needed, and
 * refuses an entry that would land outside it. Returns the entries.
 *
 * @example extractZip(readFileSync('handler/dist/lambda.zip'), mkdtempSync(join(tmpdir(), 'gdn-')))
 */
export declare function extractZip(zip: Buffer, dir: string): ZipEntry[];
