import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailPayloadSchema } from '../../src/channels/email.js';
import { GoogleChatPayloadSchema } from '../../src/channels/googleChat.js';
import { PD_MAX_BYTES, PD_SUMMARY_MAX } from '../../src/channels/pagerduty.js';
import { SlackPayloadSchema } from '../../src/channels/slack.js';
import { SnsPayloadSchema } from '../../src/channels/sns.js';
import { TEAMS_MAX_BYTES } from '../../src/channels/teams.js';
import { main } from '../../src/cli/main.js';
import { strings } from '../chaos/corpus.js';
import { HUGE_STRING_LENGTH, MUTATION_KINDS, mutants } from './mutate.js';

/*
 * The corpus check (issues 15 and 16): every public GuardDuty finding in
 * fixtures/corpus and a few thousand mutants of them, rendered on all seven
 * channels exactly as `guardduty-notify render --channel <type> <file>` does.
 * Nothing may be refused (each file and mutant is a GuardDuty finding), nothing
 * may crash, every payload stays within its channel's limits, and the facts
 * the manifest names for each real finding appear in every channel's payload.
 */

// --- The one call into the product: the CLI's render path ----------------------

type Rendered = { ok: true; payload: unknown } | { ok: false; refused: string } | { ok: false; crashed: string };

/** Renders one event file for one channel type through `guardduty-notify render`. */
function renderLikeTheCli(file: string, channel: ChannelType): Rendered {
  const out: string[] = [];
  const err: string[] = [];
  // main() writes to process.stdout/stderr-like streams; it only ever calls write().
  const sink = <Stream>(chunks: string[]) =>
    ({
      write: (s: string) => {
        chunks.push(s);
        return true;
      },
    }) as unknown as Stream;
  try {
    const code = main(
      ['render', '--channel', channel, file],
      sink<Parameters<typeof main>[1]>(out),
      sink<Parameters<typeof main>[2]>(err),
    );
    return code === 0 ? { ok: true, payload: JSON.parse(out.join('')) } : { ok: false, refused: err.join('').trim() };
  } catch (error) {
    return { ok: false, crashed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

// --- Corpus and manifest ---------------------------------------------------------

const CHANNELS = ['slack', 'teams', 'googleChat', 'email', 'sns', 'pagerduty', 'webhook'] as const;
type ChannelType = (typeof CHANNELS)[number];

const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');
const SEED = 20261129;
const MUTANTS_PER_KIND = 5;

interface FindingEntry {
  file: string;
  type: string;
  repository: string;
  path: string;
  commit: string;
  changes: string;
  facts: string[];
}
interface SignalEntry {
  file: string;
  'detail-type': string;
  kind: string;
  changes: string;
  repository?: string;
  assembled_from?: string[];
}
const manifest = JSON.parse(readFileSync(join(CORPUS_DIR, 'MANIFEST.json'), 'utf8')) as {
  findings: FindingEntry[];
  signals: SignalEntry[];
};
const filesIn = (sub: string) =>
  readdirSync(join(CORPUS_DIR, sub))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${sub}/${f}`)
    .sort();
const readEvent = (file: string) => JSON.parse(readFileSync(join(CORPUS_DIR, file), 'utf8')) as Record<string, unknown>;

// --- Checks on one payload ---------------------------------------------------------

/** The channel's own limits, as the fault suite asserts them (chaos/hostile.test.ts). */
function limitProblems(channel: ChannelType, payload: unknown): string[] {
  const problems: string[] = [];
  const schemaProblem = (name: string, result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
    result.success ? [] : [`${name}: ${result.error?.issues[0]?.message}`];
  switch (channel) {
    case 'slack':
      problems.push(...schemaProblem('outside Block Kit limits', SlackPayloadSchema.safeParse(payload)));
      break;
    case 'googleChat':
      problems.push(...schemaProblem('outside Chat limits', GoogleChatPayloadSchema.safeParse(payload)));
      break;
    case 'teams': {
      const bytes = Buffer.byteLength(JSON.stringify(payload), 'utf8');
      if (bytes > TEAMS_MAX_BYTES) problems.push(`${bytes} bytes > ${TEAMS_MAX_BYTES}`);
      break;
    }
    case 'email': {
      problems.push(...schemaProblem('email', EmailPayloadSchema.safeParse(payload)));
      if (/[\r\n]/.test((payload as { subject: string }).subject)) problems.push('subject has CR/LF');
      break;
    }
    case 'sns': {
      problems.push(...schemaProblem('sns', SnsPayloadSchema.safeParse(payload)));
      const subject = (payload as { Subject: string }).Subject;
      if (!/^[\x20-\x7E]{1,99}$/.test(subject))
        problems.push(`subject not 1-99 printable ASCII: ${JSON.stringify(subject)}`);
      break;
    }
    case 'pagerduty': {
      const p = payload as { event_action: string; payload?: { summary: string } };
      if (Buffer.byteLength(JSON.stringify(payload), 'utf8') > PD_MAX_BYTES) problems.push('over PD_MAX_BYTES');
      if (p.event_action === 'trigger' && (p.payload?.summary.length ?? 0) > PD_SUMMARY_MAX)
        problems.push(`summary ${p.payload?.summary.length} characters`);
      break;
    }
    case 'webhook': {
      try {
        JSON.parse((payload as { body: string }).body);
      } catch {
        problems.push('body is not JSON');
      }
      break;
    }
  }
  return problems;
}

/** All text a payload carries, with the markup channels add to escape text undone. */
function payloadText(channel: ChannelType, payload: unknown): string {
  // The webhook body and the SNS message are JSON inside JSON: read the facts as subscribers get them.
  const source =
    channel === 'webhook'
      ? JSON.parse((payload as { body: string }).body)
      : channel === 'sns'
        ? { ...(payload as object), Message: JSON.parse((payload as { Message: string }).Message) }
        : payload;
  const raw = strings(source)
    .map((s) => s.value)
    .join('\n');
  const entities = raw
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
    .replace(/&#x0*2F;/gi, '/')
    .replace(/&amp;/g, '&');
  const markdown = entities.replace(/\\([\\`*_{}[\]()#+\-.!<>|~&/])/g, '$1');
  return `${raw}\n${entities}\n${markdown}`;
}

// --- The run ---------------------------------------------------------------------

interface Outcome {
  files: number;
  events: number;
  payloads: number;
  refused: Array<{ event: string; reason: string }>;
  crashes: Array<{ event: string; channel: ChannelType; error: string }>;
  limits: Array<{ event: string; channel: ChannelType; problem: string }>;
  factsChecked: number;
  missingFacts: Array<{ file: string; fact: string; channels: ChannelType[] }>;
}

let workDir = '';
let outcome: Outcome;

function run(): Outcome {
  workDir = mkdtempSync(join(tmpdir(), 'gdn-corpus-'));
  const result: Outcome = {
    files: 0,
    events: 0,
    payloads: 0,
    refused: [],
    crashes: [],
    limits: [],
    factsChecked: 0,
    missingFacts: [],
  };
  const renderAll = (label: string, path: string, facts: string[], entryFile?: string) => {
    result.events++;
    const missing = new Map<string, ChannelType[]>();
    let refusedReason: string | null = null;
    for (const channel of CHANNELS) {
      const rendered = renderLikeTheCli(path, channel);
      if ('refused' in rendered) {
        refusedReason ??= rendered.refused;
        continue;
      }
      if ('crashed' in rendered) {
        result.crashes.push({ event: label, channel, error: rendered.crashed });
        continue;
      }
      result.payloads++;
      for (const problem of limitProblems(channel, rendered.payload))
        result.limits.push({ event: label, channel, problem });
      if (facts.length === 0) continue;
      // An archived finding resolves its PagerDuty incident: a resolve event carries only the
      // dedup key (Events API v2), so the facts live on the trigger that opened the incident.
      if (channel === 'pagerduty' && (rendered.payload as { event_action: string }).event_action === 'resolve')
        continue;
      const text = payloadText(channel, rendered.payload);
      for (const fact of facts) {
        result.factsChecked++;
        if (!text.includes(fact)) missing.set(fact, [...(missing.get(fact) ?? []), channel]);
      }
    }
    if (refusedReason !== null) {
      result.refused.push({ event: label, reason: refusedReason });
      // A refused finding shows none of its facts anywhere.
      for (const fact of facts) missing.set(fact, [...CHANNELS]);
    }
    for (const [fact, channels] of missing) result.missingFacts.push({ file: entryFile ?? label, fact, channels });
  };

  manifest.findings.forEach((entry, index) => {
    result.files++;
    const path = join(CORPUS_DIR, entry.file);
    renderAll(entry.file, path, entry.facts, entry.file);
    for (const [n, mutant] of mutants(readEvent(entry.file), SEED + index, MUTANTS_PER_KIND).entries()) {
      const mutantPath = join(workDir, `${index}-${n}.json`);
      writeFileSync(mutantPath, JSON.stringify(mutant.event));
      renderAll(`${entry.file} · ${mutant.name}`, mutantPath, []);
    }
  });
  return result;
}

beforeAll(() => {
  outcome = run();
  console.log(
    `corpus: ${outcome.files} files, ${outcome.payloads} payloads, ${outcome.refused.length} refused, ${outcome.crashes.length} crashes, ${outcome.factsChecked} facts checked`,
  );
  // The full lists (refusals with reasons, missing facts per channel) for whoever fixes them.
  if (process.env.GDN_CORPUS_REPORT) writeFileSync(process.env.GDN_CORPUS_REPORT, JSON.stringify(outcome, null, 2));
}, 600_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the corpus itself', () => {
  it('has a manifest entry with its source for every file, and a file for every entry', () => {
    const listed = [...manifest.findings.map((e) => e.file), ...manifest.signals.map((e) => e.file)].sort();
    expect(listed).toEqual([...filesIn('findings'), ...filesIn('signals')].sort());
    for (const e of manifest.findings) {
      expect(e.repository && e.path && e.commit && e.changes, e.file).toBeTruthy();
      expect(e.commit, e.file).toMatch(/^[0-9a-f]{40}$/);
      expect(e.facts.length, e.file).toBeGreaterThanOrEqual(2);
    }
    for (const e of manifest.signals)
      expect(e.changes && (e.repository || e.assembled_from?.length), e.file).toBeTruthy();
  });

  it('spans at least 40 real finding types (test-only types from other projects not counted)', () => {
    const real = new Set(manifest.findings.map((e) => e.type).filter((t) => !/^(Test|Malformed|Critical):/.test(t)));
    expect(real.size).toBeGreaterThanOrEqual(40);
  });

  it('holds each finding file as a GuardDuty Finding event whose facts are in its JSON', () => {
    for (const e of manifest.findings) {
      const event = readEvent(e.file);
      expect([event.source, event['detail-type']], e.file).toEqual(['aws.guardduty', 'GuardDuty Finding']);
      const json = JSON.stringify(event);
      for (const fact of e.facts)
        expect(json.includes(JSON.stringify(fact).slice(1, -1)), `${e.file}: ${fact}`).toBe(true);
    }
  });

  it('holds the other GuardDuty signals as EventBridge events from aws.guardduty', () => {
    const detailTypes = new Set<string>();
    for (const e of manifest.signals) {
      const event = readEvent(e.file);
      expect(event.source, e.file).toBe('aws.guardduty');
      expect(event['detail-type'], e.file).toBe(e['detail-type']);
      detailTypes.add(e['detail-type']);
      if (e['detail-type'] === 'AWS API Call via CloudTrail')
        expect((event.detail as { eventSource: string }).eventSource, e.file).toBe('guardduty.amazonaws.com');
    }
    expect([...detailTypes].sort()).toEqual([
      'AWS API Call via CloudTrail',
      'GuardDuty Malware Protection Object Scan Result',
      'GuardDuty Malware Protection Post Scan Action Failed',
      'GuardDuty Malware Protection Resource Status Error',
      'GuardDuty Malware Protection Resource Status Warning',
      'GuardDuty Runtime Protection Healthy',
      'GuardDuty Runtime Protection Unhealthy',
    ]);
  });
});

describe('the mutant generator', () => {
  const event = readEvent(manifest.findings[0]!.file);

  it('is deterministic for a seed and differs between seeds', () => {
    expect(mutants(event, 7).map((m) => m.name)).toEqual(mutants(event, 7).map((m) => m.name));
    expect(JSON.stringify(mutants(event, 7))).toEqual(JSON.stringify(mutants(event, 7)));
    expect(mutants(event, 7).map((m) => m.name)).not.toEqual(mutants(event, 8).map((m) => m.name));
  });

  it('makes every kind, changes the event, and keeps what makes it a finding', () => {
    const all = mutants(event, 7, 3);
    expect(new Set(all.map((m) => m.kind))).toEqual(new Set(MUTATION_KINDS));
    const original = JSON.stringify(event);
    for (const m of all) {
      expect(JSON.stringify(m.event), m.name).not.toEqual(original);
      const detail = m.event.detail as Record<string, unknown>;
      expect([detail.id, detail.type, m.event.source], m.name).toEqual([
        (event.detail as Record<string, unknown>).id,
        (event.detail as Record<string, unknown>).type,
        'aws.guardduty',
      ]);
    }
    const huge = all.find((m) => m.kind === 'huge-string')!;
    expect(strings(huge.event).some((s) => s.value.length === HUGE_STRING_LENGTH)).toBe(true);
  });

  it('stays bounded: a few thousand payloads for the whole corpus', () => {
    expect(outcome.events).toBeGreaterThan(manifest.findings.length * 10);
    expect(outcome.events * CHANNELS.length).toBeLessThan(15_000);
  });
});

describe('every corpus finding and mutant, rendered on all seven channels like `guardduty-notify render`', () => {
  it('refuses none of them (each is a GuardDuty finding)', () => {
    expect(outcome.refused).toEqual([]);
  });

  it('crashes on none of them', () => {
    expect(outcome.crashes).toEqual([]);
  });

  it("keeps every payload within its channel's limits", () => {
    expect(outcome.limits).toEqual([]);
  });

  it('shows every fact the manifest names for each real finding, on every channel', () => {
    expect(outcome.factsChecked).toBeGreaterThan(0);
    expect(outcome.missingFacts).toEqual([]);
  });
});
