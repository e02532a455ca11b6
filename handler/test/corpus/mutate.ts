/*
 * Mutants of a GuardDuty finding event: the shapes real findings take that a
 * hand-written fixture never does. Each mutant changes one place inside
 * `detail` and keeps what makes the event a GuardDuty finding at all (the
 * envelope, `detail` itself, `detail.id`, `detail.type`), so by the project's
 * rule every mutant must still be rendered, never refused.
 *
 * Deterministic: the same event and seed always give the same mutants.
 */

export const MUTATION_KINDS = [
  'null-object',
  'number-as-string',
  'drop-optional',
  'huge-string',
  'unknown-field',
  'array-for-object',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutant {
  /** `<kind> at <path>`, stable across runs. */
  name: string;
  kind: MutationKind;
  event: Record<string, unknown>;
}

/** Length of the strings the `huge-string` mutation puts in (the 100,000 characters). */
export const HUGE_STRING_LENGTH = 100_000;

type Path = ReadonlyArray<string | number>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** mulberry32: a small seeded PRNG, enough to pick places reproducibly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The leaves and nodes under `detail` a mutation may touch (never `detail.id` or `detail.type`). */
function places(detail: Json): { objects: Path[]; numbers: Path[]; strings: Path[]; keys: Path[] } {
  const found = { objects: [] as Path[], numbers: [] as Path[], strings: [] as Path[], keys: [] as Path[] };
  const walk = (value: Json, path: Path): void => {
    const protectedKey = path.length === 2 && (path[1] === 'id' || path[1] === 'type');
    if (path.length > 1 && !protectedKey) found.keys.push(path);
    if (typeof value === 'number' && !protectedKey) found.numbers.push(path);
    if (typeof value === 'string' && !protectedKey) found.strings.push(path);
    if (Array.isArray(value)) value.forEach((v, i) => void walk(v, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      if (path.length > 1) found.objects.push(path);
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(detail, ['detail']);
  // Array elements are not optional fields; dropping one is not "missing optional".
  found.keys = found.keys.filter((p) => typeof p[p.length - 1] === 'string');
  return found;
}

/** A copy of `event` with the value at `path` replaced (or removed, when `replace` returns undefined). */
function edit(event: Record<string, unknown>, path: Path, replace: (old: Json) => Json | undefined) {
  const copy = structuredClone(event) as Record<string, Json>;
  let parent: Json = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step] as Json;
  const last = path[path.length - 1] as string | number;
  const container = parent as Record<string | number, Json>;
  const next = replace(container[last] as Json);
  if (next === undefined) {
    if (Array.isArray(container)) container.splice(last as number, 1);
    else delete container[last];
  } else container[last] = next;
  return copy as Record<string, unknown>;
}

/** 100,000 characters of markup every channel must neutralise, different per seed. */
function hugeString(rand: () => number): string {
  const pieces = [
    '<!here> ',
    '<script>alert(1)</script> ',
    '[click](https://evil.example) ',
    '\r\nBcc: victim@example.com\r\n ',
    '*bold* _it_ `code` ',
    '&amp;&lt; ',
    '💀 ',
    'AAAAAAAAAAAAAAAA ',
  ];
  let out = '';
  while (out.length < HUGE_STRING_LENGTH) out += pieces[Math.floor(rand() * pieces.length)];
  return out.slice(0, HUGE_STRING_LENGTH);
}

const MUTATE: Record<
  MutationKind,
  { from: keyof ReturnType<typeof places>; apply: (old: Json, rand: () => number, n: number) => Json | undefined }
> = {
  'null-object': { from: 'objects', apply: () => null },
  'number-as-string': { from: 'numbers', apply: (old) => String(old) },
  'drop-optional': { from: 'keys', apply: () => undefined },
  'huge-string': { from: 'strings', apply: (_old, rand) => hugeString(rand) },
  'unknown-field': {
    from: 'objects',
    apply: (old, _rand, n) => ({
      ...(old as Record<string, Json>),
      [`unknownField${n}`]: { nested: [1, 'two', null, { deep: true }], note: 'a field GuardDuty may add tomorrow' },
    }),
  },
  'array-for-object': { from: 'objects', apply: (old) => [old] },
};

const label = (path: Path) =>
  path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .slice(1);

/**
 * Up to `perKind` mutants of each kind for one event, at places picked by a
 * seeded PRNG (fewer when the event has fewer places of that kind).
 *
 * @example
 * const all = mutants(rawEvent, 42, 5); // ≤ 30 mutants, the same on every run
 */
export function mutants(event: Record<string, unknown>, seed: number, perKind = 5): Mutant[] {
  const rand = random(seed);
  const found = places(event.detail as Json);
  const out: Mutant[] = [];
  for (const kind of MUTATION_KINDS) {
    const candidates = [...found[MUTATE[kind].from]];
    for (let n = 0; n < perKind && candidates.length > 0; n++) {
      const [path] = candidates.splice(Math.floor(rand() * candidates.length), 1) as [Path];
      out.push({
        name: `${kind} at ${label(path)}`,
        kind,
        event: edit(event, path, (old) => MUTATE[kind].apply(old, rand, n)),
      });
    }
  }
  return out;
}
