/**
 * Reading: where() with every query command the SDK can send, orderBy, skip, limit, field, count —
 * through the real wx-server-sdk against the local cloud. Each test says where the behaviour is
 * documented: a page of WeChat's cloud development docs (developers.weixin.qq.com/miniprogram/
 * dev/wxcloud/…, "reference-sdk-api/database/…" pages, named below by their title), or the summary
 * in docs/platform.md (cloud database behaviour). Behaviours the docs leave open say so in the
 * test name: "(undocumented: we …)".
 */
import { sdkCloud, type SdkCloud } from '../helpers/conformance'
import type { Row } from '../helpers/sdk'

let env: SdkCloud

const people = [
  {
    _id: 'p1',
    name: 'Alice',
    age: 30,
    city: 'Yunxi',
    tags: ['a', 'b'],
    scores: [
      { subject: 'math', score: 90 },
      { subject: 'art', score: 60 }
    ],
    joined: new Date('2024-01-01T00:00:00Z'),
    address: { zip: '100001', street: 'Main' },
    ratio: 1.5
  },
  {
    _id: 'p2',
    name: 'bob',
    age: 25,
    city: 'Chengguan',
    tags: ['b'],
    scores: [{ subject: 'math', score: 50 }],
    joined: new Date('2024-06-01T00:00:00Z'),
    nickname: null
  },
  {
    _id: 'p3',
    name: 'Carol',
    age: 35,
    city: 'Yunxi',
    tags: ['a', 'c', 'd'],
    scores: [],
    joined: new Date('2023-03-01T00:00:00Z'),
    address: { zip: '100002' }
  },
  { _id: 'p4', name: 'dave', age: 41, tags: [], joined: new Date('2022-12-31T00:00:00Z'), big: 2 ** 40 }
]

beforeAll(async () => {
  env = await sdkCloud(['people', 'many', 'empty'])
  await env.db.collection('people').add({ data: people })
  const many = Array.from({ length: 1200 }, (_, i) => ({ _id: `m${String(i).padStart(4, '0')}`, i }))
  for (let i = 0; i < many.length; i += 400)
    await env.db.collection('many').add({ data: many.slice(i, i + 400) })
})

afterAll(async () => {
  await env.cloud.close()
})

const ids = (rows: Row[]) => rows.map((r) => r._id)
const people$ = () => env.db.collection('people')
const _ = () => env.db.command

// Collection.get: "获取集合数据" — the result is {data: [...]}, errMsg "collection.get:ok".
test('get() resolves {data: [documents], errMsg: "collection.get:ok"}', async () => {
  const res = await people$().get()
  expect(res.errMsg).toBe('collection.get:ok')
  expect(ids(res.data).sort()).toEqual(['p1', 'p2', 'p3', 'p4'])
})

// Collection.where: a field equal to a value.
test('where({field: value}) matches documents whose field equals the value', async () => {
  expect(ids((await people$().where({ city: 'Yunxi' }).get()).data).sort()).toEqual(['p1', 'p3'])
})

// Collection.where: several fields in one object must all match (AND).
test('where() with several fields matches documents satisfying all of them', async () => {
  expect(ids((await people$().where({ city: 'Yunxi', age: 35 }).get()).data)).toEqual(['p3'])
})

// Command.eq
test('_.eq(value) matches equal values', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ age: _().eq(25) })
          .get()
      ).data
    )
  ).toEqual(['p2'])
})

// Command.neq
test('_.neq(value) matches documents whose field differs', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ age: _().neq(25) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p1', 'p3', 'p4'])
})

test('_.neq(value) also matches documents without the field (undocumented: we follow MongoDB $ne)', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ city: _().neq('Yunxi') })
          .get()
      ).data
    ).sort()
  ).toEqual(['p2', 'p4'])
})

// Command.gt / Command.gte / Command.lt / Command.lte
test('_.gt / _.gte / _.lt / _.lte compare numbers', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ age: _().gt(30) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p3', 'p4'])
  expect(
    ids(
      (
        await people$()
          .where({ age: _().gte(30) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p1', 'p3', 'p4'])
  expect(
    ids(
      (
        await people$()
          .where({ age: _().lt(30) })
          .get()
      ).data
    )
  ).toEqual(['p2'])
  expect(
    ids(
      (
        await people$()
          .where({ age: _().lte(30) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p1', 'p2'])
})

// Command.lt with a Date (the SDK sends {$date}); 数据库 › 数据类型: Date is stored as a date.
test('comparison commands compare Date values', async () => {
  const res = await people$()
    .where({ joined: _().gte(new Date('2024-01-01T00:00:00Z')) })
    .get()
  expect(ids(res.data).sort()).toEqual(['p1', 'p2'])
})

// Command.in / Command.nin
test('_.in(list) matches any listed value, _.nin(list) none of them', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ name: _().in(['bob', 'dave']) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p2', 'p4'])
  expect(
    ids(
      (
        await people$()
          .where({ name: _().nin(['bob', 'dave']) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p1', 'p3'])
})

// Command.and: chained on one field (_.gt(a).and(_.lt(b))).
test('_.gt().and(_.lt()) on one field matches a range', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ age: _().gt(26).and(_().lt(36)) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p1', 'p3'])
})

// Command.and: across fields, at the top of where().
test('_.and([...]) across fields requires every condition', async () => {
  const res = await people$()
    .where(_().and([{ city: 'Yunxi' }, { age: _().gt(31) }]))
    .get()
  expect(ids(res.data)).toEqual(['p3'])
})

// Command.or: across fields.
test('_.or([...]) across fields matches any condition', async () => {
  const res = await people$()
    .where(_().or([{ city: 'Chengguan' }, { age: _().gt(40) }]))
    .get()
  expect(ids(res.data).sort()).toEqual(['p2', 'p4'])
})

// Command.or: on one field.
test('_.or(a, b) on one field matches either', async () => {
  const res = await people$()
    .where({ age: _().or(_().lt(26), _().gt(40)) })
    .get()
  expect(ids(res.data).sort()).toEqual(['p2', 'p4'])
})

// Command.not
test('_.not(command) negates a condition', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ age: _().not(_().gt(30)) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p1', 'p2'])
})

// Command.nor
test('_.nor([...]) matches documents satisfying none of the conditions', async () => {
  const res = await people$()
    .where(_().nor([{ city: 'Yunxi' }, { age: _().gt(40) }]))
    .get()
  expect(ids(res.data)).toEqual(['p2'])
})

// Command.exists
test('_.exists(true / false) tests whether a field is present', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ city: _().exists(false) })
          .get()
      ).data
    )
  ).toEqual(['p4'])
  expect(
    ids(
      (
        await people$()
          .where({ address: _().exists(true) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p1', 'p3'])
})

// Command.size
test('_.size(n) matches arrays of exactly n elements', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ tags: _().size(2) })
          .get()
      ).data
    )
  ).toEqual(['p1'])
})

// Command.all
test('_.all(list) matches arrays containing every listed element', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ tags: _().all(['a', 'c']) })
          .get()
      ).data
    )
  ).toEqual(['p3'])
})

// Command.elemMatch
test('_.elemMatch(condition) matches arrays with one element satisfying the whole condition', async () => {
  const res = await people$()
    .where({ scores: _().elemMatch({ subject: 'math', score: _().gt(80) }) })
    .get()
  expect(ids(res.data)).toEqual(['p1'])
})

// Command.mod
test('_.mod(divisor, remainder) matches numbers with that remainder', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ age: _().mod(5, 0) })
          .get()
      ).data
    ).sort()
  ).toEqual(['p1', 'p2', 'p3'])
})

// Command.expr: aggregation expressions in a query, comparing fields of the same document.
test('_.expr(aggregate expression) compares fields of the same document', async () => {
  const $ = env.db.command.aggregate
  const res = await people$()
    .where(_().expr($.gt!([{ $size: '$tags' }, 1])))
    .get()
  expect(ids(res.data).sort()).toEqual(['p1', 'p3'])
})

// Command.project.slice (Query.field with projection operators).
test('field({arr: _.project.slice(n)}) returns the first n elements of an array', async () => {
  const res = await people$()
    .where({ _id: 'p3' })
    .field({ tags: _().project.slice(2) })
    .get()
  expect(res.data[0]?.tags).toEqual(['a', 'c'])
})

// 数据库 › 查询数组/嵌套: an array field equal to a value matches when an element equals it.
test('where({arrayField: value}) matches arrays containing the value', async () => {
  expect(ids((await people$().where({ tags: 'c' }).get()).data)).toEqual(['p3'])
})

// 数据库 › 查询 › 嵌套字段: a nested object in where() matches the sub-field (the SDK flattens it).
test('a nested object in where() matches sub-fields, not the whole object', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ address: { zip: '100001' } })
          .get()
      ).data
    )
  ).toEqual(['p1'])
})

// 数据库 › 查询 › 嵌套字段: "a.b" dot notation, also into arrays of objects.
test('dot notation reaches nested fields and fields of array elements', async () => {
  expect(ids((await people$().where({ 'address.zip': '100002' }).get()).data)).toEqual(['p3'])
  expect(ids((await people$().where({ 'scores.subject': 'art' }).get()).data)).toEqual(['p1'])
})

// Database.RegExp: {regexp, options}; options i = case-insensitive.
test('db.RegExp({regexp, options}) matches strings by regular expression', async () => {
  const res = await people$()
    .where({ name: env.db.RegExp({ regexp: '^[a-c]', options: 'i' }) })
    .get()
  expect(ids(res.data).sort()).toEqual(['p1', 'p2', 'p3'])
})

// Database.RegExp: "也可以直接使用 JS 原生正则对象".
test('a JavaScript RegExp literal in where() works like db.RegExp', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ name: /^[a-c]/ })
          .get()
      ).data
    )
  ).toEqual(['p2'])
})

test('where({field: null}) matches null and missing fields (undocumented: we follow MongoDB)', async () => {
  expect(ids((await people$().where({ nickname: null }).get()).data).sort()).toEqual(['p1', 'p2', 'p3', 'p4'])
  expect(
    ids(
      (
        await people$()
          .where({ nickname: _().exists(true) })
          .get()
      ).data
    )
  ).toEqual(['p2'])
})

// Database.serverDate: usable wherever a Date is, including query conditions.
test('db.serverDate() in a query condition compares with the server time', async () => {
  expect(
    ids(
      (
        await people$()
          .where({ joined: _().lt(env.db.serverDate()) })
          .get()
      ).data
    )
  ).toHaveLength(4)
  expect(
    ids(
      (
        await people$()
          .where({ joined: _().gt(env.db.serverDate({ offset: -10 * 365 * 86400_000 })) })
          .get()
      ).data
    )
  ).toHaveLength(4)
})

// Collection.orderBy: asc / desc.
test('orderBy(field, "asc" | "desc") sorts', async () => {
  expect(ids((await people$().orderBy('age', 'desc').get()).data)).toEqual(['p4', 'p3', 'p1', 'p2'])
  expect(ids((await people$().orderBy('age', 'asc').get()).data)).toEqual(['p2', 'p1', 'p3', 'p4'])
})

// Collection.orderBy: "如果需要对多个字段排序，多次调用 orderBy"; the first call sorts first.
test('several orderBy calls sort by the first field, then the next', async () => {
  const res = await people$()
    .where({ city: _().exists(true) })
    .orderBy('city', 'desc')
    .orderBy('age', 'desc')
    .get()
  expect(ids(res.data)).toEqual(['p3', 'p1', 'p2'])
})

test('orderBy puts documents missing the field first in ascending order (undocumented: we follow MongoDB)', async () => {
  expect(ids((await people$().orderBy('city', 'asc').get()).data)[0]).toBe('p4')
})

test('without orderBy, documents come in insertion order (undocumented: we keep insertion order)', async () => {
  expect(ids((await people$().get()).data)).toEqual(['p1', 'p2', 'p3', 'p4'])
})

// Collection.skip / Collection.limit.
test('skip(n) and limit(n) page through the ordered result', async () => {
  const res = await people$().orderBy('age', 'asc').skip(1).limit(2).get()
  expect(ids(res.data)).toEqual(['p1', 'p3'])
})

// Collection.limit: 云函数端默认及最大上限为 100 (older docs) — SDK 4.0.2 sends a limit of 100 when none is given.
test('get() without limit() answers at most 100 documents', async () => {
  expect((await env.db.collection('many').get()).data).toHaveLength(100)
})

// A larger limit() is capped at 1000 on the server.
test('limit() above 1000 answers at most 1000 documents', async () => {
  expect((await env.db.collection('many').limit(1500).get()).data).toHaveLength(1000)
})

// Collection.field: true includes (with _id), false excludes.
test('field({a: true}) returns only the chosen fields and _id', async () => {
  const res = await people$().where({ _id: 'p1' }).field({ name: true, 'address.zip': true }).get()
  expect(res.data).toEqual([{ _id: 'p1', name: 'Alice', address: { zip: '100001' } }])
})

// Collection.field
test('field({a: false}) returns every field but the excluded ones', async () => {
  const [doc] = (
    await people$().where({ _id: 'p2' }).field({ scores: false, tags: false, joined: false }).get()
  ).data
  expect(doc).toEqual({ _id: 'p2', name: 'bob', age: 25, city: 'Chengguan', nickname: null })
})

// Document.field + Document.get.
test('doc(id).field() projects the single document', async () => {
  expect((await people$().doc('p3').field({ age: true }).get()).data).toEqual({ _id: 'p3', age: 35 })
})

// Collection.count resolves {total}.
test('count() resolves {total} of the documents matching where()', async () => {
  const res = await people$().where({ city: 'Yunxi' }).count()
  expect(res).toEqual({ total: 2, errMsg: 'collection.count:ok' })
})

// Collection.count: not limited like get().
test('count() counts past the get() limit', async () => {
  expect((await env.db.collection('many').count()).total).toBe(1200)
})

// Collection.get: no match is an empty list, not an error.
test('a query matching nothing resolves {data: []}', async () => {
  expect(
    (
      await people$()
        .where({ age: _().gt(100) })
        .get()
    ).data
  ).toEqual([])
  expect((await env.db.collection('empty').get()).data).toEqual([])
})

// 数据库 › 数据类型: Date, Number (integers and floats) round-trip.
test('dates come back as Date objects and numbers keep their value', async () => {
  const p1 = (await people$().doc('p1').get()).data
  expect(p1?.joined).toBeInstanceOf(Date)
  expect((p1?.joined as Date).toISOString()).toBe('2024-01-01T00:00:00.000Z')
  expect(p1?.ratio).toBe(1.5)
  expect((await people$().doc('p4').get()).data?.big).toBe(2 ** 40)
})
