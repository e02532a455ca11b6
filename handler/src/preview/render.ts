import { previewOf } from './registry.js';
import type { Delivered } from './types.js';

/**
 * The HTML view of one delivered notification, for any channel. Pure: the
 * Teams card is only placed here and rendered by the page's script.
 *
 * @example deliveredHtml({ type: channel.type, body })
 */
export function deliveredHtml(delivered: Delivered): string {
  return previewOf(delivered).html(delivered);
}
