import * as z from 'zod/mini';
import type { Field, NormalisedFinding } from '../finding/model.js';
import { SEVERITY_BANDS, type SeverityBand } from '../finding/severity.js';
import { postWithRetry } from '../deliver/http.js';
import type { Digest } from '../route/digest.js';
import { markdownLine, markdownParagraphs } from '../text/markdown.js';
import { truncate } from '../text/clean.js';
import type { NextStep } from '../finding/nextSteps.js';
import {
  accountLabel,
  actorFields,
  actorText,
  digestTopBand,
  facetBudget,
  findingCount,
  nextStepLinks,
  noConsoleLinkText,
  readNotesText,
  severityLabel,
  targetText,
  kindLabel,
} from './facts.js';
import { fitWithin, jsonBytes, type DetailLevels } from './fit.js';
import { teamsSettings, TeamsChannelSchema, type TeamsChannel } from './settings/teams.js';
import { defineChannel } from './types.js';

/** The settings (config schema and defaults) live in `settings/teams.ts`, loaded at cold start. */
export { TeamsChannelSchema, type TeamsChannel };

/*
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is
 * received" → "Post card in a chat or channel"). Office 365 connector webhooks
 * are retired and Workflows accept Adaptive Cards only, wrapped in a Bot
 * Framework style `message` with one attachment.
 */

/** Adaptive Card schema version: Teams renders up to 1.5; 1.4 covers every element used here on desktop, web and mobile. */
export const TEAMS_CARD_VERSION = '1.4' as const;
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json' as const;
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive' as const;

/**
 * Largest serialised payload we send, in UTF-8 bytes. Teams rejects messages
 * over ~28 KB ("Request Entity too large"); the budget leaves room for what the
 * Workflow adds around the card and for services that count more than bytes.
 */
export const TEAMS_MAX_BYTES = 24_000;

const TextBlockSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('TextBlock'),
    text: z.string(),
    wrap: z.literal(true),
    size: z.optional(z.enum(['Small', 'Medium', 'Large'])),
    weight: z.optional(z.literal('Bolder')),
    color: z.optional(z.enum(['Attention', 'Warning', 'Accent', 'Good'])),
    isSubtle: z.optional(z.literal(true)),
    spacing: z.optional(z.enum(['None', 'Small', 'Medium'])),
    separator: z.optional(z.literal(true)),
  }),
);
const FactSetSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('FactSet'),
    facts: z.array(z.strictObject({ title: z.string(), value: z.string() })),
  }),
);
const OpenUrlActionSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('Action.OpenUrl'),
    title: z.string(),
    url: z.url(),
  }),
);
const ActionSetSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('ActionSet'),
    actions: z.array(OpenUrlActionSchema),
  }),
);
const ContainerStyleSchema = z.enum(['attention', 'warning', 'emphasis', 'accent']);
/** Elements a container holds: the leaf kinds (the cards nest one level only). */
const ContainerItemSchema = z.lazy(() =>
  z.discriminatedUnion('type', [TextBlockSchema, FactSetSchema, ActionSetSchema]),
);
const ContainerSchema = z.lazy(() =>
  z.strictObject({
    type: z.literal('Container'),
    style: z.optional(ContainerStyleSchema),
    bleed: z.optional(z.literal(true)),
    separator: z.optional(z.literal(true)),
    items: z.array(ContainerItemSchema),
  }),
);
const CardElementSchema = z.lazy(() =>
  z.discriminatedUnion('type', [TextBlockSchema, FactSetSchema, ContainerSchema, ActionSetSchema]),
);

/** An Adaptive Card as Teams renders it (the subset of elements and properties these cards use). */
export const AdaptiveCardSchema = z.lazy(() =>
  z.strictObject({
    $schema: z.literal(ADAPTIVE_CARD_SCHEMA),
    type: z.literal('AdaptiveCard'),
    version: z.literal(TEAMS_CARD_VERSION),
    body: z.array(CardElementSchema),
    actions: z.array(OpenUrlActionSchema),
    msteams: z.strictObject({ width: z.literal('Full') }),
  }),
);

/** The JSON body posted to a Teams Workflows webhook, within {@link TEAMS_MAX_BYTES}. */
export const TeamsPayloadSchema = z.lazy(() =>
  z
    .strictObject({
      type: z.literal('message'),
      attachments: z.tuple([
        z.strictObject({
          contentType: z.literal(ADAPTIVE_CARD_CONTENT_TYPE),
          contentUrl: z.null(),
          content: AdaptiveCardSchema,
        }),
      ]),
    })
    .check(z.refine((p) => jsonBytes(p) <= TEAMS_MAX_BYTES, { error: `over ${TEAMS_MAX_BYTES} bytes` })),
);

export type TextBlock = z.infer<typeof TextBlockSchema>;
export type FactSet = z.infer<typeof FactSetSchema>;
export type OpenUrlAction = z.infer<typeof OpenUrlActionSchema>;
export type ActionSet = z.infer<typeof ActionSetSchema>;
export type Container = z.infer<typeof ContainerSchema>;
export type CardElement = z.infer<typeof CardElementSchema>;
type ContainerItem = z.infer<typeof ContainerItemSchema>;
type ContainerStyle = z.infer<typeof ContainerStyleSchema>;
export type AdaptiveCard = z.infer<typeof AdaptiveCardSchema>;
export type TeamsPayload = z.infer<typeof TeamsPayloadSchema>;

/**
 * Adaptive Cards take named colours, not hex: the band's container style and
 * text colour, plus a coloured marker matching BAND_COLOUR's hue so the four
 * bands stay distinct in every theme.
 */
const BAND_LOOK: Record<
  SeverityBand,
  { style: ContainerStyle; color: NonNullable<TextBlock['color']>; marker: string }
> = {
  CRITICAL: { style: 'attention', color: 'Attention', marker: '🔴' },
  HIGH: { style: 'warning', color: 'Warning', marker: '🟠' },
  MEDIUM: { style: 'emphasis', color: 'Warning', marker: '🟡' },
  LOW: { style: 'accent', color: 'Accent', marker: '🔵' },
};

/** How much of each attacker-sized part a card may show; tried from roomiest to tightest. */
interface Budget {
  title: number;
  line: number;
  description: number;
  factValue: number;
  facts: number;
  top: number;
}
const BUDGETS: DetailLevels<Budget> = [
  { title: 500, line: 500, description: 2_000, factValue: 1_000, facts: 40, top: 5 },
  { title: 300, line: 300, description: 1_000, factValue: 300, facts: 25, top: 5 },
  { title: 200, line: 200, description: 500, factValue: 150, facts: 15, top: 3 },
  { title: 120, line: 120, description: 200, factValue: 80, facts: 8, top: 2 },
  { title: 80, line: 80, description: 100, factValue: 40, facts: 4, top: 1 },
];

/** Serialised size of a payload in UTF-8 bytes, exactly as {@link teamsChannel}.send posts it. */
export function teamsPayloadBytes(payload: TeamsPayload): number {
  return jsonBytes(payload);
}

/** Wraps a card in the `message` envelope a Workflows webhook expects. */
export function teamsMessage(card: AdaptiveCard): TeamsPayload {
  return {
    type: 'message',
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: card }],
  };
}

/**
 * Builds the card with the roomiest budget whose payload fits
 * {@link TEAMS_MAX_BYTES}; if even the tightest does not fit (it always does
 * for normalised findings, whose fields are length-capped), sends `fallback`.
 */
function fitCard(build: (budget: Budget) => AdaptiveCard, fallback: () => AdaptiveCard): TeamsPayload {
  return fitWithin(
    BUDGETS,
    (budget) => teamsMessage(build(budget)),
    { size: teamsPayloadBytes, limit: TEAMS_MAX_BYTES },
    () => teamsMessage(fallback()),
  );
}

function card(
  body: CardElement[],
  url: string | null,
  urlTitle: string,
  nextSteps: readonly NextStep[] = [],
): AdaptiveCard {
  // The console first, then the next steps (fixed documentation URLs only, see nextStepLinks).
  const actions: OpenUrlAction[] = [
    ...(url ? [{ type: 'Action.OpenUrl' as const, title: urlTitle, url }] : []),
    ...nextSteps.map((step) => ({ type: 'Action.OpenUrl' as const, title: step.label, url: step.url })),
  ];
  return {
    $schema: ADAPTIVE_CARD_SCHEMA,
    type: 'AdaptiveCard',
    version: TEAMS_CARD_VERSION,
    body,
    actions,
    msteams: { width: 'Full' },
  };
}

function text(value: string, options: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...options };
}

/** Escaped, truncated facts; beyond `budget.facts` one last fact says how many were left out. */
function factSet(fields: readonly Field[], budget: Budget): FactSet {
  const shown = fields.length > budget.facts ? fields.slice(0, budget.facts - 1) : fields;
  const facts = shown.map((f) => ({
    title: markdownLine(truncate(f.label, 60)),
    value: markdownLine(truncate(f.value, budget.factValue)),
  }));
  if (shown.length < fields.length) facts.push({ title: '…', value: `${fields.length - shown.length} more` });
  return { type: 'FactSet', facts };
}

/** "EC2 instance: i-0abc…" or the bare label. */
function resourceText(resource: NormalisedFinding['resource']): string {
  return resource.id ? `${resource.label}: ${resource.id}` : resource.label;
}

/** What kind of notification this is: new or updated, plus sample/archived markers. */
export function findingStatus(finding: NormalisedFinding): string {
  const parts = [
    finding.isUpdate ? `Updated finding · seen ${finding.occurrences.count} times` : 'New finding',
    finding.isSample ? 'SAMPLE' : null,
    finding.archived ? 'ARCHIVED' : null,
  ];
  return parts.filter((p): p is string => p !== null).join(' · ');
}

/** Actor labels in the action's fact set, where a bare "IP address" would read as the action's own. */
const ACTOR_LABELS: Readonly<Record<string, string>> = {
  'IP address': 'Actor IP',
  Location: 'Actor location',
  Network: 'Actor network',
};

/** Actor details not already shown among the action's fields (GuardDuty repeats the remote IP there). */
function actorFacts(finding: NormalisedFinding): Field[] {
  return actorFields(finding, finding.action.fields).map((f) => ({
    label: ACTOR_LABELS[f.label] ?? f.label,
    value: f.value,
  }));
}

/** The facts block: where and on what, then occurrences. */
function contextFields(finding: NormalisedFinding): Field[] {
  const { resource, occurrences } = finding;
  const actor = actorText(finding);
  const fields: Field[] = [
    { label: 'Account', value: accountLabel(finding.account) },
    { label: 'Region', value: finding.region },
    { label: 'Resource', value: resourceText(resource) },
    { label: 'Target', value: targetText(finding) },
    ...(actor ? [{ label: 'Actor', value: actor }] : []),
    { label: 'Occurrences', value: String(occurrences.count) },
  ];
  if (occurrences.firstSeen) fields.push({ label: 'First seen', value: occurrences.firstSeen });
  if (occurrences.lastSeen) fields.push({ label: 'Last seen', value: occurrences.lastSeen });
  return fields;
}

/** More than the headline's facts (contextFields): they are never cut. */
const HEADLINE_FACTS_MAX = 10;

function findingCard(finding: NormalisedFinding, budget: Budget): AdaptiveCard {
  const look = BAND_LOOK[finding.severity.band];
  const headline = `${look.marker} **${severityLabel(finding)}** · ${findingStatus(finding)}`;
  const actionFields = [...finding.action.fields, ...actorFacts(finding)];
  const body: CardElement[] = [
    {
      type: 'Container',
      style: look.style,
      bleed: true,
      items: [
        text(headline, { color: look.color, weight: 'Bolder' }),
        text(markdownLine(truncate(finding.title, budget.title)), { size: 'Medium', weight: 'Bolder' }),
        text(markdownLine(truncate(finding.type.full, budget.line)), { isSubtle: true, spacing: 'None' }),
      ],
    },
    // The headline facts are never cut to fit.
    factSet(contextFields(finding), { ...budget, facts: Math.max(budget.facts, HEADLINE_FACTS_MAX) }),
  ];
  if (finding.resource.fields.length > 0) {
    body.push(
      text(`**${markdownLine(finding.resource.label)}**`, { separator: true }),
      factSet(finding.resource.fields, budget),
    );
  }
  body.push(text(`**${markdownLine(finding.action.label)}**`, { separator: true }));
  if (actionFields.length > 0) body.push(factSet(actionFields, budget));
  const facets = facetBudget({ fields: budget.facts, value: budget.factValue, description: budget.description });
  for (const facet of finding.facets.slice(0, facets.facets)) {
    body.push(
      text(`**${markdownLine(truncate(facet.title, 100))}**`, { separator: true }),
      factSet(facet.fields, { ...budget, facts: Math.min(budget.facts, facets.fieldsPerFacet + 1) }),
    );
  }
  const description = markdownParagraphs(truncate(finding.description, budget.description));
  if (description) body.push(text(description, { separator: true }));
  const notes = readNotesText(finding);
  const footer = [
    `Finding ${truncate(finding.id, 128)} · updated ${truncate(finding.updatedAt, 64)}`,
    finding.consoleUrl ? null : noConsoleLinkText(finding),
    notes,
  ].filter((line): line is string => line !== null);
  for (const [i, line] of footer.entries())
    body.push(text(markdownLine(line), { size: 'Small', isSubtle: true, ...(i === 0 ? { separator: true } : {}) }));
  return card(body, finding.consoleUrl, 'Open in GuardDuty console', nextStepLinks(finding));
}

/** Last resort when no budget fits: severity, title and the console link only. */
function minimalFindingCard(finding: NormalisedFinding): AdaptiveCard {
  const look = BAND_LOOK[finding.severity.band];
  return card(
    [
      text(`${look.marker} **${severityLabel(finding)}** · ${kindLabel(finding)}`, {
        color: look.color,
        weight: 'Bolder',
      }),
      text(markdownLine(truncate(finding.title, 200)), { weight: 'Bolder' }),
      text(
        markdownLine(`${truncate(finding.type.full, 200)} · ${finding.account.id} · ${truncate(finding.region, 32)}`),
        { isSubtle: true },
      ),
    ],
    finding.consoleUrl,
    'Open in GuardDuty console',
    nextStepLinks(finding),
  );
}

/**
 * Renders one finding as an Adaptive Card message for a Teams Workflows
 * webhook: a severity-coloured header (band, score, new/updated, sample and
 * archived markers, title, type), facts (account, region, resource,
 * occurrences), the resource's and the action's details with the actor, the
 * description, and an "Open in GuardDuty console" button. All finding text is
 * Markdown-escaped; the payload always fits {@link TEAMS_MAX_BYTES}.
 *
 * @example const payload = renderTeamsFinding(finding); // POST JSON.stringify(payload)
 */
export function renderTeamsFinding(finding: NormalisedFinding): TeamsPayload {
  return fitCard(
    (budget) => findingCard(finding, budget),
    () => minimalFindingCard(finding),
  );
}

function digestHeader(digest: Digest, budget: Budget): Container {
  const look = BAND_LOOK[digestTopBand(digest)];
  const scope = `Accounts: ${digest.accounts.join(', ') || '–'} · Regions: ${digest.regions.join(', ') || '–'}`;
  return {
    type: 'Container',
    style: look.style,
    bleed: true,
    items: [
      text(`${look.marker} **GuardDuty digest: ${findingCount(digest.total)}**`, {
        color: look.color,
        weight: 'Bolder',
        size: 'Medium',
      }),
      text(markdownLine(truncate(scope, budget.line)), { isSubtle: true, spacing: 'None' }),
    ],
  };
}

function digestTopFinding(finding: NormalisedFinding, budget: Budget): Container {
  const look = BAND_LOOK[finding.severity.band];
  const where = [finding.type.full, accountLabel(finding.account), finding.region, resourceText(finding.resource)];
  const items: ContainerItem[] = [
    text(`${look.marker} **${severityLabel(finding)}** ${markdownLine(truncate(finding.title, budget.title))}`),
    text(markdownLine(truncate(where.join(' · '), budget.line)), { isSubtle: true, spacing: 'None' }),
  ];
  if (finding.consoleUrl)
    items.push({
      type: 'ActionSet',
      actions: [{ type: 'Action.OpenUrl', title: 'Open finding', url: finding.consoleUrl }],
    });
  return { type: 'Container', separator: true, items };
}

function digestCard(digest: Digest, budget: Budget): AdaptiveCard {
  const bands: Field[] = [...SEVERITY_BANDS].reverse().map((band) => ({
    label: `${BAND_LOOK[band].marker} ${band}`,
    value: String(digest.bySeverity[band] ?? 0),
  }));
  const types: Field[] = digest.byType.map((t) => ({ label: t.type, value: String(t.count) }));
  const body: CardElement[] = [
    digestHeader(digest, budget),
    factSet(bands, { ...budget, facts: SEVERITY_BANDS.length }),
  ];
  if (types.length > 0) body.push(text('**Top finding types**', { separator: true }), factSet(types, budget));
  if (digest.top.length > 0) {
    body.push(text('**Most severe**', { separator: true }));
    for (const finding of digest.top.slice(0, budget.top)) body.push(digestTopFinding(finding, budget));
  }
  return card(body, digest.consoleUrl, 'Open GuardDuty findings');
}

function minimalDigestCard(digest: Digest): AdaptiveCard {
  const look = BAND_LOOK[digestTopBand(digest)];
  const counts = [...SEVERITY_BANDS]
    .reverse()
    .map((band) => `${band} ${digest.bySeverity[band] ?? 0}`)
    .join(' · ');
  return card(
    [
      text(`${look.marker} **GuardDuty digest: ${findingCount(digest.total)}**`, {
        color: look.color,
        weight: 'Bolder',
      }),
      text(counts, { isSubtle: true }),
    ],
    digest.consoleUrl,
    'Open GuardDuty findings',
  );
}

/**
 * Renders a digest (many findings in one batch) as one Adaptive Card: counts
 * by band, the most frequent types, the most severe findings each with its own
 * console button, and a link to the findings list when the digest has one.
 *
 * @example renderTeamsDigest(buildDigest(findings))
 */
export function renderTeamsDigest(digest: Digest): TeamsPayload {
  return fitCard(
    (budget) => digestCard(digest, budget),
    () => minimalDigestCard(digest),
  );
}

/**
 * Microsoft Teams (Workflows webhook). Workflows answer 202 Accepted; 400 means
 * the card was refused (permanent), 401/403/404 a deleted or disabled workflow
 * (config), 429/5xx are retried.
 */
export const teamsChannel = defineChannel(teamsSettings, {
  render: (finding) => renderTeamsFinding(finding),
  renderDigest: (digest) => renderTeamsDigest(digest),
  // Loaded for the weekly report only, so no SQS invocation pays for it at cold start.
  loadReportRenderer: async () => {
    const { renderReportTeams: render } = await import('../report/render/teams.js');
    return (report) => render(report);
  },
  async send(payload: TeamsPayload, channel: TeamsChannel, context) {
    const result = await postWithRetry(
      channel.webhookUrl,
      JSON.stringify(payload),
      { 'content-type': 'application/json; charset=utf-8' },
      context.http,
      channel,
      context.httpDeps,
    );
    return { attempts: result.attempts };
  },
});
