import { appendFileSync } from 'node:fs';

/*
 * The fault suite's tally: one row per scenario, printed per test file at the
 * end (vitest shows console output) and, when GDN_CHAOS_TALLY names a file,
 * appended to it as JSON lines so `make chaos` can print the whole suite's
 * table (scripts/chaos/print-tally.ts).
 *
 * Units: `inputs` are SQS messages; `pairs` … `lost` are (finding, channel)
 * pairs the processor did not hold back by routing (its own
 * "suppressed by routing" decision, observed) — they must be delivered; `rejected` are inputs that are
 * not GuardDuty findings, dead-lettered with the reason; `late` are successes a
 * destination wrote after the sender had timed out (the at-least-once window
 * of any HTTP delivery, reported, not counted as duplicates).
 */

export interface TallyRow {
  file: string;
  scenario: string;
  expected: string;
  inputs: number;
  pairs: number;
  delivered: number;
  retried: number;
  deadLettered: number;
  rejected: number;
  duplicated: number;
  lost: number;
  late: number;
  invocations: number;
  ms: number;
  note?: string;
  /** Set for scenarios that demonstrate a known bug (their tests are `it.fails`). */
  knownBug?: string;
}

const rows: TallyRow[] = [];

export function recordTally(row: TallyRow): void {
  rows.push(row);
  const file = process.env.GDN_CHAOS_TALLY;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}

export function tallyRows(): readonly TallyRow[] {
  return rows;
}

const COLUMNS = [
  'inputs',
  'pairs',
  'delivered',
  'retried',
  'deadLettered',
  'rejected',
  'duplicated',
  'lost',
  'late',
] as const;
const HEADERS: Record<(typeof COLUMNS)[number], string> = {
  inputs: 'inputs',
  pairs: 'pairs',
  delivered: 'delivered',
  retried: 'retried',
  deadLettered: "DLQ'd",
  rejected: 'rejected',
  duplicated: 'dup',
  lost: 'lost',
  late: 'late',
};

function pad(value: string, width: number, right = false): string {
  return right ? value.padStart(width) : value.padEnd(width);
}

/** The tally as a fixed-width table with totals (known-bug scenarios totalled separately). */
export function formatTally(title: string, list: readonly TallyRow[]): string {
  const name = (r: TallyRow) => `${r.knownBug ? '[BUG] ' : ''}${r.scenario}`;
  const width = Math.min(72, Math.max(8, ...list.map((r) => name(r).length)));
  const head = `${pad('scenario', width)}  ${COLUMNS.map((c) => pad(HEADERS[c], 10, true)).join('')}  ${pad('ms', 6, true)}`;
  const line = (label: string, r: Pick<TallyRow, (typeof COLUMNS)[number]> & { ms?: number }) =>
    `${pad(label.length > width ? `${label.slice(0, width - 1)}…` : label, width)}  ${COLUMNS.map((c) => pad(String(r[c]), 10, true)).join('')}  ${pad(r.ms === undefined ? '' : String(r.ms), 6, true)}`;
  const sum = (subset: readonly TallyRow[]) => {
    const total = Object.fromEntries(COLUMNS.map((c) => [c, 0])) as Record<(typeof COLUMNS)[number], number> & {
      ms: number;
    };
    total.ms = 0;
    for (const r of subset) {
      for (const c of COLUMNS) total[c] += r[c];
      total.ms += r.ms;
    }
    return total;
  };
  const clean = list.filter((r) => !r.knownBug);
  const bugs = list.filter((r) => r.knownBug);
  const rule = '-'.repeat(head.length);
  const out = [
    ``,
    `${title}`,
    rule,
    head,
    rule,
    ...list.map((r) => line(name(r), r)),
    rule,
    line(`TOTAL (${clean.length} scenarios)`, sum(clean)),
  ];
  if (bugs.length > 0) out.push(line(`KNOWN BUGS (${bugs.length} scenarios, it.fails)`, sum(bugs)));
  out.push(rule);
  const notes = list.filter((r) => r.note || r.knownBug);
  for (const r of notes)
    out.push(`  ${r.scenario}: ${[r.note, r.knownBug ? `BUG: ${r.knownBug}` : null].filter(Boolean).join(' · ')}`);
  out.push('', 'Expected outcome per scenario:');
  for (const r of list) out.push(`  ${name(r)}: ${r.expected}`);
  return out.join('\n');
}

/** Prints this file's rows (call from afterAll). */
export function printTally(title: string): void {
  if (rows.length > 0) console.log(formatTally(title, rows));
}
