/**
 * The data layer (cloudfunctions/_shared/db.ts, documents.ts, fields.ts, calendars.ts): the
 * recurring patterns written once, against a small stand-in for the cloud database, and the
 * declarations in database/collections.ts covering every collection the functions name.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { slotDate } from '../../types/appointment'

/* ---------- a stand-in for the cloud database: documents by collection, `_id` unique ---------- */

type Doc = { _id: string; [k: string]: unknown }
const tables = new Map<string, Map<string, Doc>>()
const table = (name: string) => tables.get(name) ?? tables.set(name, new Map()).get(name)!
const IN = Symbol('in')
const matches = (doc: Doc, cond: Record<string, unknown>) =>
  Object.entries(cond).every(([k, v]) =>
    v && typeof v === 'object' && IN in v ? (v[IN] as unknown[]).includes(doc[k]) : doc[k] === v
  )
/** Set by a test: the next add fails as if another unique index refused it. */
let refuseNextAddOnIndex: string | undefined

const fakeDatabase = {
  command: { in: (values: unknown[]) => ({ [IN]: values }) },
  collection: (name: string) => ({
    async add({ data }: { data: Doc }) {
      if (refuseNextAddOnIndex) {
        const index = refuseNextAddOnIndex
        refuseNextAddOnIndex = undefined
        throw new Error(`E11000 duplicate key error index: ${index}`)
      }
      if (table(name).has(data._id)) throw new Error('E11000 duplicate key error index: _id_')
      table(name).set(data._id, { ...data })
      return { _id: data._id }
    },
    doc: (id: string) => ({
      async get() {
        const found = table(name).get(id)
        if (!found) throw new Error(`document.get:fail document with _id ${id} does not exist`)
        return { data: { ...found } }
      }
    }),
    where: (cond: Record<string, unknown>) => ({
      async update({ data }: { data: Record<string, unknown> }) {
        let updated = 0
        for (const doc of table(name).values())
          if (matches(doc, cond)) {
            Object.assign(doc, data)
            updated++
          }
        return { stats: { updated } }
      }
    })
  })
}

jest.mock('../../cloudfunctions/_shared/cloud', () => ({
  getCloud: () => ({ database: () => fakeDatabase })
}))

import {
  digestId,
  idempotentId,
  insertOrGetRaced,
  repo,
  updateIfStatus
} from '../../cloudfunctions/_shared/db'
import { iso, optional } from '../../cloudfunctions/_shared/fields'
import { slotId } from '../../cloudfunctions/_shared/domain/slots'
import { collections } from '../../database/collections'
import type { RequestDoc } from '../../cloudfunctions/_shared/escalation'

beforeEach(() => {
  tables.clear()
  refuseNextAddOnIndex = undefined
})

const sha = (text: string) => createHash('sha256').update(text).digest('hex')

describe('ids from a digest', () => {
  test('the same text names the same id, in the format stored ids already have', () => {
    // Ids are stored: a retry after a deploy must still find what the first call made.
    expect(idempotentId('ap', 'o-wang', 'req-12345678')).toBe(`ap-${sha('o-wang:req-12345678').slice(0, 24)}`)
    expect(idempotentId('quota', 'o-wang', 'requests')).toBe(idempotentId('quota', 'o-wang', 'requests'))
    expect(idempotentId('fb', 'o-wang', 'r1', 'feedback:')).toBe(
      `fb-${sha('feedback:o-wang:r1').slice(0, 24)}`
    )
    expect(digestId('staff', 'o-wang', 20)).toBe(`staff-${sha('o-wang').slice(0, 20)}`)
  })

  test('the id reveals nothing of the OPENID it came from', () => {
    expect(digestId('bg', 'booking-guard:o-wang')).not.toContain('o-wang')
    expect(idempotentId('rq', 'o-wang', 'r1')).not.toBe(idempotentId('rq', 'o-zhao', 'r1'))
  })
})

describe('insertOrGetRaced', () => {
  const request = (id: string, description: string) => ({ _id: id, description }) as unknown as RequestDoc

  test('inserts a new document', async () => {
    const res = await insertOrGetRaced('requests', request('rq-1', 'first'))
    expect(res).toEqual({ doc: request('rq-1', 'first'), inserted: true })
    expect(table('requests').get('rq-1')).toMatchObject({ description: 'first' })
  })

  test('a twin that lost the race answers with the document that won, and changes nothing', async () => {
    await insertOrGetRaced('requests', request('rq-1', 'first'))
    const res = await insertOrGetRaced('requests', request('rq-1', 'second'))
    expect(res).toEqual({ doc: request('rq-1', 'first'), inserted: false })
    expect(table('requests').get('rq-1')).toMatchObject({ description: 'first' })
  })

  test('its own insert (a transaction, say) is used, and its other errors pass through', async () => {
    const insert = jest.fn(async () => {
      throw new Error('TOO_MANY')
    })
    await expect(insertOrGetRaced('requests', request('rq-2', 'x'), insert)).rejects.toThrow('TOO_MANY')
    expect(insert).toHaveBeenCalledTimes(1)
  })

  test('a duplicate on another unique index, with nothing under the id, is not a race: thrown', async () => {
    refuseNextAddOnIndex = 'code_unique'
    await expect(insertOrGetRaced('requests', request('rq-3', 'x'))).rejects.toThrow(/code_unique/)
    expect(await repo('requests').byId('rq-3')).toBeNull()
  })
})

describe('updateIfStatus', () => {
  beforeEach(() => {
    table('requests').set('rq-1', { _id: 'rq-1', status: 'submitted', note: '' })
  })

  test('applies the change while the status holds, once: the second of two taps gets false', async () => {
    expect(await updateIfStatus('requests', 'rq-1', 'submitted', { status: 'accepted', note: 'A' })).toBe(
      true
    )
    expect(await updateIfStatus('requests', 'rq-1', 'submitted', { status: 'accepted', note: 'B' })).toBe(
      false
    )
    expect(table('requests').get('rq-1')).toMatchObject({ status: 'accepted', note: 'A' })
  })

  test('one of several statuses, and further conditions', async () => {
    expect(await updateIfStatus('requests', 'rq-1', ['submitted', 'accepted'], { note: 'moved' })).toBe(true)
    expect(await updateIfStatus('requests', 'rq-1', 'submitted', { note: 'no' }, { note: 'other' })).toBe(
      false
    )
    expect(await updateIfStatus('requests', 'rq-1', 'submitted', { note: 'yes' }, { note: 'moved' })).toBe(
      true
    )
    expect(table('requests').get('rq-1')).toMatchObject({ note: 'yes' })
  })
})

describe('fields', () => {
  test('iso: an instant as text, nothing for nothing', () => {
    expect(iso(new Date('2026-11-29T08:00:00Z'))).toBe('2026-11-29T08:00:00.000Z')
    expect(iso('2026-11-29T16:00:00+08:00')).toBe('2026-11-29T08:00:00.000Z')
    expect(iso(undefined)).toBeUndefined()
    expect(iso(null)).toBeUndefined()
    expect(iso('')).toBeUndefined()
  })

  test('optional: keeps what has a value, leaves out undefined, null, empty text and false', () => {
    const picked = optional({ a: 'x', b: undefined, c: null, d: '', e: false, f: 0, g: true, h: { k: 1 } })
    expect(picked).toEqual({ a: 'x', f: 0, g: true, h: { k: 1 } })
    expect(Object.keys(picked)).not.toContain('b')
  })

  test('slotDate: the date a slot id names', () => {
    expect(slotDate(slotId('st-yunxi-chengguan', '2026-12-02', '10:00', 'window'))).toBe('2026-12-02')
    expect(slotDate('st_x_0900_window')).toBeUndefined()
  })
})

describe('database/collections.ts and the functions name the same collections', () => {
  test('declared once each, in a list the local cloud and the export read', () => {
    const names = collections.map((c) => c.name)
    expect(new Set(names).size).toBe(names.length)
    expect(names).toEqual(expect.arrayContaining(['appointments', 'requests', 'staff', 'outbox', 'audit']))
    for (const c of collections) expect(c.rule).toEqual({ read: false, write: false })
  })

  test('every collection a function reads or writes by name is declared', () => {
    const declared = new Set(collections.map((c) => c.name))
    const root = path.join(__dirname, '..', '..', 'cloudfunctions')
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'))
    const named = new Set<string>()
    const pattern = /(?:collection|repo|txGet)(?:<[^>()]*>)?\(\s*(?:tx,\s*)?'(\w+)'/g
    for (const f of files)
      for (const m of fs.readFileSync(path.join(root, f), 'utf8').matchAll(pattern)) named.add(m[1] as string)
    expect(named.size).toBeGreaterThan(15)
    expect([...named].filter((n) => !declared.has(n))).toEqual([])
  })
})
