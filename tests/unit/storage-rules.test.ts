/**
 * Cloud storage's path rules, file ids, URL signing and the client's photo sizing: the pure parts
 * of storage (local-cloud/storage/, cloudfunctions/_shared/files.ts, src/api/storage.common.ts).
 */
import { sniffImage } from '../../cloudfunctions/_shared/files'
import {
  bucketOf,
  cloudPathOfId,
  fileIdOf,
  MAX_PATH_BYTES,
  pathProblem
} from '../../local-cloud/storage/rules'
import { effectiveMaxAge, sniffContentType } from '../../local-cloud/storage/service'
import {
  checkSigned,
  decodePath,
  encodePath,
  signedPath,
  type UrlParts
} from '../../local-cloud/storage/signing'
import { storageErrorOf } from '../../src/api/storage-error'
import { fitWithin, PHOTO_MAX_SIDE } from '../../src/api/storage.common'

describe('path rules', () => {
  test.each([
    'a.jpg',
    'prereview/2026/11/abc-1.jpg',
    '材料/户口本 第一页.jpg',
    "a b/c_d-e.f(1)!'~*.png",
    'x'.repeat(MAX_PATH_BYTES),
    '..a/b..',
    '.hidden/…'
  ])('%s is accepted', (p) => {
    expect(pathProblem(p)).toBeNull()
  })

  test.each([
    ['', '不能为空'],
    ['/a', '开头'],
    ['a//b', '空的一段'],
    ['a/', '空的一段'],
    ['.', '. 或 ..'],
    ['..', '. 或 ..'],
    ['../x', '. 或 ..'],
    ['a/../b', '. 或 ..'],
    ['a/./b', '. 或 ..'],
    ['a\\b', '反斜杠'],
    ['..\\x', '反斜杠'],
    ['%2e%2e/x', '%'],
    ['a%2Fb', '%'],
    ['a\u0000b', '控制字符'],
    ['a\tb', '控制字符'],
    ['a\u007fb', '控制字符'],
    ['a\u0085b', '控制字符'],
    ['a\ud800b', '无法编码'],
    ['a/ /b', '空白'],
    ['x'.repeat(MAX_PATH_BYTES + 1), '过长'],
    ['一'.repeat(Math.floor(MAX_PATH_BYTES / 3) + 1), '过长']
  ])('%j is refused (%s)', (p, why) => {
    expect(pathProblem(p)).toContain(why)
  })

  test('what is not a string is refused', () => {
    for (const v of [undefined, null, 3, ['a'], { a: 1 }]) expect(pathProblem(v)).not.toBeNull()
  })
})

describe('file ids', () => {
  test('an id names the environment and its bucket, and gives its path back', () => {
    const id = fileIdOf('local-dev', 'a/b.jpg')
    expect(id).toBe(`cloud://local-dev.${bucketOf('local-dev')}/a/b.jpg`)
    expect(cloudPathOfId('local-dev', id)).toBe('a/b.jpg')
  })

  test('an id of another environment or bucket, or with a bad path, is not this storage’s', () => {
    const id = fileIdOf('local-dev', 'a/b.jpg')
    expect(cloudPathOfId('other', id)).toBeNull()
    expect(cloudPathOfId('local-dev', id.replace(bucketOf('local-dev'), 'someone-else'))).toBeNull()
    expect(cloudPathOfId('local-dev', fileIdOf('local-dev', '../x'))).toBeNull()
    expect(cloudPathOfId('local-dev', 42)).toBeNull()
  })
})

describe('signed URLs', () => {
  const secret = Buffer.alloc(32, 7)
  const other = Buffer.alloc(32, 8)
  const now = 1_800_000_000_000
  const parts = (p: string): UrlParts => {
    const url = new URL(p, 'http://x')
    return {
      segment: url.pathname.split('/').pop() as string,
      generation: url.searchParams.get('g'),
      expiry: url.searchParams.get('e'),
      signature: url.searchParams.get('s')
    }
  }

  test('a URL verifies until its expiry, then reports expired', () => {
    const url = parts(signedPath(secret, '材料/a.jpg', 'gen1', now / 1000 + 60))
    expect(checkSigned(secret, url, now)).toEqual({ ok: true, cloudPath: '材料/a.jpg', generation: 'gen1' })
    expect(checkSigned(secret, url, now + 59_999)).toMatchObject({ ok: true })
    expect(checkSigned(secret, url, now + 60_000)).toEqual({ ok: false, reason: 'expired' })
  })

  test('another secret, path, generation, expiry or signature does not verify', () => {
    const url = parts(signedPath(secret, 'a.jpg', 'gen1', now / 1000 + 60))
    const s = url.signature as string
    const bad = { ok: false, reason: 'bad' }
    expect(checkSigned(other, url, now)).toEqual(bad)
    expect(
      checkSigned(secret, { ...url, segment: parts(signedPath(secret, 'b.jpg', 'gen1', 1)).segment }, now)
    ).toEqual(bad)
    // A URL signed for one upload does not verify for the next one at the same path.
    expect(checkSigned(secret, { ...url, generation: 'gen2' }, now)).toEqual(bad)
    expect(checkSigned(secret, { ...url, expiry: String(Number(url.expiry) + 1) }, now)).toEqual(bad)
    expect(
      checkSigned(secret, { ...url, signature: `${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}` }, now)
    ).toEqual(bad)
    expect(checkSigned(secret, { ...url, expiry: null }, now)).toEqual(bad)
    expect(checkSigned(secret, { ...url, signature: null }, now)).toEqual(bad)
    expect(checkSigned(secret, { ...url, generation: null }, now)).toEqual(bad)
    expect(checkSigned(secret, { ...url, expiry: '1e12' }, now)).toEqual(bad)
  })

  test('a path travels as canonical base64url only', () => {
    const seg = encodePath('材料/a b.jpg')
    expect(seg).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(encodeURI(seg)).toBe(seg)
    expect(decodePath(seg)).toBe('材料/a b.jpg')
    expect(decodePath(`${seg}=`)).toBeNull()
    expect(decodePath('a/b')).toBeNull()
    expect(decodePath('%2e%2e')).toBeNull()
  })
})

describe('maxAge', () => {
  test('missing or not positive: the default; over the cap: the cap; fractions rounded down', () => {
    expect(effectiveMaxAge(undefined)).toBe(7200)
    expect(effectiveMaxAge(0)).toBe(7200)
    expect(effectiveMaxAge(-5)).toBe(7200)
    expect(effectiveMaxAge('60')).toBe(7200)
    expect(effectiveMaxAge(60.9)).toBe(60)
    expect(effectiveMaxAge(0.5)).toBe(1)
    expect(effectiveMaxAge(1e9)).toBe(86_400)
  })
})

describe('content by its bytes', () => {
  const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])

  test('sniffImage knows JPEG and PNG by their magic bytes only', () => {
    expect(sniffImage(JPEG)).toBe('jpeg')
    expect(sniffImage(PNG)).toBe('png')
    expect(sniffImage(Buffer.from('GIF89a...'))).toBeNull()
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
    expect(sniffImage(Buffer.from([0xff, 0xd8]))).toBeNull()
    expect(sniffImage(PNG.subarray(0, 7))).toBeNull()
    expect(sniffImage(Buffer.alloc(0))).toBeNull()
  })

  test('the local cloud serves images as images and anything else as bytes', () => {
    expect(sniffContentType(JPEG)).toBe('image/jpeg')
    expect(sniffContentType(PNG)).toBe('image/png')
    expect(sniffContentType(Buffer.from('<html><script>'))).toBe('application/octet-stream')
  })
})

describe('photo sizing on the device', () => {
  test('the longest side is brought to PHOTO_MAX_SIDE, proportions kept; small photos untouched', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: PHOTO_MAX_SIDE, height: 1200 })
    expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: PHOTO_MAX_SIDE })
    expect(fitWithin(1600, 900)).toEqual({ width: 1600, height: 900 })
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 })
    expect(fitWithin(100_000, 10)).toEqual({ width: PHOTO_MAX_SIDE, height: 1 })
  })
})

describe('what a wx.cloud storage failure means for the app', () => {
  const codeOf = (errMsg: string): string => storageErrorOf(errMsg).code

  test('the storage rule’s refusal is FORBIDDEN, though its name says "exceed"', () => {
    expect(codeOf('cloud.getTempFileURL:fail -503002 STORAGE_EXCEED_AUTHORITY')).toBe('FORBIDDEN')
    expect(codeOf('uploadFile:fail STORAGE_EXCEED_AUTHORITY')).toBe('FORBIDDEN')
    expect(codeOf('cloud.uploadFile:fail [AccessDenied]: Access Denied.')).toBe('FORBIDDEN')
  })

  test('only object storage’s EntityTooLarge is FILE_TOO_LARGE', () => {
    expect(codeOf('cloud.uploadFile:fail [EntityTooLarge]: Your proposed upload exceeds the maximum')).toBe(
      'FILE_TOO_LARGE'
    )
    expect(codeOf('cloud.uploadFile:fail [InvalidObjectName]: bad key')).toBe('BAD_PATH')
  })

  test('a request limit or anything unknown is NETWORK (try again later)', () => {
    expect(codeOf('cloud.uploadFile:fail EXCEED_REQUEST_LIMIT')).toBe('NETWORK')
    expect(codeOf('cloud.getTempFileURL:fail -501001 resource exceed limit')).toBe('NETWORK')
    expect(codeOf('request:fail timeout')).toBe('NETWORK')
  })
})
