/** Small helpers for building documents and replies field by field. */

/** A stored instant as the ISO 8601 text a reply carries; undefined when there is none. */
export function iso(d: Date | string | number | null | undefined): string | undefined {
  return d === null || d === undefined || d === '' ? undefined : new Date(d).toISOString()
}

type Present<T> = Exclude<T, undefined | null | '' | false>

/**
 * The fields that have a value: `undefined`, `null`, `''` and `false` are left out, so an
 * optional field of a reply or a document is absent rather than empty. Spread it into the object:
 * `{ ...required, ...optional({ note: a.note, label: def.label }) }`.
 */
export function optional<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Present<T[K]> } {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined && value !== null && value !== '' && value !== false) out[key] = value
  return out as { [K in keyof T]?: Present<T[K]> }
}
