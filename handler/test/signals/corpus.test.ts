import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SignalSchema } from '../../src/signals/model.js';
import { parseSignal } from '../../src/signals/parse.js';
import { pagerDutyIntents, signalPlainText } from '../../src/signals/text.js';
import { CORPUS_SIGNALS, corpusSignalFiles } from './fixtures.js';

/*
 * The shared corpus of documented signal events (fixtures/corpus/signals,
 * collected on another branch): every one parses into a valid signal of the
 * kind its file name says, read calls are never reported, and the rest are.
 * Skipped until the corpus is present.
 */

const files = corpusSignalFiles();

function expectedKind(file: string): string {
  if (file.startsWith('cloudtrail-')) return 'activity';
  if (file.startsWith('scan-result-')) return 'scan';
  if (file.startsWith('runtime-protection-') || file.startsWith('malware-')) return 'coverage';
  return 'unknown';
}

describe.skipIf(files.length === 0)('the shared signal corpus', () => {
  it.each(files)('%s', (file) => {
    const parsed = parseSignal(JSON.parse(readFileSync(join(CORPUS_SIGNALS, file), 'utf8')));
    if (!parsed.ok) throw new Error(parsed.reason);
    const signal = SignalSchema.parse(parsed.signal);
    expect(signal.kind).toBe(expectedKind(file));
    const readOnly = /^cloudtrail-(get|list|describe)/.test(file);
    expect(signal.delivery === 'ignore').toBe(readOnly);
    if (signal.kind === 'activity' && !readOnly) expect(signal.activity.category).not.toBe('ignored');
    expect(() => signalPlainText(signal)).not.toThrow();
    expect(() => pagerDutyIntents(signal)).not.toThrow();
  });
});
