/**
 * Writing: add, doc.set, doc.update and every update command, where().update / remove,
 * doc.remove, serverDate, and the errors the cloud gives for bad writes — through the real
 * wx-server-sdk against the local cloud. Citations as in queries.test.ts.
 */
import { sdkCloud, type SdkCloud } from '../helpers/conformance'
import { rejection, type Row } from '../helpers/sdk'

let env: SdkCloud
let seq = 0

beforeAll(async () => {
  env = await sdkCloud([
    'w',
    { name: 'uniq', indexes: [{ name: 'code_unique', keys: { code: 1 }, unique: true }] },
    { name: 'pairs', indexes: [{ name: 'station_day_unique', keys: { station: 1, day: 1 }, unique: true }] }
  ])
})

afterAll(async () => {
  await env.cloud.close()
})

const w = () => env.db.collection('w')
const _ = () => env.db.command

/** A fresh document in `w` for one test. */
async function fresh(data: Record<string, unknown>): Promise<string> {
  const _id = `doc-${++seq}`
  await w().add({ data: { _id, ...data } })
  return _id
}

async function read(id: string): Promise<Row | null> {
  return (await w().doc(id).get()).data
}

async function update(id: string, data: Record<string, unknown>): Promise<Row | null> {
  await w().doc(id).update({ data })
  return read(id)
}

// Collection.add resolves {_id}.
test('add({data}) resolves {_id} of the new document, 32 hex characters when none is given', async () => {
  const res = await w().add({ data: { kind: 'auto-id' } })
  expect(res.errMsg).toBe('collection.add:ok')
  expect(res._id).toMatch(/^[0-9a-f]{32}$/)
  expect((await read(res._id as string))?.kind).toBe('auto-id')
})

// Collection.add: "_id 可以自定义".
test('add() keeps an _id given in the data', async () => {
  const res = await w().add({ data: { _id: 'chosen-id', v: 1 } })
  expect(res._id).toBe('chosen-id')
})

// Collection.add: an _id already taken is a duplicate-key error (-502001).
test('add() with an _id already taken fails with errCode -502001 and writes nothing', async () => {
  const id = await fresh({ v: 'original' })
  const err = await rejection(w().add({ data: { _id: id, v: 'second' } }))
  expect(err.errCode).toBe(-502001)
  expect(err.errMsg).toMatch(/duplicate key/)
  expect((await read(id))?.v).toBe('original')
})

// Collection.add: an array of documents adds each (wx-server-sdk answers {_ids}).
test('add({data: [a, b]}) adds every document and resolves {_ids}', async () => {
  const res = await w().add({ data: [{ batch: 'x' }, { batch: 'x' }] })
  expect(res._ids).toHaveLength(2)
  expect((await w().where({ batch: 'x' }).count()).total).toBe(2)
})

// Database.serverDate: "构造一个服务端时间的引用" — a reference the database replaces with its own
// time when it writes; the offset is in milliseconds.
test('db.serverDate({offset}) stores the server time plus the offset', async () => {
  const before = Date.now()
  const id = (
    await w().add({ data: { at: env.db.serverDate(), later: env.db.serverDate({ offset: 60_000 }) } })
  )._id as string
  const doc = await read(id)
  expect(doc?.at).toBeInstanceOf(Date)
  expect((doc?.at as Date).getTime()).toBeGreaterThanOrEqual(before - 5)
  expect((doc?.later as Date).getTime() - (doc?.at as Date).getTime()).toBe(60_000)
})

// Database.serverDate comes from the cloud's clock (the local cloud's clock can be moved).
test("serverDate() follows the cloud's clock, not the caller's", async () => {
  env.cloud.clock.set(Date.UTC(2031, 4, 6, 7, 8, 9))
  try {
    const id = (await w().add({ data: { at: env.db.serverDate() } }))._id as string
    expect(((await read(id))?.at as Date).toISOString().slice(0, 16)).toBe('2031-05-06T07:08')
  } finally {
    env.cloud.clock.reset()
  }
})

// Document.get resolves {data: {...}}; it rejects when the document is missing.
test('doc(id).get() resolves {data: document}', async () => {
  const id = await fresh({ v: 1 })
  expect(await w().doc(id).get()).toEqual({ data: { _id: id, v: 1 }, errMsg: 'document.get:ok' })
})

// Document.get: "默认情况下，如果获取不到记录，方法会抛出异常". (The SDK throws on the empty list.)
test('doc(id).get() of a missing document rejects ("does not exist")', async () => {
  const err = await rejection(w().doc('no-such-doc').get())
  expect(err.errMsg).toMatch(/document with _id no-such-doc does not exist/)
})

// Cloud.database: throwOnNotFound false → doc.get resolves with empty data.
test('with throwOnNotFound: false, doc(id).get() of a missing document resolves {data: null}', async () => {
  const { connectSdk } = await import('../helpers/sdk')
  const lenient = connectSdk(env.cloud.url, { throwOnNotFound: false })
  expect((await lenient.collection('w').doc('no-such-doc').get()).data).toBeNull()
})

// Document.set: "替换更新一条记录" — creates when missing; result {_id, stats: {updated, created}}.
test('doc(id).set() creates a missing document: stats {updated: 0, created: 1}', async () => {
  const res = await w()
    .doc('set-new')
    .set({ data: { v: 1 } })
  expect(res).toMatchObject({ _id: 'set-new', stats: { updated: 0, created: 1 } })
  expect(await read('set-new')).toEqual({ _id: 'set-new', v: 1 })
})

// Document.set: replaces the whole document (fields not given are gone).
test('doc(id).set() replaces the whole document: stats {updated: 1, created: 0}', async () => {
  const id = await fresh({ a: 1, b: 2 })
  const res = await w()
    .doc(id)
    .set({ data: { c: 3 } })
  expect(res.stats).toEqual({ updated: 1, created: 0 })
  expect(await read(id)).toEqual({ _id: id, c: 3 })
})

test('doc(id).set() with identical content reports updated: 0 (undocumented: we follow MongoDB nModified)', async () => {
  const id = await fresh({ a: 1 })
  expect(
    (
      await w()
        .doc(id)
        .set({ data: { a: 1 } })
    ).stats
  ).toEqual({ updated: 0, created: 0 })
})

// Document.set: update commands are not allowed in set (the SDK refuses: "update operator complicit").
test('doc(id).set() with an update command is refused (-502001)', async () => {
  const id = await fresh({ n: 1 })
  const err = await rejection(
    w()
      .doc(id)
      .set({ data: { n: _().inc(1) } })
  )
  expect(err.errCode).toBe(-502001)
  expect((await read(id))?.n).toBe(1)
})

// Document.update: "不能更新 _id".
test('update data containing _id is refused (-501007)', async () => {
  const id = await fresh({ n: 1 })
  const err = await rejection(
    w()
      .doc(id)
      .update({ data: { _id: 'other', n: 2 } })
  )
  expect(err.errCode).toBe(-501007)
  expect((await read(id))?.n).toBe(1)
})

// Document.update resolves {stats: {updated}}.
test('doc(id).update() resolves {stats: {updated: 1}}', async () => {
  const id = await fresh({ n: 1 })
  expect(
    await w()
      .doc(id)
      .update({ data: { n: 2 } })
  ).toEqual({ stats: { updated: 1 }, errMsg: 'document.update:ok' })
})

// Document.update: "stats.updated 只可能会是 0 或 1" — 0 when there is no such document.
test('doc(id).update() of a missing document resolves updated: 0 and creates nothing', async () => {
  expect(
    (
      await w()
        .doc('never-there')
        .update({ data: { n: 1 } })
    ).stats.updated
  ).toBe(0)
  expect((await w().where({ _id: 'never-there' }).count()).total).toBe(0)
})

test('an update that changes nothing reports updated: 0 (undocumented: we follow MongoDB nModified)', async () => {
  const id = await fresh({ n: 5 })
  expect(
    (
      await w()
        .doc(id)
        .update({ data: { n: 5 } })
    ).stats.updated
  ).toBe(0)
})

// Command.set: a plain nested object in update() changes only the given sub-fields.
test('update() with a nested object merges into the existing object', async () => {
  const id = await fresh({ style: { color: 'blue', size: 'large' } })
  expect((await update(id, { style: { color: 'red' } }))?.style).toEqual({ color: 'red', size: 'large' })
})

// Command.set: _.set(object) replaces the field with the object.
test('_.set(object) replaces the whole field', async () => {
  const id = await fresh({ style: { color: 'blue', size: 'large' } })
  expect((await update(id, { style: _().set({ color: 'red' }) }))?.style).toEqual({ color: 'red' })
})

// Document.update: "a.b" keys update one nested field.
test('update() with a dotted key sets one nested field, creating the path', async () => {
  const id = await fresh({ a: { b: 1 } })
  expect(await update(id, { 'a.c': 2, 'x.y': 3 })).toMatchObject({ a: { b: 1, c: 2 }, x: { y: 3 } })
})

// 数据库 › 更新数组: "arr.1" addresses an array element.
test('update() with an array index path changes that element', async () => {
  const id = await fresh({ list: [{ q: 1 }, { q: 2 }] })
  expect((await update(id, { 'list.1.q': 9 }))?.list).toEqual([{ q: 1 }, { q: 9 }])
})

// Command.remove
test('_.remove() deletes the field', async () => {
  const id = await fresh({ keep: 1, drop: 2 })
  expect(await update(id, { drop: _().remove() })).toEqual({ _id: id, keep: 1 })
})

// Command.inc: atomic increment; a missing field starts from 0.
test('_.inc(n) adds n, starting from 0 when the field is missing', async () => {
  const id = await fresh({ n: 5 })
  expect(await update(id, { n: _().inc(-2), fresh: _().inc(3) })).toMatchObject({ n: 3, fresh: 3 })
})

// Command.mul: a missing field becomes 0.
test('_.mul(n) multiplies, a missing field becoming 0', async () => {
  const id = await fresh({ n: 4 })
  expect(await update(id, { n: _().mul(2.5), fresh: _().mul(3) })).toMatchObject({ n: 10, fresh: 0 })
})

// Command.min / Command.max
test('_.min(v) / _.max(v) keep the smaller / larger of the field and v', async () => {
  const id = await fresh({ lo: 5, hi: 5 })
  expect(await update(id, { lo: _().min(3), hi: _().min(9) })).toMatchObject({ lo: 3, hi: 5 })
  expect(await update(id, { lo: _().max(4), hi: _().max(7) })).toMatchObject({ lo: 4, hi: 7 })
})

// Command.rename
test('_.rename(newName) renames the field', async () => {
  const id = await fresh({ old: 'v' })
  expect(await update(id, { old: _().rename('renamed') })).toEqual({ _id: id, renamed: 'v' })
})

// Command.push: appends one or more values; push({each, position, sort, slice}).
test('_.push(values) appends to the array, creating it when missing', async () => {
  const id = await fresh({ arr: [1] })
  expect(await update(id, { arr: _().push(2, 3), made: _().push('x') })).toMatchObject({
    arr: [1, 2, 3],
    made: ['x']
  })
})

// Command.push with {each, position, sort, slice}.
test('_.push({each, position, slice, sort}) inserts at a position, then sorts and trims', async () => {
  const id = await fresh({ arr: [1, 2], ranked: [5, 1] })
  const doc = await update(id, {
    arr: _().push({ each: [9], position: 1 }),
    ranked: _().push({ each: [3], sort: 1, slice: 2 })
  })
  expect(doc).toMatchObject({ arr: [1, 9, 2], ranked: [1, 3] })
})

// Command.pop / Command.shift
test('_.pop() removes the last element, _.shift() the first', async () => {
  const id = await fresh({ a: [1, 2, 3], b: [1, 2, 3] })
  expect(await update(id, { a: _().pop(), b: _().shift() })).toMatchObject({ a: [1, 2], b: [2, 3] })
})

// Command.unshift
test('_.unshift(values) prepends to the array', async () => {
  const id = await fresh({ a: [3] })
  expect((await update(id, { a: _().unshift(1, 2) }))?.a).toEqual([1, 2, 3])
})

// Command.pull: removes every element equal to the value or matching a condition.
test('_.pull(value | condition) removes matching elements', async () => {
  const id = await fresh({ a: [1, 2, 1, 3], b: [1, 5, 7], c: [{ k: 1 }, { k: 2 }] })
  const doc = await update(id, { a: _().pull(1), b: _().pull(_().gt(4)), c: _().pull({ k: 2 }) })
  expect(doc).toMatchObject({ a: [2, 3], b: [1], c: [{ k: 1 }] })
})

// Command.pullAll
test('_.pullAll(list) removes every element equal to one in the list', async () => {
  const id = await fresh({ a: [1, 2, 3, 1, 4] })
  expect((await update(id, { a: _().pullAll([1, 4]) }))?.a).toEqual([2, 3])
})

// Command.addToSet: adds a value unless present.
test('_.addToSet(value) adds the value only when absent', async () => {
  const id = await fresh({ tags: ['a'] })
  expect((await update(id, { tags: _().addToSet('a') }))?.tags).toEqual(['a'])
  expect((await update(id, { tags: _().addToSet('b') }))?.tags).toEqual(['a', 'b'])
})

// Command.addToSet example 2 uses {$each: [...]}.
test('_.addToSet({$each: list}) adds each absent value', async () => {
  const id = await fresh({ tags: ['a'] })
  expect((await update(id, { tags: _().addToSet({ $each: ['a', 'b', 'c'] }) }))?.tags).toEqual([
    'a',
    'b',
    'c'
  ])
})

test('_.addToSet({each: list}) adds each absent value (undocumented: the parameter table names `each`, the SDK sends it as written; we read it as $each)', async () => {
  const id = await fresh({ tags: ['a'] })
  expect((await update(id, { tags: _().addToSet({ each: ['a', 'd'] }) }))?.tags).toEqual(['a', 'd'])
})

test('_.inc on a field that is not a number fails with -502001 and changes nothing (undocumented: we refuse as MongoDB does)', async () => {
  const id = await fresh({ s: 'text', n: 1 })
  const err = await rejection(
    w()
      .doc(id)
      .update({ data: { s: _().inc(1), n: _().inc(1) } })
  )
  expect(err.errCode).toBe(-502001)
  expect(await read(id)).toMatchObject({ s: 'text', n: 1 })
})

test('_.push on a field that is not an array fails with -502001 (undocumented: we refuse as MongoDB does)', async () => {
  const id = await fresh({ s: 'text' })
  expect(
    (
      await rejection(
        w()
          .doc(id)
          .update({ data: { s: _().push(1) } })
      )
    ).errCode
  ).toBe(-502001)
})

test('setting a sub-field of a scalar fails with -502001 (undocumented: we refuse as MongoDB does)', async () => {
  const id = await fresh({ n: 1 })
  expect(
    (
      await rejection(
        w()
          .doc(id)
          .update({ data: { 'n.x': 1 } })
      )
    ).errCode
  ).toBe(-502001)
})

// Collection.update (where().update): updates every matching document; {stats: {updated}}.
test('where().update() updates every matching document and counts them', async () => {
  await w().add({
    data: [
      { grp: 'g1', n: 1 },
      { grp: 'g1', n: 2 },
      { grp: 'g2', n: 3 }
    ]
  })
  const res = await w()
    .where({ grp: 'g1' })
    .update({ data: { n: _().inc(10) } })
  expect(res).toEqual({ stats: { updated: 2 }, errMsg: 'collection.update:ok' })
  expect((await w().where({ grp: 'g1' }).orderBy('n', 'asc').get()).data.map((d) => d.n)).toEqual([11, 12])
  expect((await w().where({ grp: 'g2' }).get()).data[0]?.n).toBe(3)
})

// Collection.update with a condition: the capacity pattern (原子操作 › 原子更新).
test('a conditional where().update() changes only documents still matching: updated 0 when none', async () => {
  const id = await fresh({ left: 1 })
  const take = () =>
    w()
      .where({ _id: id, left: _().gt(0) })
      .update({ data: { left: _().inc(-1) } })
  expect((await take()).stats.updated).toBe(1)
  expect((await take()).stats.updated).toBe(0)
  expect((await read(id))?.left).toBe(0)
})

// Document.remove resolves {stats: {removed}}.
test('doc(id).remove() deletes the document: {stats: {removed: 1}}', async () => {
  const id = await fresh({ v: 1 })
  expect(await w().doc(id).remove()).toEqual({ stats: { removed: 1 }, errMsg: 'document.remove:ok' })
  expect((await w().where({ _id: id }).count()).total).toBe(0)
})

// Document.remove of a missing document.
test('doc(id).remove() of a missing document resolves removed: 0', async () => {
  expect((await w().doc('gone-already').remove()).stats.removed).toBe(0)
})

// Collection.remove (where().remove): removes every match.
test('where().remove() deletes every matching document and counts them', async () => {
  await w().add({ data: [{ bin: 'r' }, { bin: 'r' }, { bin: 'keep' }] })
  expect((await w().where({ bin: 'r' }).remove()).stats.removed).toBe(2)
  expect(
    (
      await w()
        .where({ bin: _().in(['r', 'keep']) })
        .count()
    ).total
  ).toBe(1)
})

// A unique index refuses a second document with the same key; 数据库 › 索引 › 唯一性限制.
test('a unique index refuses a second document with the same key (-502001, duplicate key)', async () => {
  const u = env.db.collection('uniq')
  await u.add({ data: { code: 'A1' } })
  const err = await rejection(u.add({ data: { code: 'A1' } }))
  expect(err.errCode).toBe(-502001)
  expect(err.errMsg).toMatch(/E11000 duplicate key.*code_unique/)
  expect((await u.where({ code: 'A1' }).count()).total).toBe(1)
})

// In a unique index a missing field counts as null, so only one document may lack it.
test('a unique index lets only one document lack the field', async () => {
  const u = env.db.collection('uniq')
  await u.add({ data: { other: 1 } })
  expect((await rejection(u.add({ data: { other: 2 } }))).errCode).toBe(-502001)
  expect((await rejection(u.add({ data: { code: null } }))).errCode).toBe(-502001)
})

// 数据库 › 索引: an update that would duplicate a unique key is refused too.
test('an update that would give a document a taken unique key is refused and changes nothing', async () => {
  const u = env.db.collection('uniq')
  const id = (await u.add({ data: { code: 'B1' } }))._id as string
  await u.add({ data: { code: 'B2' } })
  expect((await rejection(u.doc(id).update({ data: { code: 'B2' } }))).errCode).toBe(-502001)
  expect((await u.doc(id).get()).data?.code).toBe('B1')
})

// 数据库 › 索引 › 组合索引 + 唯一: the combination must be unique, each part alone need not be.
test('a compound unique index refuses only a repeated combination', async () => {
  const p = env.db.collection('pairs')
  await p.add({ data: { station: 's1', day: '2025-01-02' } })
  await p.add({ data: { station: 's1', day: '2025-01-03' } })
  await p.add({ data: { station: 's2', day: '2025-01-02' } })
  expect((await rejection(p.add({ data: { station: 's1', day: '2025-01-02' } }))).errCode).toBe(-502001)
  expect((await p.count()).total).toBe(3)
})

// database/collections.ts declares openid_unique on staff; the local cloud creates and enforces it.
test('the indexes declared in database/collections.ts are created and enforced', async () => {
  const staff = env.db.collection('staff')
  await staff.add({ data: { openid: 'officer-x', role: 'officer' } })
  expect((await rejection(staff.add({ data: { openid: 'officer-x', role: 'leader' } }))).errCode).toBe(
    -502001
  )
})
