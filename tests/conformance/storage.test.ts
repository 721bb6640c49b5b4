/**
 * Cloud storage through the real wx-server-sdk (inside a test function, as product functions call
 * it: tests/fixtures/functions/storage-fixture) and through the app's endpoints (/api/storage/…),
 * against the local cloud: upload, temporary URLs and their expiry, delete, download, limits and
 * path rules, the "only the creator" rule, upload tokens, and files surviving a restart.
 * docs/platform.md ("Cloud storage") and docs/local-cloud.md ("Storage") describe what is checked.
 */
import Database from 'better-sqlite3'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { startLocalCloud } from '../../local-cloud/cloud'
import { MAX_FILE_BYTES, MAX_URL_MAX_AGE, DEFAULT_URL_MAX_AGE } from '../../local-cloud/storage/rules'
import { productCloudOptions } from '../../scripts/lib/product-cloud'
import { callFunction, freshCloud } from '../helpers/cloud'
import { FIXTURE_FUNCTIONS_BUILD } from '../helpers/paths'

type Cloud = Awaited<ReturnType<typeof freshCloud>>

const WANG = 'demo-resident-wang'
const LI = 'demo-resident-li'

/** A JPEG's first bytes, then filler: enough for the platform and sniffImage to call it a JPEG. */
function jpeg(bytes: number, fill = 1): Buffer {
  const b = Buffer.alloc(bytes, fill)
  b[0] = 0xff
  b[1] = 0xd8
  b[2] = 0xff
  return b
}

interface FixtureError {
  error?: { name?: string; message?: string; errCode?: number; errMsg?: string; reason?: string }
}

let cloud: Cloud

async function fixture<T = Record<string, unknown>>(
  event: Record<string, unknown>
): Promise<T & FixtureError> {
  const res = await callFunction<T & FixtureError>(cloud, 'storage-fixture', event)
  expect(res.status).toBe(200)
  return res.body
}

async function save(cloudPath: string, content: Buffer): Promise<string> {
  const res = await fixture<{ fileID: string }>({ op: 'save', cloudPath, base64: content.toString('base64') })
  expect(res.error).toBeUndefined()
  return res.fileID
}

async function clientUpload(
  cloudPath: string,
  content: Buffer,
  openid: string | null = WANG
): Promise<Response> {
  return fetch(`${cloud.url}/api/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`, {
    method: 'POST',
    headers: openid === null ? {} : { 'x-local-openid': openid },
    body: content
  })
}

async function clientCall(
  what: 'temp-url' | 'delete',
  fileList: unknown[],
  openid = WANG
): Promise<{
  status: number
  body: { fileList: { fileID: string; status: number; tempFileURL?: string }[] }
}> {
  const res = await fetch(`${cloud.url}/api/storage/${what}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-openid': openid },
    body: JSON.stringify({ fileList })
  })
  return { status: res.status, body: await res.json() }
}

async function urlFor(fileID: string, maxAge: number): Promise<string> {
  const res = await fixture<{ urls: Record<string, string> }>({ op: 'urls', fileIDs: [fileID], maxAge })
  const url = res.urls[fileID]
  if (!url) throw new Error('no temporary URL')
  return url
}

/** The names of the files in the data folder's object store. */
function objectNames(c: { dataDir: string }): string[] {
  return fs.readdirSync(path.join(c.dataDir, 'storage', 'objects'))
}

/** Files kept in the data folder's object store. */
function objectCount(c: Cloud): number {
  return objectNames(c).length
}

beforeAll(async () => {
  cloud = await freshCloud({ functionsDir: FIXTURE_FUNCTIONS_BUILD, seed: false, timers: false })
})

afterAll(async () => {
  await cloud.close()
})

afterEach(() => {
  cloud.clock.reset()
  cloud.faults.clear()
})

describe('a function stores and reads files through the SDK', () => {
  test('uploadFile returns a file id of this environment; downloadFile gives the same bytes back', async () => {
    const content = jpeg(5000)
    const fileID = await save('conf/fn/photo.jpg', content)
    expect(fileID).toMatch(/^cloud:\/\/local-dev\.[0-9a-f]+-local-dev-\d+\/conf\/fn\/photo\.jpg$/)
    const read = await fixture<{ base64: string; kind: string }>({ op: 'read', fileID })
    expect(Buffer.from(read.base64, 'base64').equals(content)).toBe(true)
    expect(read.kind).toBe('jpeg')
    expect((await fixture<{ cloudPath: string }>({ op: 'pathOf', fileID })).cloudPath).toBe(
      'conf/fn/photo.jpg'
    )
    // The SDK's own answer, as functions see it.
    const raw = await fixture<{ fileContent: string; statusCode: number; errMsg: string }>({
      op: 'sdk',
      method: 'downloadFile',
      args: { fileID }
    })
    expect(raw).toMatchObject({ statusCode: 200, errMsg: 'downloadFile:ok' })
    expect(Buffer.from(raw.fileContent, 'base64').equals(content)).toBe(true)
  })

  test('uploading to the same path replaces the file', async () => {
    const fileID = await save('conf/fn/replace.jpg', jpeg(100, 1))
    await save('conf/fn/replace.jpg', jpeg(200, 2))
    const read = await fixture<{ base64: string }>({ op: 'read', fileID })
    expect(Buffer.from(read.base64, 'base64').equals(jpeg(200, 2))).toBe(true)
  })

  test('downloading a missing file: the SDK rejects, readFile answers null', async () => {
    const fileID = await save('conf/fn/gone.jpg', jpeg(10))
    await fixture({ op: 'remove', fileIDs: [fileID] })
    expect((await fixture<{ base64: null }>({ op: 'read', fileID })).base64).toBeNull()
    const raw = await fixture({ op: 'sdk', method: 'downloadFile', args: { fileID } })
    expect(raw.error?.errMsg).toMatch(/^downloadFile:fail/)
  })

  test('a file id of another environment is not this storage’s', async () => {
    const fileID = await save('conf/fn/env.jpg', jpeg(10))
    const other = fileID.replace('cloud://local-dev.', 'cloud://prod-1a2b.')
    expect((await fixture<{ cloudPath: null }>({ op: 'pathOf', fileID: other })).cloudPath).toBeNull()
    expect(
      (await fixture<{ cloudPath: null }>({ op: 'pathOf', fileID: 'conf/fn/env.jpg' })).cloudPath
    ).toBeNull()
    expect((await fixture<{ urls: object }>({ op: 'urls', fileIDs: [other], maxAge: 60 })).urls).toEqual({})
  })
})

describe('temporary URLs', () => {
  test('serve the file with its sniffed type, and expire after maxAge by the cloud clock', async () => {
    const content = jpeg(3000)
    const fileID = await save('conf/url/a.jpg', content)
    const url = await urlFor(fileID, 60)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true)
    // A URL lives at least maxAge, at most a second more (its expiry is in whole seconds).
    cloud.clock.advance(59_500)
    expect((await fetch(url)).status).toBe(200)
    cloud.clock.advance(1_500)
    const expired = await fetch(url)
    expect(expired.status).toBe(403)
    expect(await expired.text()).not.toContain('conf/url')
  })

  test('without maxAge a URL lives DEFAULT_URL_MAX_AGE; a larger maxAge is cut to MAX_URL_MAX_AGE', async () => {
    const fileID = await save('conf/url/default.jpg', jpeg(10))
    const raw = await fixture<{
      fileList: { fileID: string; status: number; maxAge: number; tempFileURL: string }[]
    }>({ op: 'sdk', method: 'getTempFileURL', args: { fileList: [fileID] } })
    expect(raw.fileList).toEqual([
      { fileID, status: 0, errMsg: 'ok', maxAge: DEFAULT_URL_MAX_AGE, tempFileURL: expect.any(String) }
    ])
    const url = raw.fileList[0]!.tempFileURL
    cloud.clock.advance(DEFAULT_URL_MAX_AGE * 1000 - 500)
    expect((await fetch(url)).status).toBe(200)
    cloud.clock.advance(1500)
    expect((await fetch(url)).status).toBe(403)
    cloud.clock.reset()

    const long = await fixture<{ fileList: { maxAge: number; tempFileURL: string }[] }>({
      op: 'sdk',
      method: 'getTempFileURL',
      args: { fileList: [{ fileID, maxAge: 10 * MAX_URL_MAX_AGE }] }
    })
    expect(long.fileList[0]!.maxAge).toBe(MAX_URL_MAX_AGE)
    cloud.clock.advance(MAX_URL_MAX_AGE * 1000 + 1000)
    expect((await fetch(long.fileList[0]!.tempFileURL)).status).toBe(403)
  })

  test('a missing file gets no URL, with the platform’s per-file code', async () => {
    const fileID = await save('conf/url/present.jpg', jpeg(10))
    const missing = fileID.replace('present', 'absent')
    const raw = await fixture<{ fileList: { fileID: string; status: number; tempFileURL: string }[] }>({
      op: 'sdk',
      method: 'getTempFileURL',
      args: {
        fileList: [
          { fileID, maxAge: 60 },
          { fileID: missing, maxAge: 60 }
        ]
      }
    })
    expect(raw.fileList.map((f) => [f.fileID, f.status, f.tempFileURL !== ''])).toEqual([
      [fileID, 0, true],
      [missing, -503003, false]
    ])
    const urls = await fixture<{ urls: Record<string, string> }>({
      op: 'urls',
      fileIDs: [fileID, missing],
      maxAge: 60
    })
    expect(Object.keys(urls.urls)).toEqual([fileID])
  })

  test('a URL handed out before a delete never serves what is uploaded later at the same path', async () => {
    const up = await clientUpload('conf/url/reused.jpg', jpeg(100, 1), WANG)
    const { fileID } = (await up.json()) as { fileID: string }
    const wangUrl = (await clientCall('temp-url', [fileID], WANG)).body.fileList[0]!.tempFileURL as string
    expect((await fetch(wangUrl)).status).toBe(200)
    expect((await clientCall('delete', [fileID], WANG)).body.fileList[0]?.status).toBe(0)
    expect((await fetch(wangUrl)).status).toBe(404)
    // Another user uploads at the freed path: WANG's URL must not show LI's file.
    expect((await clientUpload('conf/url/reused.jpg', jpeg(100, 9), LI)).status).toBe(200)
    const stale = await fetch(wangUrl)
    expect(stale.status).toBe(403)
    expect(((await stale.json()) as { code: string }).code).toBe('ACCESS_DENIED')
    const liUrl = (await clientCall('temp-url', [fileID], LI)).body.fileList[0]!.tempFileURL as string
    expect(Buffer.from(await (await fetch(liUrl)).arrayBuffer()).equals(jpeg(100, 9))).toBe(true)
    // A function replacing the file: URLs of the earlier bytes stop serving as well.
    await save('conf/url/reused.jpg', jpeg(50, 4))
    expect((await fetch(liUrl)).status).toBe(403)
    expect(Buffer.from(await (await fetch(await urlFor(fileID, 60))).arrayBuffer()).equals(jpeg(50, 4))).toBe(
      true
    )
  })

  test('a tampered or unsigned URL is refused with 403', async () => {
    const a = await save('conf/url/tamper-a.jpg', jpeg(10))
    const b = await save('conf/url/tamper-b.jpg', jpeg(10))
    const urlA = new URL(await urlFor(a, 600))
    const urlB = new URL(await urlFor(b, 600))
    expect((await fetch(urlA)).status).toBe(200)
    const variants: URL[] = []
    const sig = urlA.searchParams.get('s') as string
    const flip = (s: string): string => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)
    // Another file's path with this file's signature.
    variants.push(new URL(`${urlB.pathname}${urlA.search}`, urlA))
    // A changed signature, a later expiry, no signature, no expiry.
    const changedSig = new URL(urlA)
    changedSig.searchParams.set('s', flip(sig))
    variants.push(changedSig)
    const later = new URL(urlA)
    later.searchParams.set('e', String(Number(urlA.searchParams.get('e')) + 3600))
    variants.push(later)
    const unsigned = new URL(urlA)
    unsigned.searchParams.delete('s')
    variants.push(unsigned)
    const noExpiry = new URL(urlA)
    noExpiry.searchParams.delete('e')
    variants.push(noExpiry)
    // The path itself, without any query.
    variants.push(new URL(urlA.pathname, urlA))
    // The cloud path written out instead of encoded.
    variants.push(new URL(`/storage/f/conf/url/tamper-a.jpg${urlA.search}`, urlA))
    for (const v of variants) expect([v.href, (await fetch(v)).status]).toEqual([v.href, 403])
  })
})

describe('deleting', () => {
  test('deleteFile answers per file: deleted, or missing', async () => {
    const fileID = await save('conf/del/a.jpg', jpeg(10))
    const missing = fileID.replace('a.jpg', 'never.jpg')
    const raw = await fixture<{ fileList: unknown[] }>({
      op: 'sdk',
      method: 'deleteFile',
      args: { fileList: [fileID, missing] }
    })
    expect(raw.fileList).toEqual([
      { fileID, status: 0, errMsg: 'ok' },
      { fileID: missing, status: -503003, errMsg: expect.any(String) }
    ])
    expect((await fixture<{ base64: null }>({ op: 'read', fileID })).base64).toBeNull()
  })

  test('removeFiles: a missing file counts as removed; a failed request leaves its files to try again', async () => {
    const ids = await Promise.all([1, 2, 3].map((i) => save(`conf/del/batch-${i}.jpg`, jpeg(10))))
    const gone = ids[0]!.replace('batch-1', 'batch-none')
    expect(await fixture({ op: 'remove', fileIDs: [ids[0], gone] })).toEqual({
      removed: [ids[0], gone],
      failed: []
    })
    cloud.faults.failOn({ fn: 'storage-fixture', action: 'storage.batchDeleteFile' })
    expect(await fixture({ op: 'remove', fileIDs: [ids[1], ids[2]] })).toEqual({
      removed: [],
      failed: [ids[1], ids[2]]
    })
    expect((await fixture<{ base64: string | null }>({ op: 'read', fileID: ids[1] })).base64).not.toBeNull()
    expect(await fixture({ op: 'remove', fileIDs: [ids[1], ids[2]] })).toEqual({
      removed: [ids[1], ids[2]],
      failed: []
    })
  })

  test('removeFiles and tempUrls go in batches of 50 (the platform refuses more in one request)', async () => {
    const ids = await Promise.all(
      Array.from({ length: 55 }, (_, i) => save(`conf/del/many-${i}.jpg`, jpeg(10)))
    )
    const urls = await fixture<{ urls: Record<string, string> }>({ op: 'urls', fileIDs: ids, maxAge: 60 })
    expect(Object.keys(urls.urls).sort()).toEqual([...ids].sort())
    const tooManyUrls = await fixture({
      op: 'sdk',
      method: 'getTempFileURL',
      args: { fileList: ids.map((fileID) => ({ fileID, maxAge: 60 })) }
    })
    expect(tooManyUrls.error?.errMsg).toMatch(/getTempFileURL:fail/)
    const tooMany = await fixture({ op: 'sdk', method: 'deleteFile', args: { fileList: ids } })
    expect(tooMany.error?.errMsg).toMatch(/deleteFile:fail/)
    const removed = await fixture<{ removed: string[]; failed: string[] }>({ op: 'remove', fileIDs: ids })
    expect(removed.removed.sort()).toEqual([...ids].sort())
    expect(removed.failed).toEqual([])
  })
})

describe('limits and path rules', () => {
  const BAD_PATHS = [
    '../x.jpg',
    'a/../../x.jpg',
    'a//b.jpg',
    '/a.jpg',
    'a/',
    'a/./b.jpg',
    '..',
    '%2e%2e/x.jpg',
    'a%2fb.jpg',
    'a\\..\\b.jpg',
    'a\u0000b.jpg',
    'a\nb.jpg',
    'x'.repeat(851),
    '一'.repeat(284) // 852 bytes of UTF-8
  ]

  test('a function’s upload to a path breaking the rules fails and stores nothing', async () => {
    const before = objectCount(cloud)
    for (const cloudPath of BAD_PATHS) {
      const res = await fixture({ op: 'save', cloudPath, base64: jpeg(10).toString('base64') })
      expect([cloudPath, res.error?.reason]).toEqual([cloudPath, 'InvalidObjectName'])
    }
    expect(objectCount(cloud)).toBe(before)
    // The object store holds only files named by a path's hash and an upload's generation
    // (nothing named after a path, no temp file left behind).
    expect(objectNames(cloud).filter((n) => !/^[0-9a-f]{64}\.[A-Za-z0-9_-]+$/.test(n))).toEqual([])
    // The longest path allowed is 850 bytes.
    expect(await save('x'.repeat(850), jpeg(10))).toMatch(/x{850}$/)
  })

  test('the app’s upload to a path breaking the rules is refused with BAD_PATH', async () => {
    for (const cloudPath of BAD_PATHS) {
      const res = await clientUpload(cloudPath, jpeg(10))
      expect([cloudPath, res.status, ((await res.json()) as { code: string }).code]).toEqual([
        cloudPath,
        400,
        'BAD_PATH'
      ])
    }
    // A traversal spelled with escapes in the query string is decoded once, then refused.
    const escaped = await fetch(`${cloud.url}/api/storage/upload?cloudPath=%2e%2e%2fescaped.jpg`, {
      method: 'POST',
      headers: { 'x-local-openid': WANG },
      body: jpeg(10)
    })
    expect(escaped.status).toBe(400)
    const missing = await fetch(`${cloud.url}/api/storage/upload`, {
      method: 'POST',
      headers: { 'x-local-openid': WANG },
      body: jpeg(10)
    })
    expect(missing.status).toBe(400)
  })

  test('a file over MAX_FILE_BYTES is refused (function and app); one at the limit is kept', async () => {
    const over = await fixture({ op: 'save', cloudPath: 'conf/limit/big.bin', bytes: MAX_FILE_BYTES + 1 })
    expect(over.error?.reason).toBe('EntityTooLarge')
    const overApp = await clientUpload('conf/limit/big-app.bin', Buffer.alloc(MAX_FILE_BYTES + 1))
    expect(overApp.status).toBe(413)
    expect(((await overApp.json()) as { code: string }).code).toBe('FILE_TOO_LARGE')
    const atLimit = await clientUpload('conf/limit/max.bin', Buffer.alloc(MAX_FILE_BYTES))
    expect(atLimit.status).toBe(200)
    expect(((await atLimit.json()) as { bytes: number }).bytes).toBe(MAX_FILE_BYTES)
    expect(cloud.storage.stat('conf/limit/big.bin')).toBeUndefined()
    expect(cloud.storage.stat('conf/limit/big-app.bin')).toBeUndefined()
  })

  test('the app’s upload is refused before its body is read: declared too large, bad path, someone else’s file', async () => {
    /** Declares `declared` bytes, sends 1 KB and never the rest: the answer must not wait for it. */
    const answerBeforeBody = (cloudPath: string, declared: number, openid = WANG) =>
      new Promise<{ status: number; code: string }>((resolve, reject) => {
        const req = http.request(
          `${cloud.url}/api/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`,
          {
            method: 'POST',
            headers: { 'x-local-openid': openid, 'content-length': declared }
          }
        )
        const timer = setTimeout(() => {
          req.destroy()
          reject(new Error('no answer before the body was sent'))
        }, 3000)
        req.on('response', (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () => {
            clearTimeout(timer)
            req.destroy()
            resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { code: string }).code })
          })
        })
        req.on('error', () => undefined)
        req.write(jpeg(1024))
      })
    expect(await answerBeforeBody('conf/limit/declared.jpg', MAX_FILE_BYTES + 1)).toEqual({
      status: 413,
      code: 'FILE_TOO_LARGE'
    })
    expect(await answerBeforeBody('../declared.jpg', 4096)).toEqual({ status: 400, code: 'BAD_PATH' })
    expect((await clientUpload('conf/limit/wangs.jpg', jpeg(10))).status).toBe(200)
    expect(await answerBeforeBody('conf/limit/wangs.jpg', 4096, LI)).toEqual({
      status: 403,
      code: 'FORBIDDEN'
    })
    expect(cloud.storage.stat('conf/limit/declared.jpg')).toBeUndefined()
    expect(cloud.storage.stat('conf/limit/wangs.jpg')?.owner).toBe(WANG)
  })

  test('a file that is not an image is served as a download, never shown as a page', async () => {
    const fileID = await save('conf/limit/page.html', Buffer.from('<script>alert(1)</script>'))
    const res = await fetch(await urlFor(fileID, 60))
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect(res.headers.get('content-disposition')).toBe('attachment')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })
})

describe('the app: only the creator may read and write', () => {
  test('a user uploads, reads and deletes their own file', async () => {
    const content = jpeg(400)
    const up = await clientUpload('conf/app/wang-1.jpg', content)
    expect(up.status).toBe(200)
    const { fileID, bytes } = (await up.json()) as { fileID: string; bytes: number }
    expect(bytes).toBe(400)
    expect(cloud.storage.stat('conf/app/wang-1.jpg')?.owner).toBe(WANG)
    const urls = await clientCall('temp-url', [fileID])
    expect(urls.body.fileList[0]).toMatchObject({ fileID, status: 0 })
    const res = await fetch(urls.body.fileList[0]!.tempFileURL as string)
    expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true)
    const del = await clientCall('delete', [fileID])
    expect(del.body.fileList).toEqual([{ fileID, status: 0, errMsg: 'ok' }])
    expect(cloud.storage.stat('conf/app/wang-1.jpg')).toBeUndefined()
  })

  test('another user can neither read, delete nor overwrite it; a function can do all three', async () => {
    const content = jpeg(300, 5)
    const up = await clientUpload('conf/app/wang-2.jpg', content)
    const { fileID } = (await up.json()) as { fileID: string }

    const read = await clientCall('temp-url', [fileID], LI)
    expect(read.body.fileList).toEqual([
      expect.objectContaining({ fileID, status: -503002, tempFileURL: '' })
    ])
    const del = await clientCall('delete', [fileID], LI)
    expect(del.body.fileList).toEqual([expect.objectContaining({ fileID, status: -503002 })])
    const overwrite = await clientUpload('conf/app/wang-2.jpg', jpeg(10, 9), LI)
    expect(overwrite.status).toBe(403)
    expect(((await overwrite.json()) as { code: string }).code).toBe('FORBIDDEN')
    expect(cloud.storage.read('conf/app/wang-2.jpg')?.content.equals(content)).toBe(true)
    expect(cloud.storage.stat('conf/app/wang-2.jpg')?.owner).toBe(WANG)

    // The owner may replace their own file.
    expect((await clientUpload('conf/app/wang-2.jpg', jpeg(20, 3))).status).toBe(200)
    // A function (admin) reads and deletes anyone's file.
    expect((await fixture<{ base64: string }>({ op: 'read', fileID })).base64).toBe(
      jpeg(20, 3).toString('base64')
    )
    expect(await fixture({ op: 'remove', fileIDs: [fileID] })).toEqual({ removed: [fileID], failed: [] })
  })

  test('a file a function wrote is no user’s: the app can neither read it nor write over it', async () => {
    const fileID = await save('conf/app/by-function.jpg', jpeg(10))
    expect((await clientCall('temp-url', [fileID])).body.fileList[0]?.status).toBe(-503002)
    expect((await clientUpload('conf/app/by-function.jpg', jpeg(10))).status).toBe(403)
    expect((await clientCall('delete', [fileID])).body.fileList[0]?.status).toBe(-503002)
  })

  test('a call without a user is refused; a batch over 50 is refused', async () => {
    const anonymous = await clientUpload('conf/app/anon.jpg', jpeg(10), null)
    expect(anonymous.status).toBe(401)
    const up = await clientUpload('conf/app/batch.jpg', jpeg(10))
    const { fileID } = (await up.json()) as { fileID: string }
    const many = [fileID, ...Array.from({ length: 50 }, (_, i) => `cloud://local-dev.x/${i}`)]
    expect((await clientCall('temp-url', many)).status).toBe(400)
    expect((await clientCall('delete', many)).status).toBe(400)
    // Refused as a whole: nothing of the batch was deleted.
    expect(cloud.storage.stat('conf/app/batch.jpg')).toBeDefined()
  })

  test('a function writing over a user’s file makes it no user’s: the user can no longer read, replace or delete it', async () => {
    const up = await clientUpload('conf/app/taken-over.jpg', jpeg(10, 1))
    const { fileID } = (await up.json()) as { fileID: string }
    expect(await save('conf/app/taken-over.jpg', jpeg(20, 2))).toBe(fileID)
    expect(cloud.storage.stat('conf/app/taken-over.jpg')?.owner).toBeNull()
    expect((await clientCall('temp-url', [fileID])).body.fileList[0]?.status).toBe(-503002)
    expect((await clientUpload('conf/app/taken-over.jpg', jpeg(30, 3))).status).toBe(403)
    expect((await clientCall('delete', [fileID])).body.fileList[0]?.status).toBe(-503002)
    expect(cloud.storage.read('conf/app/taken-over.jpg')?.content.equals(jpeg(20, 2))).toBe(true)
  })
})

describe('a write or delete that fails half-way leaves the file whole', () => {
  /** Makes the storage's SQL statements starting with `sql` fail, as a locked database would. */
  function failStatement(sql: string): jest.SpyInstance {
    type Prepare = (this: Database.Database, source: string) => Database.Statement
    const prepare = Object.getOwnPropertyDescriptor(Database.prototype, 'prepare')?.value as Prepare
    return jest.spyOn(Database.prototype, 'prepare').mockImplementation(function (
      this: Database.Database,
      text
    ) {
      if (text.startsWith(sql)) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
      return prepare.call(this, text)
    })
  }

  beforeEach(() => {
    // The injected failures are logged by the server as internal errors; expected here.
    jest.spyOn(console, 'error').mockImplementation(() => undefined)
  })

  afterEach(() => {
    jest.restoreAllMocks()
  })

  test('an upload whose record cannot be saved keeps the previous file and leaves no bytes behind', async () => {
    const up = await clientUpload('conf/fail/kept.jpg', jpeg(100, 1))
    const { fileID } = (await up.json()) as { fileID: string }
    const before = objectNames(cloud).sort()
    const spy = failStatement('INSERT INTO storage_files')
    expect((await clientUpload('conf/fail/kept.jpg', jpeg(200, 2))).status).toBe(500)
    expect((await clientUpload('conf/fail/new.jpg', jpeg(200, 2))).status).toBe(500)
    expect(
      (await fixture({ op: 'save', cloudPath: 'conf/fail/kept.jpg', base64: 'AAAA' })).error
    ).toBeDefined()
    spy.mockRestore()
    expect(cloud.storage.read('conf/fail/kept.jpg')?.content.equals(jpeg(100, 1))).toBe(true)
    expect(cloud.storage.stat('conf/fail/kept.jpg')).toMatchObject({ size: 100, owner: WANG })
    expect(cloud.storage.stat('conf/fail/new.jpg')).toBeUndefined()
    expect(objectNames(cloud).sort()).toEqual(before)
    // And the file is still the owner's to read through a URL.
    const url = (await clientCall('temp-url', [fileID])).body.fileList[0]!.tempFileURL as string
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(jpeg(100, 1))).toBe(true)
  })

  test('a delete whose record cannot be removed fails as a whole; the file stays and a retry deletes it', async () => {
    const fileID = await save('conf/fail/del.jpg', jpeg(100, 3))
    const own = (await (await clientUpload('conf/fail/own.jpg', jpeg(10))).json()) as { fileID: string }
    const before = objectCount(cloud)
    const spy = failStatement('DELETE FROM storage_files')
    expect(await fixture({ op: 'remove', fileIDs: [fileID] })).toEqual({ removed: [], failed: [fileID] })
    // The SDK's endpoint answers an error the SDK reports, not an HTTP failure.
    const raw = await fetch(`${cloud.url}/admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'storage.batchDeleteFile', fileid_list: [fileID] })
    })
    expect(raw.status).toBe(200)
    expect(((await raw.json()) as { code: string }).code).toBe('SYS_ERR')
    expect((await clientCall('delete', [own.fileID])).status).toBe(500)
    spy.mockRestore()
    expect(cloud.storage.read('conf/fail/own.jpg')?.content.equals(jpeg(10))).toBe(true)
    expect((await fixture<{ base64: string }>({ op: 'read', fileID })).base64).toBe(
      jpeg(100, 3).toString('base64')
    )
    expect(await fixture({ op: 'remove', fileIDs: [fileID] })).toEqual({ removed: [fileID], failed: [] })
    expect(objectCount(cloud)).toBe(before - 1)
  })

  test('bytes a failed unlink left behind are removed by the retried delete, or by the next write', async () => {
    const failUnlinks = (): jest.SpyInstance =>
      jest.spyOn(fs, 'rmSync').mockImplementation(() => {
        throw Object.assign(new Error('resource busy'), { code: 'EBUSY' })
      })
    const fileID = await save('conf/fail/unlink.jpg', jpeg(100, 5))
    const before = objectCount(cloud)
    let spy = failUnlinks()
    expect(await fixture({ op: 'remove', fileIDs: [fileID] })).toEqual({ removed: [fileID], failed: [] })
    spy.mockRestore()
    expect(cloud.storage.stat('conf/fail/unlink.jpg')).toBeUndefined()
    // Retrying the delete (what removeFiles' callers do) finds the file gone and takes the bytes away.
    expect(await fixture({ op: 'remove', fileIDs: [fileID] })).toEqual({ removed: [fileID], failed: [] })
    expect(objectCount(cloud)).toBe(before - 1)

    const other = await save('conf/fail/unlink-2.jpg', jpeg(100, 6))
    spy = failUnlinks()
    await fixture({ op: 'remove', fileIDs: [other] })
    spy.mockRestore()
    const next = await save('conf/fail/after.jpg', jpeg(10))
    expect(objectCount(cloud)).toBe(before)
    await fixture({ op: 'remove', fileIDs: [next] })
    expect(objectCount(cloud)).toBe(before - 1)
  })
})

describe('upload tokens', () => {
  async function metadata(cloudPath: string): Promise<{ url: string; authorization: string }> {
    const res = await fetch(`${cloud.url}/admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'storage.getUploadMetadata', path: cloudPath, method: 'put' })
    })
    return ((await res.json()) as { data: { url: string; authorization: string } }).data
  }

  async function put(url: string, token: string, body = jpeg(10)): Promise<{ status: number; text: string }> {
    const res = await fetch(url, { method: 'PUT', headers: { authorization: token }, body })
    return { status: res.status, text: await res.text() }
  }

  test('a token is used once, only for its own path, and only for ten minutes', async () => {
    const first = await metadata('conf/token/a.jpg')
    expect(await put(first.url, first.authorization)).toEqual({ status: 200, text: '' })
    const again = await put(first.url, first.authorization)
    expect(again.status).toBe(403)
    expect(again.text).toContain('<Code>AccessDenied</Code>')

    const forA = await metadata('conf/token/a.jpg')
    const forB = await metadata('conf/token/b.jpg')
    expect((await put(forB.url, forA.authorization)).status).toBe(403)
    expect(cloud.storage.stat('conf/token/b.jpg')).toBeUndefined()

    const late = await metadata('conf/token/late.jpg')
    cloud.clock.advance(10 * 60 * 1000)
    expect((await put(late.url, late.authorization)).status).toBe(403)
    expect(cloud.storage.stat('conf/token/late.jpg')).toBeUndefined()
    expect((await put(late.url.replace(/upload\/.*/, 'upload/x'), 'made-up')).status).toBe(403)
  })
})

test('files, their owners and URLs already handed out survive a restart on the same data folder', async () => {
  const dataDir = `${cloud.dataDir}-restart`
  fs.rmSync(dataDir, { recursive: true, force: true })
  const options = {
    ...productCloudOptions(),
    dataDir,
    functionsDir: FIXTURE_FUNCTIONS_BUILD,
    seed: false,
    timers: false
  }
  const first = await startLocalCloud(options)
  const content = jpeg(1234)
  const up = await fetch(`${first.url}/api/storage/upload?cloudPath=conf/restart/a.jpg`, {
    method: 'POST',
    headers: { 'x-local-openid': WANG },
    body: content
  })
  const { fileID } = (await up.json()) as { fileID: string }
  const temp = (await (
    await fetch(`${first.url}/api/storage/temp-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-local-openid': WANG },
      body: JSON.stringify({ fileList: [fileID] })
    })
  ).json()) as { fileList: { tempFileURL: string }[] }
  await first.close()
  // What a crash mid-write leaves: a temp file, and bytes whose record was never written.
  const objects = path.join(dataDir, 'storage', 'objects')
  const kept = objectNames({ dataDir })
  fs.writeFileSync(path.join(objects, `${kept[0]}.tmp`), 'partial')
  fs.writeFileSync(path.join(objects, `${'0'.repeat(64)}.orphan`), 'no record')

  const second = await startLocalCloud(options)
  try {
    expect(objectNames({ dataDir })).toEqual(kept)
    expect(second.storage.stat('conf/restart/a.jpg')).toMatchObject({ owner: WANG, size: 1234 })
    // The same secret signs: a URL from before the restart still works (on the new port).
    const old = new URL(temp.fileList[0]!.tempFileURL)
    const res = await fetch(`${second.url}${old.pathname}${old.search}`)
    expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true)
    const read = await callFunction<{ base64: string }>(second, 'storage-fixture', { op: 'read', fileID })
    expect(read.body.base64).toBe(content.toString('base64'))
  } finally {
    await second.close()
  }
})
