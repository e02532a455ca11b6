import { cleanLine } from '../text/clean.js';
import type { Field } from './model.js';

/*
 * Defensive readers for the optional, type-specific parts of a finding. The
 * schema leaves them untyped on purpose (GuardDuty grows them); these turn
 * whatever is there into clean strings or nothing, never a crash.
 */

export type Json = unknown;

/** Follows a path of keys/indices, returning undefined at the first miss. */
export function at(value: Json, ...path: Array<string | number>): Json {
  let current: Json = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, Json>)[key];
  }
  return current;
}

/** A scalar at the path as a cleaned one-line string, or null. */
export function text(value: Json, ...path: Array<string | number>): string | null {
  const found = at(value, ...path);
  if (typeof found === 'string') return found.length > 0 ? cleanLine(found) : null;
  if (typeof found === 'number' || typeof found === 'boolean') return String(found);
  return null;
}

/** An array at the path, or an empty array. */
export function list(value: Json, ...path: Array<string | number>): Json[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? found : [];
}

/** Builds a field list, dropping entries whose value is missing. */
export function fields(entries: Array<[label: string, value: string | null | undefined]>): Field[] {
  const out: Field[] = [];
  for (const [label, value] of entries) {
    if (value !== null && value !== undefined && value !== '') out.push({ label, value });
  }
  return out;
}

/** Joins distinct non-empty values, keeping at most `max` and saying how many more there were. */
export function joinSome(values: Array<string | null>, max = 3): string | null {
  const distinct = [...new Set(values.filter((v): v is string => v !== null && v !== ''))];
  if (distinct.length === 0) return null;
  const shown = distinct.slice(0, max).join(', ');
  return distinct.length > max ? `${shown} (+${distinct.length - max} more)` : shown;
}
