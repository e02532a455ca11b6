/*
 * HTML previews of delivered notifications, per channel: used by the demo
 * gallery (`make demo`) and `guardduty-notify render --html`. Pure string
 * renderers with no browser or test dependencies; every value is escaped.
 */
export { deliveredHtml } from './render.js';
export { previewDocument, deliveredFromPayload } from './standalone.js';
export {
  galleryDocument,
  type GalleryData,
  type GalleryEntry,
  type GalleryDelivery,
  type GallerySkip,
  type GallerySummaryRow,
} from './gallery.js';
export { previewFiles, type PreviewFile } from './assets.js';
export { previewPage, contentSecurityPolicy, type LinkedAssets, type InlineAssets } from './page.js';
export { mrkdwnToHtml, chatTextToHtml } from './inline.js';
export { chatHtmlToSafeHtml } from './chatHtml.js';
export { CHANNEL_LABELS, CHANNEL_ORDER, CHANNEL_PREVIEWS, type Delivered, type DeliveredType } from './registry.js';
export type { ChannelPreview, DeliveredMail, DeliveredSns } from './types.js';
