import { esc } from './escape.js';

/*
 * Pretty-printed JSON with keys, strings and numbers marked for colour. Every
 * token is escaped; strings are shown as JSON (quoted, with \n and \u escapes),
 * exactly as they travelled.
 */

function token(kind: string, value: string): string {
  return `<span class="j-${kind}">${esc(value)}</span>`;
}

function write(value: unknown, indent: string): string {
  if (value === null || value === undefined) return token('null', 'null');
  if (typeof value === 'string') return token('str', JSON.stringify(value));
  if (typeof value === 'number' || typeof value === 'boolean')
    return token(typeof value === 'number' ? 'num' : 'bool', String(value));
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${write(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${token('key', JSON.stringify(k))}: ${write(v, inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * A `<pre>` with the value as indented, colour-marked JSON.
 *
 * @example jsonHtml({ a: '<b>' }) // '<pre class="json">{\n  <span class="j-key">&quot;a&quot;</span>: …'
 */
export function jsonHtml(value: unknown): string {
  return `<pre class="json">${write(value, '')}</pre>`;
}
