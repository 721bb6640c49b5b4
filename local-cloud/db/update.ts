/**
 * Update documents as the cloud database does. The SDK turns `doc.update({data})` into MongoDB
 * update operators (serializer/update.js): plain nested objects become dotted `$set` paths (so
 * they merge), `_.set(obj)` a `$set` of the whole field (so it replaces), `_.remove()` `$unset`,
 * `_.unshift` a `$push` with `$position: 0`, `_.shift()` `$pop: -1`, `_.addToSet({each})` is sent
 * as written. mingo applies the operators; what MongoDB refuses and mingo silently skips (an
 * `$inc` on a string, a `$push` on a non-array, a path through a scalar) is refused here first,
 * so function code meets the cloud's errors locally.
 */
import { update as mingoUpdate } from 'mingo'
import { CloudDbError } from './errors'
import type { Doc } from './store'
import { isPlainObject } from './wire'

export type Modifier = Record<string, Record<string, unknown>>

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pop',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$currentDate',
  '$bit'
])

const ARRAY_OPERATORS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll'])

/** Whether an update's data uses operators (`$inc`…) rather than being a plain object. */
export function hasOperators(data: Record<string, unknown>): boolean {
  return Object.keys(data).some((k) => k.startsWith('$'))
}

function touchesId(path: string): boolean {
  return path === '_id' || path.startsWith('_id.')
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (value instanceof Date) return 'date'
  return typeof value
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return (
    Array.isArray(value) ||
    (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof RegExp))
  )
}

/**
 * The operators to apply, checked: known operators only, each with a {path: value} object, never
 * touching _id. Plain data (no operators, as raw requests may send) means `$set` of its fields.
 */
export function normalizeModifier(data: Record<string, unknown>): Modifier {
  if (Object.keys(data).length === 0) throw new CloudDbError('INVALID_PARAM', 'update data must not be empty')
  if ('_id' in data)
    throw new CloudDbError('INVALID_PARAM', '不能更新_id的值 (update data must not contain _id)')
  if (!hasOperators(data)) return { $set: data }
  const modifier: Modifier = {}
  for (const [op, fields] of Object.entries(data)) {
    if (!op.startsWith('$')) {
      throw new CloudDbError('INVALID_PARAM', `update data mixes operators and plain fields (${op})`)
    }
    if (!OPERATORS.has(op))
      throw new CloudDbError('DATABASE_INVALID_OPERRATOR', `unknown update operator ${op}`)
    if (!isPlainObject(fields)) throw new CloudDbError('INVALID_PARAM', `${op} needs an object of fields`)
    const out: Record<string, unknown> = {}
    for (const [path, value] of Object.entries(fields)) {
      if (touchesId(path) || (op === '$rename' && typeof value === 'string' && touchesId(value))) {
        throw new CloudDbError('INVALID_PARAM', '不能更新_id的值 (the _id of a document cannot change)')
      }
      // db.command.addToSet({each: [...]}) is documented with `each` (Command.addToSet) and the
      // SDK sends it unchanged: it means MongoDB's $each.
      if (
        op === '$addToSet' &&
        isPlainObject(value) &&
        Object.keys(value).length === 1 &&
        Array.isArray(value.each)
      ) {
        out[path] = { $each: value.each }
      } else out[path] = value
    }
    modifier[op] = out
  }
  return modifier
}

interface PathState {
  /** The value at the path, undefined when absent. */
  value: unknown
  /** Set when the path runs through a value that cannot hold fields (MongoDB refuses). */
  blockedAt?: { field: string; parent: string; value: unknown }
}

function inspect(doc: Record<string, unknown>, path: string): PathState {
  const parts = path.split('.')
  let cur: unknown = doc
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string
    if (cur === undefined) return { value: undefined }
    if (!isContainer(cur) || (Array.isArray(cur) && !/^\d+$/.test(part))) {
      return { value: undefined, blockedAt: { field: part, parent: parts.slice(0, i).join('.'), value: cur } }
    }
    cur = Array.isArray(cur) ? cur[Number(part)] : cur[part]
  }
  return { value: cur }
}

function fail(message: string): never {
  throw new CloudDbError('DATABASE_REQUEST_FAILED', message)
}

function check(doc: Doc, modifier: Modifier): void {
  for (const [op, fields] of Object.entries(modifier)) {
    for (const [path, operand] of Object.entries(fields)) {
      const state = inspect(doc, path)
      if (state.blockedAt) {
        // $unset/$pop/$pull on a path that cannot exist are no-ops in MongoDB.
        if (op === '$unset' || op === '$pop' || op === '$pull' || op === '$pullAll') continue
        const b = state.blockedAt
        fail(`Cannot create field '${b.field}' in element {${b.parent}: ${JSON.stringify(b.value)}}`)
      }
      const current = state.value
      if (op === '$inc' || op === '$mul') {
        if (typeof operand !== 'number')
          fail(
            `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(operand)}}`
          )
        if (current !== undefined && typeof current !== 'number') {
          fail(
            `Cannot apply ${op} to a value of non-numeric type. {_id: "${doc._id}"} has the field '${path}' of non-numeric type ${typeName(current)}`
          )
        }
      } else if (ARRAY_OPERATORS.has(op)) {
        if (current !== undefined && !Array.isArray(current)) {
          fail(
            `The field '${path}' must be an array but is of type ${typeName(current)} in document {_id: "${doc._id}"}`
          )
        }
        if (op === '$pop' && operand !== 1 && operand !== -1)
          fail(`$pop expects 1 or -1, found: ${JSON.stringify(operand)}`)
        if (op === '$pullAll' && !Array.isArray(operand))
          fail(`$pullAll requires an array argument but was given a ${typeName(operand)}`)
        if (
          (op === '$push' || op === '$addToSet') &&
          isPlainObject(operand) &&
          '$each' in operand &&
          !Array.isArray(operand.$each)
        ) {
          fail(
            `The argument to $each in ${op} must be an array but it was of type: ${typeName(operand.$each)}`
          )
        }
      } else if (op === '$rename') {
        if (typeof operand !== 'string' || operand === '')
          fail(`The 'to' field for $rename must be a string: ${path}: ${JSON.stringify(operand)}`)
        if (operand === path)
          fail(`The source and target field for $rename must differ: ${path}: ${JSON.stringify(operand)}`)
      }
    }
  }
}

/**
 * Applies a checked modifier to a copy of `doc`. Returns the new document, or undefined when the
 * update changes nothing (the cloud then reports updated: 0, as MongoDB's nModified does).
 */
export function applyModifier(doc: Doc, modifier: Modifier): Doc | undefined {
  check(doc, modifier)
  const next = structuredClone(doc)
  let changed: string[]
  try {
    changed = mingoUpdate(next, modifier as Parameters<typeof mingoUpdate>[1], undefined, undefined, {
      cloneMode: 'deep'
    })
  } catch (err) {
    const message = (err as Error).message
    if (/unknown|unregistered|invalid/i.test(message) && !/conflict/i.test(message))
      throw new CloudDbError('DATABASE_INVALID_OPERRATOR', `invalid update: ${message}`)
    throw new CloudDbError('DATABASE_REQUEST_FAILED', `invalid update: ${message}`)
  }
  if (changed.length === 0) return undefined
  next._id = doc._id
  return next
}

/** set(): the new content of a whole document. Operators and _id are refused, as on the cloud. */
export function replacement(id: string, data: Record<string, unknown>): Doc {
  if ('_id' in data)
    throw new CloudDbError('INVALID_PARAM', '不能更新_id的值 (set data must not contain _id)')
  if (hasOperators(data))
    throw new CloudDbError(
      'DATABASE_REQUEST_FAILED',
      'update operator complicit (set data must not contain update operators)'
    )
  return { _id: id, ...data }
}

/** Field names a stored document may not have (MongoDB refuses a top-level `$` field). */
export function checkNewDocument(doc: Record<string, unknown>): void {
  for (const key of Object.keys(doc)) {
    if (key.startsWith('$'))
      throw new CloudDbError('INVALID_PARAM', `document field names must not start with $ (${key})`)
  }
}
