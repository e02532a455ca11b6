// Prints the fault suite's whole-suite tally from the JSON lines the chaos test
// files append to $GDN_CHAOS_TALLY (see scripts/chaos/tally.ts).
// Usage: npx tsx scripts/chaos/print-tally.ts <file>
import { existsSync, readFileSync } from 'node:fs';
import { formatTally, type TallyRow } from './tally.js';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.error(`no tally at ${file ?? '(no file given)'}: did the chaos suite run?`);
  process.exit(1);
}
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as TallyRow)
  .sort((a, b) => a.file.localeCompare(b.file));
console.log(formatTally(`Fault suite · whole-suite tally (${rows.length} scenarios)`, rows));
const clean = rows.filter((r) => !r.knownBug);
const lost = clean.reduce((n, r) => n + r.lost, 0);
const duplicated = clean.reduce((n, r) => n + r.duplicated, 0);
console.log(`\nduplicated: ${duplicated}, lost: ${lost} (scenarios not marked as known bugs)`);

// The interaction endpoint's hostile-request run writes its own line beside the tally.
if (existsSync(`${file}.interactions`)) process.stdout.write(readFileSync(`${file}.interactions`, 'utf8'));
