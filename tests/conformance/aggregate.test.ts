/**
 * Aggregation pipelines (collection.aggregate()…end()) through the real wx-server-sdk against
 * the local cloud. Pages cited: Aggregate.<stage> in the database SDK reference, and for the
 * default limit a measurement published on WeChat's developer community. Citations as in
 * queries.test.ts.
 */
import { sdkCloud, type SdkCloud } from '../helpers/conformance'
import { rejection } from '../helpers/sdk'

let env: SdkCloud

const bookings = [
  {
    _id: 'b1',
    station: 's1',
    service: 'id-card',
    fee: 20,
    items: ['photo', 'form'],
    day: new Date('2025-03-03T01:00:00Z')
  },
  {
    _id: 'b2',
    station: 's1',
    service: 'id-card',
    fee: 20,
    items: ['photo'],
    day: new Date('2025-03-03T02:00:00Z')
  },
  { _id: 'b3', station: 's1', service: 'hukou', fee: 0, items: [], day: new Date('2025-03-04T01:00:00Z') },
  {
    _id: 'b4',
    station: 's2',
    service: 'id-card',
    fee: 40,
    items: ['form'],
    day: new Date('2025-03-05T01:00:00Z')
  }
]

beforeAll(async () => {
  env = await sdkCloud(['bookings', 'stations_x', 'bulk'])
  await env.db.collection('bookings').add({ data: bookings })
  await env.db.collection('stations_x').add({
    data: [
      { _id: 's1', name: '城关' },
      { _id: 's2', name: '河西' }
    ]
  })
  await env.db.collection('bulk').add({ data: Array.from({ length: 60 }, (_, i) => ({ i })) })
})

afterAll(async () => {
  await env.cloud.close()
})

const agg = () => env.db.collection('bookings').aggregate()
const $ = () => env.db.command.aggregate as Record<string, (p: unknown) => unknown>

// Aggregate.end resolves {list}.
test('aggregate()…end() resolves {list, errMsg: "collection.aggregate:ok"}', async () => {
  const res = await agg().match({ station: 's2' }).end()
  expect(res.errMsg).toBe('collection.aggregate:ok')
  expect(res.list.map((d) => d._id)).toEqual(['b4'])
})

// Aggregate.match: takes the same conditions (and commands) as where().
test('match() filters with query commands', async () => {
  const res = await agg()
    .match({ fee: env.db.command.gt(10) })
    .end()
  expect(res.list.map((d) => d._id)).toEqual(['b1', 'b2', 'b4'])
})

// Aggregate.group with accumulators ($.sum, $.avg) — AggregateCommand.sum / AggregateCommand.avg.
test('group() with $.sum and $.avg accumulates per key', async () => {
  const res = await agg()
    .group({ _id: '$service', n: $().sum!(1), avgFee: $().avg!('$fee') })
    .sort({ _id: 1 })
    .end()
  expect(res.list).toEqual([
    { _id: 'hukou', n: 1, avgFee: 0 },
    { _id: 'id-card', n: 3, avgFee: 80 / 3 }
  ])
})

// Aggregate.project
test('project() keeps, drops and computes fields', async () => {
  const res = await agg()
    .match({ _id: 'b1' })
    .project({ _id: 0, service: 1, itemCount: $().size!('$items') })
    .end()
  expect(res.list).toEqual([{ service: 'id-card', itemCount: 2 }])
})

// Aggregate.sort on several fields, Aggregate.skip, Aggregate.limit.
test('sort() on several fields, then skip() and limit()', async () => {
  const res = await agg().sort({ fee: -1, _id: 1 }).skip(1).limit(2).end()
  expect(res.list.map((d) => d._id)).toEqual(['b1', 'b2'])
})

// Aggregate.lookup: equality join with another collection.
test('lookup() joins documents of another collection', async () => {
  const res = await agg()
    .match({ _id: 'b4' })
    .lookup({ from: 'stations_x', localField: 'station', foreignField: '_id', as: 'stationDoc' })
    .end()
  expect(res.list[0]?.stationDoc).toEqual([{ _id: 's2', name: '河西' }])
})

// Aggregate.unwind: one output document per array element; empty arrays produce none.
test('unwind() emits one document per array element', async () => {
  const res = await agg().unwind('$items').project({ items: 1 }).end()
  expect(res.list).toEqual([
    { _id: 'b1', items: 'photo' },
    { _id: 'b1', items: 'form' },
    { _id: 'b2', items: 'photo' },
    { _id: 'b4', items: 'form' }
  ])
})

// Aggregate.unwind with preserveNullAndEmptyArrays.
test('unwind({path, preserveNullAndEmptyArrays: true}) keeps documents with empty arrays', async () => {
  const res = await agg()
    .unwind({ path: '$items', preserveNullAndEmptyArrays: true })
    .match({ _id: 'b3' })
    .end()
  expect(res.list).toHaveLength(1)
})

// Aggregate.count
test('count(field) outputs one document with the number of inputs', async () => {
  expect((await agg().match({ station: 's1' }).count('total').end()).list).toEqual([{ total: 3 }])
})

// Aggregate.addFields
test('addFields() adds computed fields and keeps the rest', async () => {
  const res = await agg()
    .match({ _id: 'b2' })
    .addFields({ feeWithTax: $().multiply!(['$fee', 2]) })
    .end()
  expect(res.list[0]).toMatchObject({ _id: 'b2', fee: 20, feeWithTax: 40 })
})

// Aggregate.sortByCount
test('sortByCount() groups and counts, largest first', async () => {
  expect((await agg().sortByCount('$service').end()).list).toEqual([
    { _id: 'id-card', count: 3 },
    { _id: 'hukou', count: 1 }
  ])
})

// Aggregate.replaceRoot
test('replaceRoot() promotes a sub-document', async () => {
  const res = await agg()
    .match({ _id: 'b1' })
    .replaceRoot({ newRoot: { svc: '$service', st: '$station' } })
    .end()
  expect(res.list).toEqual([{ svc: 'id-card', st: 's1' }])
})

// AggregateCommand.dateToString: dates format in UTC unless a timezone is given.
test('$.dateToString formats dates, with a timezone when given', async () => {
  const res = await agg()
    .match({ _id: 'b3' })
    .project({
      utc: $().dateToString!({ date: '$day', format: '%Y-%m-%d %H:%M' }),
      cst: $().dateToString!({ date: '$day', format: '%H:%M', timezone: 'Asia/Shanghai' })
    })
    .end()
  expect(res.list[0]).toMatchObject({ utc: '2025-03-04 01:00', cst: '09:00' })
})

// Developer community, "云函数端Aggregate聚合操作limit默认20条限制" (measured on the cloud):
// without limit() an aggregation answers 20 documents.
test('without limit() an aggregation answers at most 20 documents (community-measured, not in the API docs)', async () => {
  expect((await env.db.collection('bulk').aggregate().end()).list).toHaveLength(20)
})

// Same page: with limit() more come back.
test('with limit(n) an aggregation answers up to n documents', async () => {
  expect((await env.db.collection('bulk').aggregate().limit(50).end()).list).toHaveLength(50)
})

// Database errors: a collection that does not exist is DATABASE_COLLECTION_NOT_EXIST. wx-server-sdk
// 4.0.2's Aggregate.end (unlike get/update/…) does not map the code to a number: errCode is -1
// and the cloud's code stays on err.code.
test('aggregating a collection that does not exist fails with code DATABASE_COLLECTION_NOT_EXIST (errCode -1: the SDK does not map it here)', async () => {
  const err = await rejection(env.db.collection('no_such_coll').aggregate().end())
  expect(err.code).toBe('DATABASE_COLLECTION_NOT_EXIST')
  expect(err.errCode).toBe(-1)
  expect(err.errMsg).toMatch(/collection\.aggregate:fail/)
})
