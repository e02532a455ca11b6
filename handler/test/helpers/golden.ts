import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden');

/**
 * Compares a rendered payload with its golden file `handler/test/golden/<path>`.
 * Strings are stored as-is (for .txt/.html), anything else as pretty JSON.
 * Run with UPDATE_GOLDEN=1 to (re)write goldens; review the diff before committing.
 * A missing golden fails the test unless UPDATE_GOLDEN=1.
 */
export function expectGolden(path: string, actual: unknown): void {
  const file = join(GOLDEN_DIR, path);
  const serialised = typeof actual === 'string' ? actual : `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, serialised);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file missing: ${path} (run with UPDATE_GOLDEN=1 to create it)`);
  expect(serialised, `golden ${path}`).toBe(readFileSync(file, 'utf8'));
}
