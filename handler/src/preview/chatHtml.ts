import { esc, link } from './escape.js';

/*
 * Google Chat card text (`textParagraph.text`, `decoratedText.text`, section
 * headers) is a small HTML subset: <b> <i> <u> <s> <strike> <br> <font color>
 * <a href>. This rebuilds such text from an allow-list: allowed tags are
 * re-emitted in a canonical form (font → span with a validated colour, links
 * http(s) only), every other tag is shown as text, and the result is always
 * balanced, so nothing a finding carries can add markup or leave the card.
 */

const SIMPLE_TAGS = new Set(['b', 'i', 'u', 's', 'strike']);
const TOKEN =
  /<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^<>]*)?)\s*\/?>|&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|[\s\S]/g;

function attribute(attrs: string, name: string): string | null {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attrs);
  if (!match) return null;
  const raw = match[1] ?? match[2] ?? match[3] ?? '';
  return raw
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function fontColour(attrs: string): string {
  const colour = attribute(attrs, 'color') ?? '';
  return /^#[0-9A-Fa-f]{6}$/.test(colour) || /^[a-z]{3,20}$/i.test(colour) ? colour : 'inherit';
}

/**
 * Google Chat card HTML as safe HTML.
 *
 * @example chatHtmlToSafeHtml('<font color="#D13212"><b>HIGH</b></font> &lt;x&gt;') // '<span style="color:#D13212"><b>HIGH</b></span> &lt;x&gt;'
 */
export function chatHtmlToSafeHtml(source: string): string {
  const open: Array<{ name: string; closer: string }> = [];
  let out = '';
  for (const match of source.matchAll(TOKEN)) {
    const [token, slash, rawName, attrs = ''] = match;
    if (rawName === undefined) {
      // A character reference stays one (it decodes to text); any other character is escaped.
      out += token.length > 1 ? token : esc(token);
      continue;
    }
    const name = rawName.toLowerCase();
    if (name === 'br' && !slash) {
      out += '<br>';
    } else if (SIMPLE_TAGS.has(name) || name === 'font' || name === 'a') {
      if (slash) {
        const at = open.map((o) => o.name).lastIndexOf(name);
        if (at < 0) continue; // a stray closing tag: Chat ignores it, so do we
        while (open.length > at) out += open.pop()?.closer ?? '';
        continue;
      }
      if (SIMPLE_TAGS.has(name)) {
        const tag = name === 'strike' ? 's' : name;
        out += `<${tag}>`;
        open.push({ name, closer: `</${tag}>` });
      } else if (name === 'font') {
        out += `<span style="color:${esc(fontColour(attrs))}">`;
        open.push({ name, closer: '</span>' });
      } else {
        // link() checks the scheme; keep its opening tag and close it after the content.
        const anchor = link(attribute(attrs, 'href') ?? '', '');
        out += anchor.slice(0, anchor.lastIndexOf('</'));
        open.push({ name, closer: anchor.startsWith('<a') ? '</a>' : '</span>' });
      }
    } else {
      out += esc(token); // not in the subset: shown as typed
    }
  }
  while (open.length > 0) out += open.pop()?.closer ?? '';
  return out;
}
