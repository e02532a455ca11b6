import { emailHtml } from './email.js';
import { googleChatHtml } from './googleChat.js';
import { pagerDutyHtml } from './pagerduty.js';
import { slackHtml } from './slack.js';
import { snsHtml } from './sns.js';
import { teamsHtml } from './teams.js';
import type { Delivered } from './types.js';
import { webhookHtml } from './webhook.js';

/**
 * The HTML view of one delivered notification, for any channel. Pure: the
 * Teams card is only placed here and rendered by the page's script.
 *
 * @example deliveredHtml({ type: 'slack', body })
 */
export function deliveredHtml(delivered: Delivered): string {
  switch (delivered.type) {
    case 'slack':
      return slackHtml(delivered.body);
    case 'teams':
      return teamsHtml(delivered.body);
    case 'googleChat':
      return googleChatHtml(delivered.body);
    case 'email':
      return emailHtml(delivered.mail);
    case 'sns':
      return snsHtml(delivered.sns);
    case 'pagerduty':
      return pagerDutyHtml(delivered.body);
    case 'webhook':
      return webhookHtml(delivered.body, delivered.headers);
  }
}
