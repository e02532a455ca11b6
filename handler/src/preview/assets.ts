import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { previewScript } from './client.js';
import { previewStyles } from './styles.js';

/*
 * The files a preview page loads: our stylesheet and script, and the two
 * browser libraries for Teams cards (Microsoft's adaptivecards renderer and
 * markdown-it, which it uses for TextBlock Markdown). The libraries are read
 * from node_modules (devDependencies), found by walking up from this file, so
 * the same code works from source and from the bundled CLI in handler/dist.
 */

export interface PreviewFile {
  /** File name in the gallery directory. */
  name: string;
  kind: 'style' | 'script';
  text: string;
}

/** Browser libraries, in load order: markdown-it must be there before adaptivecards renders. */
const LIBRARIES = [
  { name: 'adaptivecards.css', kind: 'style', pkg: 'adaptivecards', path: 'dist/adaptivecards.css' },
  { name: 'markdown-it.min.js', kind: 'script', pkg: 'markdown-it', path: 'dist/browser/markdown-it.umd.min.js' },
  { name: 'adaptivecards.min.js', kind: 'script', pkg: 'adaptivecards', path: 'dist/adaptivecards.min.js' },
] as const;

/** The nearest `node_modules/<pkg>/<path>` above `from`, or null. */
export function findPackageFile(
  pkg: string,
  path: string,
  from = dirname(fileURLToPath(import.meta.url)),
): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', pkg, path);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Every file a preview page needs, in load order. Missing libraries are left
 * out (with `missing` naming them): the page then says the Teams card could
 * not be rendered instead of failing.
 */
export function previewFiles(from?: string): { files: PreviewFile[]; missing: string[] } {
  const files: PreviewFile[] = [];
  const missing: string[] = [];
  for (const lib of LIBRARIES) {
    const file = findPackageFile(lib.pkg, lib.path, from);
    if (file) files.push({ name: lib.name, kind: lib.kind, text: readFileSync(file, 'utf8') });
    else missing.push(`${lib.pkg}/${lib.path}`);
  }
  files.push({ name: 'preview.css', kind: 'style', text: previewStyles() });
  files.push({ name: 'preview.js', kind: 'script', text: previewScript() });
  return { files, missing };
}
