/**
 * The local cloud's database engine, fed the requests wx-server-sdk sends (the shapes recorded from
 * the SDK: an action such as database.getDocument, the query as an EJSON string), answering with
 * the cloud's result shapes and error codes (docs/platform.md, cloud database behaviour).
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
  const add = (doc: Record<string, unknown>, collectionName = 'c') =>
    run({ action: 'database.insertDocument', collectionName, data: [ej(doc)] })
  const list = (req: Partial<DbRequest> = {}) =>
    (
      (run({ action: 'database.getDocument', collectionName: 'c', queryType: 'WHERE', query: ej({}), ...req })
        .data.list as string[]) ?? []
    ).map((t) => EJSON.parse(t, { relaxed: true }) as Record<string, unknown>)
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
  const docs = list({
    query: ej({ n: { $gt: 1 } }),
    order: ej({ n: -1 }),
    offset: 1,
    limit: 2,
    projection: ej({ n: 1 })
  })
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

test('update data may not touch _id, and set() may not use operators (the codes the SDK itself uses)', () => {
  const { add, run, list } = setup()
  add({ _id: 'a', n: 1 })
  const doc = { collectionName: 'c', queryType: 'DOC' as const, query: ej({ _id: 'a' }) }
  expect(
    code(() =>
      run({ action: 'database.modifyDocument', ...doc, data: ej({ $set: { _id: 'b' } }), merge: true })
    )
  ).toBe('INVALID_PARAM')
  expect(
    code(() =>
      run({ action: 'database.modifyDocument', ...doc, data: ej({ $rename: { n: '_id' } }), merge: true })
    )
  ).toBe('INVALID_PARAM')
  expect(
    code(() =>
      run({
        action: 'database.modifyDocument',
        ...doc,
        data: ej({ _id: 'b', n: 2 }),
        merge: false,
        upsert: true
      })
    )
  ).toBe('INVALID_PARAM')
  // The SDK refuses the same with DATABASE_REQUEST_FAILED ("update operator complicit").
  expect(
    code(() =>
      run({
        action: 'database.modifyDocument',
        ...doc,
        data: ej({ $inc: { n: 1 } }),
        merge: false,
        upsert: true
      })
    )
  ).toBe('DATABASE_REQUEST_FAILED')
  expect(list()).toEqual([{ _id: 'a', n: 1 }])
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
  expect(
    code(() =>
      run({ action: 'database.getDocument', collectionName: 'nope', queryType: 'WHERE', query: ej({}) })
    )
  ).toBe('DATABASE_COLLECTION_NOT_EXIST')
})

test('count and aggregate', () => {
  const { add, run } = setup()
  for (const tag of ['a', 'a', 'b']) add({ tag })
  expect(
    run({ action: 'database.calculateDocument', collectionName: 'c', query: ej({ tag: 'a' }) }).data.total
  ).toBe(2)
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
  expect(code(() => run({ action: 'database.getDocument', collectionName: 'c', query: '{not json' }))).toBe(
    'INVALID_PARAM'
  )
  expect(
    code(() =>
      run({ action: 'database.getDocument', collectionName: 'c', query: ej({ n: { $nosuchop: 1 } }) })
    )
  ).toBe('DATABASE_INVALID_OPERRATOR')
})

// ---------------------------------------------------------------------------------------------
// Unique indexes: per-index key maps, kept exact through updates, deletes, batches and failures.

function uniqueStore() {
  const store = new Store(':memory:')
  store.ensureCollection('u', [{ name: 'code_unique', keys: { code: 1 }, unique: true }])
  const put = (id: string, doc: Record<string, unknown> | null) =>
    store.commit([{ coll: 'u', id, doc: doc ? { ...doc, _id: id } : null }])
  return { store, put }
}

test('a key a document gives up (changed or deleted) is free for another document', () => {
  const { store, put } = uniqueStore()
  put('a', { code: 'K1' })
  put('b', { code: 'K2' })
  put('a', { code: 'K3' })
  put('c', { code: 'K1' })
  put('b', null)
  put('d', { code: 'K2' })
  expect(store.count('u')).toBe(3)
  expect(() => put('e', { code: 'K3' })).toThrow(/duplicate key/)
})

test('one commit may swap keys between documents, but not give one key to two', () => {
  const { store, put } = uniqueStore()
  put('a', { code: 'K1' })
  put('b', { code: 'K2' })
  store.commit([
    { coll: 'u', id: 'a', doc: { _id: 'a', code: 'K2' } },
    { coll: 'u', id: 'b', doc: { _id: 'b', code: 'K1' } }
  ])
  expect([store.get('u', 'a')?.code, store.get('u', 'b')?.code]).toEqual(['K2', 'K1'])
  expect(() =>
    store.commit([
      { coll: 'u', id: 'x', doc: { _id: 'x', code: 'K9' } },
      { coll: 'u', id: 'y', doc: { _id: 'y', code: 'K9' } }
    ])
  ).toThrow(/duplicate key/)
  expect(store.get('u', 'x')).toBeUndefined()
})

test('a refused write reserves nothing: the key stays free', () => {
  const { store, put } = uniqueStore()
  put('a', { code: 'K1' })
  expect(() =>
    store.commit([
      { coll: 'u', id: 'b', doc: { _id: 'b', code: 'K2' } },
      { coll: 'u', id: 'c', doc: { _id: 'c', code: 'K1' } }
    ])
  ).toThrow()
  put('d', { code: 'K2' })
  expect(store.get('u', 'd')?.code).toBe('K2')
})

test('declaring a unique index over duplicates already stored is refused', () => {
  const store = new Store(':memory:')
  store.ensureCollection('v')
  store.commit([
    { coll: 'v', id: 'a', doc: { _id: 'a', code: 'same' } },
    { coll: 'v', id: 'b', doc: { _id: 'b', code: 'same' } }
  ])
  expect(() =>
    store.ensureCollection('v', [{ name: 'code_unique', keys: { code: 1 }, unique: true }])
  ).toThrow(/cannot create unique index/)
})

/**
 * Runs `fn` counting every iteration over a Map or Set holding at least `size` entries: a scan of
 * a collection that large, whatever the code calls it with.
 */
function iterationsOfLargeCollections(size: number, fn: () => void): number {
  let count = 0
  const methods = ['entries', 'keys', 'values', 'forEach', Symbol.iterator] as const
  const saved: [object, PropertyKey, unknown][] = []
  for (const proto of [Map.prototype, Set.prototype] as unknown as Record<PropertyKey, unknown>[]) {
    for (const name of methods) {
      const original = proto[name] as (this: { size: number }, ...args: unknown[]) => unknown
      saved.push([proto, name, original])
      proto[name] = function (this: { size: number }, ...args: unknown[]) {
        if (this.size >= size) count++
        return original.apply(this, args)
      }
    }
  }
  try {
    fn()
  } finally {
    for (const [proto, name, original] of saved) (proto as Record<PropertyKey, unknown>)[name] = original
  }
  return count
}

// How long an insert takes at 100,000 documents is a figure of `npm run bench` (the store section).
test('a unique check looks up the keys a write touches instead of scanning the collection', () => {
  const DOCS = 20_000
  const store = new Store(':memory:')
  store.ensureCollection('big', [{ name: 'code_unique', keys: { code: 1 }, unique: true }])
  store.commit(
    Array.from({ length: DOCS }, (_, i) => ({
      coll: 'big',
      id: `d${i}`,
      doc: { _id: `d${i}`, code: `c${i}` }
    }))
  )
  // The counter itself sees a scan: reading every document is one.
  expect(iterationsOfLargeCollections(DOCS, () => store.docs('big'))).toBeGreaterThan(0)

  const scans = iterationsOfLargeCollections(DOCS, () => {
    for (let i = 0; i < 200; i++)
      store.commit([{ coll: 'big', id: `n${i}`, doc: { _id: `n${i}`, code: `new${i}` } }])
    expect(() =>
      store.commit([{ coll: 'big', id: 'dup', doc: { _id: 'dup', code: `c${DOCS - 1}` } }])
    ).toThrow(/duplicate key/)
  })
  expect(scans).toBe(0)
  expect(store.count('big')).toBe(DOCS + 200)
})

// ---------------------------------------------------------------------------------------------
// Index-assisted equality lookups must answer exactly what a scan answers.

test('an equality on an indexed field finds arrays containing the value, null for missing, in natural order', () => {
  const store = new Store(':memory:')
  store.ensureCollection('s', [{ name: 'station', keys: { station: 1, day: 1 } }])
  const engine = new DbEngine(store)
  const docs = [
    { _id: 'a', station: 'x' },
    { _id: 'b', station: ['y', 'x'] },
    { _id: 'c', station: 'y' },
    { _id: 'd' },
    { _id: 'e', station: null }
  ]
  for (let i = 0; i < 40; i++) docs.push({ _id: `filler${i}`, station: `z${i}` })
  store.commit(docs.map((d) => ({ coll: 's', id: d._id, doc: d })))
  // 'a' moves to another key and back: its natural position must not change.
  store.commit([{ coll: 's', id: 'a', doc: { _id: 'a', station: 'q' } }])
  store.commit([{ coll: 's', id: 'a', doc: { _id: 'a', station: 'x' } }])
  const find = (query: unknown) =>
    (
      engine.handle({
        action: 'database.getDocument',
        collectionName: 's',
        queryType: 'WHERE',
        query: ej(query)
      }) as { data: { list: string[] } }
    ).data.list.map((t) => (EJSON.parse(t) as { _id: string })._id)
  expect(find({ station: 'x' })).toEqual(['a', 'b'])
  expect(find({ station: { $in: ['y', 'q'] } })).toEqual(['b', 'c'])
  expect(find({ station: null })).toEqual(['d', 'e'])
})

test('a string range on an indexed field (also as the SDK writes _.and, and in a leading $match) answers as a scan would', () => {
  const store = new Store(':memory:')
  store.ensureCollection('r', [{ name: 'day_level', keys: { day: 1, level: 1 } }])
  const engine = new DbEngine(store)
  const docs: { _id: string; [field: string]: unknown }[] = []
  for (let i = 0; i < 200; i++)
    docs.push({
      _id: `r${String(i).padStart(3, '0')}`,
      day: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
      level: i % 5
    })
  docs.push({ _id: 'arr', day: ['2026-01-05', '2027-01-01'] }, { _id: 'num', day: 20260105 }, { _id: 'none' })
  store.commit(docs.map((d) => ({ coll: 'r', id: d._id, doc: d })))
  const find = (query: unknown) =>
    (
      engine.handle({
        action: 'database.getDocument',
        collectionName: 'r',
        queryType: 'WHERE',
        query: ej(query),
        limit: 1000
      }) as { data: { list: string[] } }
    ).data.list.map((t) => (EJSON.parse(t) as { _id: string })._id)
  const expected = docs
    .filter((d) => typeof d.day === 'string' && d.day >= '2026-01-03' && d.day <= '2026-01-04')
    .map((d) => d._id)
  expect(expected).toHaveLength(16)
  expect(find({ day: { $gte: '2026-01-03', $lte: '2026-01-04' } })).toEqual(expected)
  expect(find({ $and: [{ day: { $gte: '2026-01-03' } }, { day: { $lte: '2026-01-04' } }] })).toEqual(expected)
  // An array holding a value in range matches, as in MongoDB; a number never matches a string bound.
  expect(find({ day: { $gte: '2026-01-05', $lt: '2026-01-06' } })).toEqual([
    ...docs.filter((d) => d.day === '2026-01-05').map((d) => d._id),
    'arr'
  ])
  const grouped = (
    engine.handle({
      action: 'database.aggregateDocuments',
      collectionName: 'r',
      stages: [
        {
          stageKey: '$match',
          stageValue: ej({ $and: [{ day: { $gte: '2026-01-03' } }, { day: { $lte: '2026-01-04' } }] })
        },
        { stageKey: '$group', stageValue: ej({ _id: '$day', n: { $sum: 1 } }) },
        { stageKey: '$sort', stageValue: ej({ _id: 1 }) },
        { stageKey: '$limit', stageValue: ej(10) }
      ]
    }) as { data: { list: string[] } }
  ).data.list.map((t) => EJSON.parse(t))
  expect(grouped).toEqual([
    { _id: '2026-01-03', n: 8 },
    { _id: '2026-01-04', n: 8 }
  ])
})

// ---------------------------------------------------------------------------------------------
// The store's documents are the live mirror: nothing a query does may change them.

test('projections and aggregations work on copies: the stored documents never change', () => {
  const { add, run, store } = setup()
  add({ _id: 'a', o: { p: 1, q: 2 }, arr: [1, 2] })
  const before = JSON.stringify(store.docs('c'))
  run({
    action: 'database.getDocument',
    collectionName: 'c',
    queryType: 'WHERE',
    query: ej({}),
    projection: ej({ 'o.p': 0 })
  })
  run({
    action: 'database.aggregateDocuments',
    collectionName: 'c',
    stages: [
      { stageKey: '$addFields', stageValue: ej({ 'o.r': 3 }) },
      { stageKey: '$unset', stageValue: ej('o.q') },
      {
        stageKey: '$lookup',
        stageValue: ej({ from: 'c', localField: '_id', foreignField: '_id', as: 'self' })
      },
      { stageKey: '$addFields', stageValue: ej({ 'self.z': 1 }) }
    ]
  })
  expect(JSON.stringify(store.docs('c'))).toBe(before)
})

test('an aggregation without $limit answers 20 documents; $out and $merge are refused', () => {
  const { add, run } = setup()
  for (let i = 0; i < 30; i++) add({ i })
  const agg = (stages: { stageKey: string; stageValue: string }[]) =>
    (run({ action: 'database.aggregateDocuments', collectionName: 'c', stages }).data.list as string[]).length
  expect(agg([])).toBe(20)
  expect(agg([{ stageKey: '$limit', stageValue: '25' }])).toBe(25)
  expect(code(() => agg([{ stageKey: '$out', stageValue: '"other"' }]))).toBe('DATABASE_INVALID_OPERRATOR')
})

test('serverDate markers resolve in queries and aggregation stages too', () => {
  const { add, run, list } = setup(1_800_000_000_000)
  add({ _id: 'old', at: new Date(1_700_000_000_000) })
  add({ _id: 'new', at: new Date(1_900_000_000_000) })
  expect(list({ query: ej({ at: { $lt: { $tcb_server_date: { offset: 0 } } } }) }).map((d) => d._id)).toEqual(
    ['old']
  )
  const res = run({
    action: 'database.aggregateDocuments',
    collectionName: 'c',
    stages: [{ stageKey: '$match', stageValue: ej({ at: { $gt: { $tcb_server_date: { offset: 0 } } } }) }]
  })
  expect((res.data.list as string[]).map((t) => (EJSON.parse(t) as { _id: string })._id)).toEqual(['new'])
})

test('requests of the wrong shape are refused before anything reads them', () => {
  const { engine } = setup()
  expect(code(() => engine.handle(null))).toBe('INVALID_PARAM')
  expect(code(() => engine.handle({ action: 'database.getDocument', collectionName: 'c', limit: 1.5 }))).toBe(
    'INVALID_PARAM'
  )
  expect(
    code(() =>
      engine.handle({ action: 'database.insertDocument', collectionName: 'c', data: ej({ $bad: 1 }) })
    )
  ).toBe('INVALID_PARAM')
})

// ---------------------------------------------------------------------------------------------
// Snapshots and transactions at the engine's level (the SDK-facing behaviour is in
// tests/conformance/transactions.test.ts).

test('a snapshot keeps answering the old version of a document changed after it was taken', () => {
  const store = new Store(':memory:')
  store.ensureCollection('c')
  store.commit([{ coll: 'c', id: 'a', doc: { _id: 'a', v: 1 } }])
  const snap = store.openSnapshot()
  expect(snap.changedSince('c', 'a')).toBe(false)
  store.commit([{ coll: 'c', id: 'a', doc: { _id: 'a', v: 2 } }])
  store.commit([{ coll: 'c', id: 'b', doc: { _id: 'b', v: 1 } }])
  expect(snap.get('c', 'a')?.v).toBe(1)
  expect(snap.get('c', 'b')).toBeUndefined()
  expect(snap.changedSince('c', 'a')).toBe(true)
  snap.close()
  expect(store.openSnapshotCount).toBe(0)
})

function txSetup() {
  const { engine, run, add, store } = setup()
  const tx = () =>
    (engine.handle({ action: 'database.startTransaction' }) as { transactionId: string }).transactionId
  return { engine, run, add, store, tx }
}

test('the older transaction protocol (getInTransaction …) answers with the top-level EJSON fields it reads', () => {
  const { run, add, store, tx } = txSetup()
  add({ _id: 'a', n: 1 })
  const id = tx()
  const got = run({
    action: 'database.getInTransaction',
    collectionName: 'c',
    transactionId: id,
    _id: 'a'
  }) as unknown as { data: string }
  expect(EJSON.parse(got.data)).toEqual({ _id: 'a', n: 1 })
  const upd = run({
    action: 'database.updateDocInTransaction',
    collectionName: 'c',
    transactionId: id,
    _id: 'a',
    data: ej({ $set: { n: 2 } })
  }) as unknown as Record<string, string>
  expect(EJSON.parse(upd.updated as string)).toBe(1)
  const ins = run({
    action: 'database.updateDocInTransaction',
    collectionName: 'c',
    transactionId: id,
    _id: 'b',
    data: ej({ n: 3 }),
    upsert: true
  }) as unknown as Record<string, string>
  expect(JSON.parse(ins.upserted as string)).toEqual([{ _id: 'b' }])
  const del = run({
    action: 'database.deleteDocInTransaction',
    collectionName: 'c',
    transactionId: id,
    _id: 'a'
  }) as unknown as Record<string, string>
  expect(EJSON.parse(del.deleted as string)).toBe(1)
  expect(store.get('c', 'a')?.n).toBe(1)
  run({ action: 'database.commitTransaction', transactionId: id })
  expect([store.get('c', 'a'), store.get('c', 'b')?.n]).toEqual([undefined, 3])
})

test('respond() holds a plain write to a locked document until the transaction ends; handle() does not wait, and the transaction then fails to commit', async () => {
  const { engine, add, store, tx } = txSetup()
  add({ _id: 'a', n: 1 })
  const update = (n: number) => ({
    action: 'database.modifyDocument',
    collectionName: 'c',
    queryType: 'DOC',
    query: ej({ _id: 'a' }),
    data: ej({ $set: { n } }),
    merge: true
  })
  const id = tx()
  engine.handle({ ...update(10), transactionId: id })
  let done = false
  const waiting = engine.respond(update(20)).then((r) => {
    done = true
    return r
  })
  await new Promise((r) => setTimeout(r, 20))
  expect(done).toBe(false)
  engine.handle({ action: 'database.commitTransaction', transactionId: id })
  await waiting
  expect(store.get('c', 'a')?.n).toBe(20)

  const second = tx()
  engine.handle({ ...update(30), transactionId: second })
  engine.handle(update(40)) // a writer that does not wait
  expect(code(() => engine.handle({ action: 'database.commitTransaction', transactionId: second }))).toBe(
    'DATABASE_TRANSACTION_CONFLICT'
  )
  expect(store.get('c', 'a')?.n).toBe(40)
})

test('an expired transaction releases its locks and wakes the writers waiting for them', async () => {
  const { engine, add, store } = txSetup()
  engine.transactions.lifetimeMs = 50
  add({ _id: 'a', n: 1 })
  const id = (engine.handle({ action: 'database.startTransaction' }) as { transactionId: string })
    .transactionId
  engine.handle({
    action: 'database.removeDocument',
    collectionName: 'c',
    queryType: 'DOC',
    query: ej({ _id: 'a' }),
    transactionId: id
  })
  await engine.respond({
    action: 'database.modifyDocument',
    collectionName: 'c',
    queryType: 'DOC',
    query: ej({ _id: 'a' }),
    data: ej({ $inc: { n: 1 } }),
    merge: true
  })
  expect(store.get('c', 'a')?.n).toBe(2)
  expect(code(() => engine.handle({ action: 'database.commitTransaction', transactionId: id }))).toBe(
    'DATABASE_REQUEST_FAILED'
  )
  expect(engine.transactions.activeCount).toBe(0)
})

test('where({_id: _.in([...])}) answers the listed documents in natural order', () => {
  const { add, list } = setup()
  for (let i = 0; i < 30; i++) add({ _id: `d${i}`, i })
  expect(list({ query: ej({ _id: { $in: ['d7', 'd2', 'missing', 'd20'] } }) }).map((d) => d._id)).toEqual([
    'd2',
    'd7',
    'd20'
  ])
})
