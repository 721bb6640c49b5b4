/**
 * The local cloud's database engine, fed the requests wx-server-sdk sends (recorded shapes, see
 * ../shared/REFERENCE.md), answering with the cloud's result shapes and error codes.
 * The same behaviours through the real SDK are the conformance suite's job.
 */
import { EJSON } from 'bson'
import { DbEngine, type DbRequest } from '../../local-cloud/db/engine'
import { CloudDbError } from '../../local-cloud/db/errors'
import { Store } from '../../local-cloud/db/store'

const ej = (v: unknown) => EJSON.stringify(v as Parameters<typeof EJSON.stringify>[0], { relaxed: false })

function setup(now = 1_800_000_000_000) {
  const store = new Store(':memory:')
  store.ensureCollection('c')
  store.ensureCollection('u', [{ name: 'u_code', keys: { code: 1 }, unique: true }])
  const engine = new DbEngine(store, { now: () => now })
  const run = (req: DbRequest) => engine.handle(req) as { data: Record<string, unknown> }
  const add = (doc: Record<string, unknown>, collectionName = 'c') => run({ action: 'database.insertDocument', collectionName, data: [ej(doc)] })
  const list = (req: Partial<DbRequest> = {}) =>
    ((run({ action: 'database.getDocument', collectionName: 'c', queryType: 'WHERE', query: ej({}), ...req }).data.list as string[]) ?? []).map(
      (t) => EJSON.parse(t, { relaxed: true }) as Record<string, unknown>
    )
  return { store, engine, run, add, list }
}

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    if (err instanceof CloudDbError) return err.code
    throw err
  }
  return undefined
}

test('add returns a cloud-shaped id and stores serverDate as the server time', () => {
  const { add, list } = setup(1_800_000_000_000)
  const res = add({ n: 1, at: { $tcb_server_date: { offset: 1000 } } })
  const [id] = res.data.insertedIds as string[]
  expect(id).toMatch(/^[0-9a-f]{32}$/)
  const [doc] = list()
  expect(doc?.at).toEqual(new Date(1_800_000_001_000))
})

test('where / orderBy / skip / limit / field behave as the cloud', () => {
  const { add, list } = setup()
  for (let i = 1; i <= 5; i++) add({ _id: `d${i}`, n: i, tag: i % 2 ? 'odd' : 'even', extra: 'x' })
  const docs = list({ query: ej({ n: { $gt: 1 } }), order: ej({ n: -1 }), offset: 1, limit: 2, projection: ej({ n: 1 }) })
  expect(docs).toEqual([
    { _id: 'd4', n: 4 },
    { _id: 'd3', n: 3 }
  ])
})

test('get() without a limit answers at most 100 documents, and never more than 1000', () => {
  const { add, list } = setup()
  for (let i = 0; i < 120; i++) add({ n: i })
  expect(list()).toHaveLength(100)
  expect(list({ limit: 5000 })).toHaveLength(120)
})

test('a conditional update changes only matching documents and reports the count', () => {
  const { add, run, list } = setup()
  add({ _id: 'a', left: 1 })
  add({ _id: 'b', left: 0 })
  const res = run({
    action: 'database.modifyDocument',
    collectionName: 'c',
    queryType: 'WHERE',
    query: ej({ left: { $gt: 0 } }),
    data: ej({ $inc: { left: -1 } }),
    multi: true,
    merge: true
  })
  expect(res.data.updated).toBe(1)
  expect(list().map((d) => d.left)).toEqual([0, 0])
})

test('update data may not touch _id, and set() may not use operators', () => {
  const { add, run } = setup()
  add({ _id: 'a', n: 1 })
  const doc = { collectionName: 'c', queryType: 'DOC' as const, query: ej({ _id: 'a' }) }
  expect(code(() => run({ action: 'database.modifyDocument', ...doc, data: ej({ $set: { _id: 'b' } }), merge: true }))).toBe('INVALID_PARAM')
  expect(code(() => run({ action: 'database.modifyDocument', ...doc, data: ej({ $inc: { n: 1 } }), merge: false, upsert: true }))).toBe('INVALID_PARAM')
})

test('a unique index refuses a duplicate (a missing field counts as null) and writes nothing', () => {
  const { add, store } = setup()
  add({ code: 'A1' }, 'u')
  expect(code(() => add({ code: 'A1' }, 'u'))).toBe('DATABASE_REQUEST_FAILED')
  add({ other: true }, 'u')
  expect(code(() => add({ other: 2 }, 'u'))).toBe('DATABASE_REQUEST_FAILED')
  expect(store.count('u')).toBe(2)
})

test('a collection that was never created is the cloud error -502005', () => {
  const { run } = setup()
  expect(code(() => run({ action: 'database.getDocument', collectionName: 'nope', queryType: 'WHERE', query: ej({}) }))).toBe(
    'DATABASE_COLLECTION_NOT_EXIST'
  )
})

test('count and aggregate', () => {
  const { add, run } = setup()
  for (const tag of ['a', 'a', 'b']) add({ tag })
  expect(run({ action: 'database.calculateDocument', collectionName: 'c', query: ej({ tag: 'a' }) }).data.total).toBe(2)
  const res = run({
    action: 'database.aggregateDocuments',
    collectionName: 'c',
    stages: [
      { stageKey: '$group', stageValue: ej({ _id: '$tag', n: { $sum: 1 } }) },
      { stageKey: '$sort', stageValue: ej({ _id: 1 }) }
    ]
  })
  expect((res.data.list as string[]).map((t) => EJSON.parse(t, { relaxed: true }))).toEqual([
    { _id: 'a', n: 2 },
    { _id: 'b', n: 1 }
  ])
})

test('a malformed query is an error, not a crash', () => {
  const { run } = setup()
  expect(code(() => run({ action: 'database.getDocument', collectionName: 'c', query: '{not json' }))).toBe('INVALID_PARAM')
  expect(code(() => run({ action: 'database.getDocument', collectionName: 'c', query: ej({ n: { $nosuchop: 1 } }) }))).toBe('DATABASE_INVALID_OPERRATOR')
})
