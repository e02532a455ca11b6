import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** One signal fixture event, e.g. `signalEvent('activity/delete-detector')`. */
export function signalEvent(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, 'signals', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** Names of the fixtures in one folder of `fixtures/signals`, e.g. `signalNames('scan')` → ['scan/failed', …]. */
export function signalNames(folder: string): string[] {
  return readdirSync(join(FIXTURES, 'signals', folder))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${folder}/${f.slice(0, -'.json'.length)}`)
    .sort();
}

/** The shared corpus of documented signal events (another branch collects it), when present. */
export const CORPUS_SIGNALS = join(FIXTURES, 'corpus', 'signals');

export function corpusSignalFiles(): string[] {
  return existsSync(CORPUS_SIGNALS)
    ? readdirSync(CORPUS_SIGNALS)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
}

/** A copy of an event with `detail` changed by `edit`. */
export function withDetail(
  event: Record<string, unknown>,
  edit: (detail: Record<string, unknown>) => void,
): Record<string, unknown> {
  const copy = structuredClone(event);
  edit(copy.detail as Record<string, unknown>);
  return copy;
}
