import type { DetailLevels } from './fit.js';
import type { Field, NormalisedFinding } from '../finding/model.js';
import { SEVERITY_BANDS } from '../finding/severity.js';
import type { Digest } from '../route/digest.js';
import { truncate } from '../text/clean.js';
import {
  accountLabel,
  actorFields,
  facetBudget,
  facetsWithin,
  findingCount,
  findingMarkers,
  nextStepLinks,
  noConsoleLinkText,
  overviewFields,
  readNotesText,
  severityLabel,
} from './facts.js';
import type { DetailBudget } from './types.js';

/*
 * The plain-text view of a finding or digest: the email's text part and the
 * SNS message body. Finding text is shown as-is (plain text needs no escaping).
 */

/** Detail levels for email and SNS, most detailed first. */
export const TEXT_DETAIL_LEVELS: DetailLevels<DetailBudget> = [
  { fields: 100, value: 2_000, description: 20_000 },
  { fields: 40, value: 500, description: 5_000 },
  { fields: 15, value: 200, description: 1_500 },
  { fields: 5, value: 100, description: 300 },
];

/** Wide enough for the longest normaliser label ("Availability zone:"); longer ones just get a space. */
const TEXT_LABEL_WIDTH = 18;

function textFact(label: string, value: string, max: number): string {
  return `${`${label}:`.padEnd(TEXT_LABEL_WIDTH)} ${truncate(value, max)}`;
}

function textSection(heading: string, fields: readonly Field[], budget: DetailBudget, alsoHidden = 0): string[] {
  if (fields.length === 0) return [];
  const shown = fields.slice(0, budget.fields).map((f) => `  ${textFact(f.label, f.value, budget.value)}`);
  const hidden = fields.length - shown.length + alsoHidden;
  return ['', heading.toUpperCase(), ...shown, ...(hidden > 0 ? [`  … ${hidden} more in the console`] : [])];
}

/** Indents every line so finding text cannot pass for one of our own lines. */
function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}

/**
 * The plain-text view of a finding: the email text part and the SNS message.
 * Finding text is shown as-is (plain text needs no escaping), one value per
 * line, with the description indented under its heading.
 *
 * @example renderFindingText(finding, TEXT_DETAIL_LEVELS[0])
 */
export function renderFindingText(finding: NormalisedFinding, budget: DetailBudget): string {
  const markers = findingMarkers(finding);
  const lines = [
    [severityLabel(finding), ...markers].join(' · '),
    truncate(finding.title, budget.value),
    '',
    ...overviewFields(finding).map((f) => textFact(f.label, f.value, budget.value)),
    ...textSection(`Resource · ${finding.resource.label}`, finding.resource.fields, budget),
    ...textSection(`Action · ${finding.action.label}`, finding.action.fields, budget),
    ...textSection('Actor', actorFields(finding), budget),
    ...facetsWithin(finding, facetBudget(budget)).flatMap((facet) =>
      textSection(facet.title, facet.fields, budget, facet.hidden),
    ),
  ];
  if (budget.description > 0 && finding.description.trim() !== '') {
    lines.push('', 'DESCRIPTION', ...indent(truncate(finding.description, budget.description)));
  }
  const notes = readNotesText(finding);
  if (notes) lines.push('', notes);
  const steps = nextStepLinks(finding);
  if (steps.length > 0) lines.push('', 'NEXT STEPS', ...steps.map((step) => `  ${step.label}: ${step.url}`));
  lines.push(
    '',
    finding.consoleUrl ? `Open in the GuardDuty console: ${finding.consoleUrl}` : noConsoleLinkText(finding),
    `Finding ID: ${finding.id}`,
    `Created ${finding.createdAt} · updated ${finding.updatedAt}`,
    '',
  );
  return lines.join('\n');
}

/**
 * The plain-text view of a digest: counts, top types, accounts, regions and
 * the most severe findings with their console links.
 *
 * @example renderDigestText(buildDigest(findings), TEXT_DETAIL_LEVELS[0])
 */
export function renderDigestText(digest: Digest, budget: DetailBudget): string {
  const lines = [
    `GuardDuty digest: ${findingCount(digest.total)}`,
    [...SEVERITY_BANDS]
      .reverse()
      .map((band) => `${band} ${digest.bySeverity[band] ?? 0}`)
      .join(' · '),
    '',
    'TOP FINDING TYPES',
    ...(digest.byType.length > 0
      ? digest.byType.map((t) => `  ${String(t.count).padStart(4)}  ${truncate(t.type, budget.value)}`)
      : ['  none']),
    '',
    textFact('Accounts', digest.accounts.join(', ') || 'none', budget.value),
    textFact('Regions', digest.regions.join(', ') || 'none', budget.value),
  ];
  if (digest.top.length > 0) {
    lines.push('', `MOST SEVERE (${digest.top.length} of ${digest.total})`);
    digest.top.forEach((f, i) => {
      lines.push(
        `${String(i + 1).padStart(2)}. ${[severityLabel(f), ...findingMarkers(f)].join(' · ')} · ${truncate(f.title, budget.value)}`,
        `    ${truncate(`${f.type.full} · ${accountLabel(f.account)} · ${f.region}`, budget.value)}`,
        `    ${f.consoleUrl ?? 'No console link for this partition.'}`,
      );
    });
  }
  lines.push(
    '',
    digest.consoleUrl
      ? `Open the findings list: ${digest.consoleUrl}`
      : "Findings span several regions or partitions: open each region's GuardDuty console.",
    '',
  );
  return lines.join('\n');
}
