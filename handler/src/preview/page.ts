import { createHash } from 'node:crypto';
import { esc } from './escape.js';

/*
 * The HTML shell shared by the gallery and the CLI's standalone preview: a
 * strict Content-Security-Policy (no network, no inline event handlers, only
 * our scripts), then the styles and scripts, either as files next to the page
 * or inlined and allowed by their SHA-256 hashes.
 */

/** Styles and scripts as files beside the page (the gallery). Names are relative URLs. */
export interface LinkedAssets {
  kind: 'linked';
  styles: string[];
  scripts: string[];
}

/** Styles and scripts inlined into the page (a standalone preview). Contents are the file texts. */
export interface InlineAssets {
  kind: 'inline';
  styles: string[];
  scripts: string[];
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Script text that can sit inside `<script>…</script>` without ending it early. */
function inlineable(script: string): string {
  if (/<\/script/i.test(script) || (/<!--/.test(script) && /<script[\s/>]/i.test(script))) {
    throw new Error('script text cannot be inlined safely (it contains </script or <!-- with <script)');
  }
  return script;
}

/**
 * The Content-Security-Policy for a preview page. Inline styles are allowed
 * (the email HTML and the card colours use style attributes); images only from
 * data: URLs; nothing may connect, frame or submit anywhere.
 */
export function contentSecurityPolicy(assets: LinkedAssets | InlineAssets): string {
  const scripts =
    assets.kind === 'linked'
      ? assets.scripts.length > 0
        ? "'self'"
        : "'none'"
      : assets.scripts.map(sha256).join(' ') || "'none'";
  return [
    "default-src 'none'",
    `script-src ${scripts}`,
    `style-src ${assets.kind === 'linked' ? "'self' " : ''}'unsafe-inline'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * A complete HTML document around `body` (already safe HTML).
 *
 * @example previewPage('Preview', '<main>…</main>', { kind: 'inline', styles: [css], scripts: [] })
 */
export function previewPage(title: string, body: string, assets: LinkedAssets | InlineAssets): string {
  const head =
    assets.kind === 'linked'
      ? [
          ...assets.styles.map((href) => `<link rel="stylesheet" href="${esc(href)}">`),
          ...assets.scripts.map((src) => `<script src="${esc(src)}" defer></script>`),
        ]
      : [
          ...assets.styles.map((css) => `<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`),
          ...assets.scripts.map((js) => `<script>${inlineable(js)}</script>`),
        ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(assets))}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    ...head,
    '</head>',
    `<body>${body}</body>`,
    '</html>',
    '',
  ].join('\n');
}
