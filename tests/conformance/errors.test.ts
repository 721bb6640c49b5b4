/**
 * Bad input and faults: malformed requests to /admin, broken queries from function code, a
 * collection that does not exist, a data file another process holds, a full disk. The cloud
 * answers each with an error carrying its code and a plain message; it never crashes, and a
 * failed write changes nothing.
 *
 * Error codes: the SDK's table (wx-server-sdk index.js, TCB_ERR_CODE) and the 云开发 docs page
 * "错误码" (-502005 database collection not exists, -502002 database invalid operator, …).
 */
import fs from 'node:fs'
import path from 'node:path'
import { Store } from '../../local-cloud/db/store'
import { startTsx } from '../helpers/child'
import { freshCloud } from '../helpers/cloud'
import { sdkCloud, type SdkCloud } from '../helpers/conformance'
import { TEST_DATA } from '../helpers/paths'
import { rejection } from '../helpers/sdk'

let env: SdkCloud

beforeAll(async () => {
  env = await sdkCloud(['things'])
})

afterAll(async () => {
  await env.cloud.close()
})

async function admin(
  body: string,
  contentType = 'application/json'
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${env.cloud.url}/admin`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

// The SDK reads {code, message} from a 200 reply (tcbapirequester.js) and turns code into errCode.
test('a body that is not JSON gets {code: INVALID_PARAM, message}', async () => {
  const res = await admin('{nope')
  expect(res.status).toBe(200)
  expect(res.json).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringMatching(/not JSON/) })
})

test('a JSON body that is not an object gets INVALID_PARAM saying so', async () => {
  for (const body of ['[]', 'null', '42', '"x"']) {
    expect((await admin(body)).json).toMatchObject({
      code: 'INVALID_PARAM',
      message: 'request body must be a JSON object'
    })
  }
})

test('a request without an action, or with an unknown one, gets INVALID_PARAM naming the problem', async () => {
  expect((await admin('{}')).json).toMatchObject({ code: 'INVALID_PARAM', message: 'action is required' })
  expect((await admin('{"action":"database.dropEverything"}')).json).toMatchObject({
    code: 'INVALID_PARAM',
    message: 'unsupported database action database.dropEverything'
  })
})

test('fields of the wrong type get INVALID_PARAM naming the field', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { action: 'database.getDocument', collectionName: 'things', limit: 'ten' },
      /limit must be a non-negative integer/
    ],
    [
      { action: 'database.getDocument', collectionName: 'things', offset: -1 },
      /offset must be a non-negative integer/
    ],
    [{ action: 'database.getDocument', collectionName: 42 }, /collectionName must be a string/],
    [{ action: 'database.getDocument', collectionName: 'things', query: { a: 1 } }, /query must be a string/],
    [
      { action: 'database.insertDocument', collectionName: 'things', data: [1] },
      /data must be an EJSON string/
    ],
    [
      { action: 'database.aggregateDocuments', collectionName: 'things', stages: [{ stageKey: '$match' }] },
      /stages must be a list/
    ],
    [
      { action: 'database.modifyDocument', collectionName: 'things', multi: 'yes', data: '{}' },
      /multi must be a boolean/
    ],
    [
      { action: 'database.getDocument', collectionName: 'things', queryType: 'ALL' },
      /queryType must be WHERE or DOC/
    ]
  ]
  for (const [body, message] of cases) {
    const res = await admin(JSON.stringify(body))
    expect(res.json.code).toBe('INVALID_PARAM')
    expect(res.json.message).toMatch(message)
  }
})

test('a query that is not EJSON gets INVALID_PARAM, and the collection is untouched', async () => {
  const res = await admin(
    JSON.stringify({
      action: 'database.removeDocument',
      collectionName: 'things',
      query: '{"a": ',
      multi: true
    })
  )
  expect(res.json).toMatchObject({
    code: 'INVALID_PARAM',
    message: expect.stringMatching(/invalid query: not EJSON/)
  })
})

test('GET /admin is refused with 405', async () => {
  expect((await fetch(`${env.cloud.url}/admin`)).status).toBe(405)
})

// 错误码: -502005 "database collection not exists".
test('a collection that does not exist fails with -502005 for get, add, update, remove and count', async () => {
  const c = env.db.collection('never_created')
  expect((await rejection(c.get())).errCode).toBe(-502005)
  expect((await rejection(c.add({ data: { a: 1 } }))).errCode).toBe(-502005)
  expect((await rejection(c.where({ a: 1 }).update({ data: { a: 2 } }))).errCode).toBe(-502005)
  expect((await rejection(c.where({ a: 1 }).remove())).errCode).toBe(-502005)
  expect((await rejection(c.count())).errCode).toBe(-502005)
})

// Database.createCollection: creates it; afterwards it can be used.
test('db.createCollection(name) creates a collection that can then be written', async () => {
  await env.db.createCollection('made_by_sdk')
  await env.db.collection('made_by_sdk').add({ data: { ok: true } })
  expect((await env.db.collection('made_by_sdk').count()).total).toBe(1)
})

// 错误码: -502002 "database invalid operator". An operator the database does not know, as function
// code can send it (the SDK passes `$` keys through).
test('a query with an unknown operator fails with -502002 and the cloud keeps answering', async () => {
  const err = await rejection(
    env.db
      .collection('things')
      .where({ a: { $nosuch: 1 } })
      .get()
  )
  expect(err.errCode).toBe(-502002)
  expect(err.errMsg).toMatch(/\$nosuch/)
  expect((await env.db.collection('things').get()).data).toEqual([])
})

test('an update with an unknown operator fails with -502002 and changes nothing', async () => {
  await env.db.collection('things').add({ data: { _id: 't1', n: 1 } })
  const err = await rejection(
    env.db
      .collection('things')
      .doc('t1')
      .update({ data: { $bogus: { n: 2 } } })
  )
  expect(err.errCode).toBe(-502002)
  expect((await env.db.collection('things').doc('t1').get()).data?.n).toBe(1)
})

test('a geo query is answered with -502002 saying the local cloud does not support it (undocumented here: geo is out of scope locally)', async () => {
  const err = await rejection(
    env.db
      .collection('things')
      .where({ at: { $geoWithin: { $centerSphere: [[0, 0], 1] } } })
      .get()
  )
  expect(err.errCode).toBe(-502002)
  expect(err.errMsg).toMatch(/not supported by the local cloud/)
})

test('a full disk fails the write plainly ("磁盘已满", -502001) and nothing is half-written', async () => {
  const store = env.cloud.store
  store.sqlite.pragma('max_page_count = 1') // SQLite clamps it to the current size: the next new page is "disk full"
  try {
    const err = await rejection(
      env.db.collection('things').add({ data: { _id: 'too-big', blob: 'x'.repeat(400_000) } })
    )
    expect(err.errCode).toBe(-502001)
    expect(err.errMsg).toMatch(/磁盘已满/)
    expect(store.get('things', 'too-big')).toBeUndefined()
  } finally {
    store.sqlite.pragma('max_page_count = 1073741823')
  }
  await env.db.collection('things').add({ data: { _id: 'fits-now', blob: 'x'.repeat(400_000) } })
  expect(store.get('things', 'fits-now')).toBeDefined()
})

test('a data file locked by another connection fails the write plainly ("被另一个进程锁定", -502001) and changes nothing', async () => {
  const other = new (await import('better-sqlite3')).default(env.cloud.store.file)
  other.exec('BEGIN IMMEDIATE')
  try {
    const err = await rejection(env.db.collection('things').add({ data: { _id: 'while-locked' } }))
    expect(err.errCode).toBe(-502001)
    expect(err.errMsg).toMatch(/被另一个进程锁定/)
    expect(env.cloud.store.get('things', 'while-locked')).toBeUndefined()
  } finally {
    other.exec('ROLLBACK')
    other.close()
  }
  await env.db.collection('things').add({ data: { _id: 'after-unlock' } })
  expect(env.cloud.store.get('things', 'after-unlock')).toBeDefined()
})

test('a second local cloud on a data folder already in use is refused with a plain message', async () => {
  await expect(freshCloud({ dataDir: env.cloud.dataDir, seed: false })).rejects.toThrow(
    /无法打开本地数据库.*被另一个进程锁定/
  )
})

test('a data folder owned by another live process is refused naming that process; once it is killed, it is taken over', async () => {
  const dir = path.join(TEST_DATA, `held-${process.pid}-${Date.now()}`)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'cloud.sqlite')
  const holder = startTsx('tests/helpers/hold-store.ts', [file])
  try {
    const [, pid] = await holder.waitFor(/ready (\d+)/)
    expect(() => new Store(file)).toThrow(new RegExp(`进程 ${pid} 正在使用这个数据目录`))
    holder.proc.kill('SIGKILL')
    await holder.exited
    const store = new Store(file)
    expect(store.hasCollection('held')).toBe(true)
    store.close()
  } finally {
    holder.proc.kill('SIGKILL')
  }
}, 30_000)
