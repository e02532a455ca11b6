import { esc } from './escape.js';
import { list, record, text } from './types.js';
import type { ChannelPreview } from './types.js';

/*
 * Microsoft Teams: the Adaptive Card is rendered in the page by Microsoft's
 * `adaptivecards` renderer (see client.ts); here we only place it. The card
 * JSON travels in a data attribute (escaped, so it is inert text until the
 * in-page script parses it) next to a container the script fills.
 */

/**
 * The mount point for each Adaptive Card attachment of a Teams Workflows body.
 *
 * @example teamsHtml({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] })
 */
export function teamsHtml(body: unknown): string {
  const attachments = list(record(body).attachments).map(record);
  const cards = attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  const others = attachments.length - cards.length;
  return (
    `<div class="teams-message"><div class="teams-avatar" aria-hidden="true">GD</div><div class="teams-body">` +
    `<div class="teams-meta"><span class="teams-app-name">GuardDuty Notify</span><span class="teams-via">via Workflows</span></div>` +
    cards
      .map(
        (a) =>
          `<div class="teams-card" data-adaptive-card="${esc(JSON.stringify(a.content ?? null))}"><div class="teams-card-pending">Rendering Adaptive Card…</div></div>`,
      )
      .join('') +
    (cards.length === 0 ? `<div class="unsupported">[no Adaptive Card in this message]</div>` : '') +
    (others > 0
      ? `<div class="unsupported">[${others} attachment(s) of another type: ${esc(attachments.map((a) => text(a.contentType, '?')).join(', '))}]</div>`
      : '') +
    `</div></div>`
  );
}

/** A Teams Workflows request body (an Adaptive Card message). */
export interface TeamsDelivered {
  type: 'teams';
  body: unknown;
}

export const teamsPreview: ChannelPreview<'teams', TeamsDelivered> = {
  html: (delivered) => teamsHtml(delivered.body),
  fromPayload: (_channel, payload) => ({ type: 'teams', body: payload }),
  showsRawPayload: true,
  // The card is rendered in the page by the Adaptive Cards script.
  needsScripts: true,
};
