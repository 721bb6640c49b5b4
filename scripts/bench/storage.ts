/**
 * Cloud storage on the local cloud (a process of its own): upload throughput of a phone photo
 * after on-device compression (~300 KB) and of an uncompressed one (~3 MB), through the app's
 * endpoint (POST /api/storage/upload, 4 callers at once) and through wx-server-sdk inside a
 * function (uploadFile one after another: getUploadMetadata, then the PUT); and what temporary URLs
 * cost, per batch of 50. The storage-per-pre-review figure can reuse `uploadFromApp` and
 * `storedBytes`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { buildFunctions } from '../lib/build-functions'
import { FIXTURE_FUNCTIONS_SRC } from '../../tests/helpers/paths'
import { BENCH_DATA, fmt, line, percentile, startCloudProcess, throughput } from './common'

/** A phone photo after compression (JPEG, longest side 1600 px, quality 0.7): about 300 KB. */
export const COMPRESSED_PHOTO_BYTES = 300 * 1024
/** The same photo straight from the camera: about 3 MB. */
export const UNCOMPRESSED_PHOTO_BYTES = 3 * 1024 * 1024

/** Bytes shaped like a JPEG (its magic bytes, then noise that does not compress). */
export function jpegLike(bytes: number, seed = 1): Buffer {
  const b = Buffer.alloc(bytes)
  let x = seed * 2654435761
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    b[i] = x >>> 24
  }
  b[0] = 0xff
  b[1] = 0xd8
  b[2] = 0xff
  return b
}

/** Uploads as the app does (X-Local-OpenId = openid); the file id. */
export async function uploadFromApp(
  url: string,
  cloudPath: string,
  content: Buffer,
  openid: string
): Promise<string> {
  const res = await fetch(`${url}/api/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`, {
    method: 'POST',
    headers: { 'x-local-openid': openid },
    body: content
  })
  const body = (await res.json()) as { fileID?: string; errMsg?: string }
  if (res.status !== 200 || !body.fileID) throw new Error(`upload answered ${res.status}: ${body.errMsg}`)
  return body.fileID
}

/** Files and bytes a local cloud's data folder keeps in storage (all of it, read from disk). */
export function storedBytes(dataDir: string): { files: number; bytes: number } {
  const dir = path.join(dataDir, 'storage', 'objects')
  if (!fs.existsSync(dir)) return { files: 0, bytes: 0 }
  let files = 0
  let bytes = 0
  for (const name of fs.readdirSync(dir)) {
    if (name.includes('.tmp-')) continue
    files++
    bytes += fs.statSync(path.join(dir, name)).size
  }
  return { files, bytes }
}

function rate(files: number, bytesEach: number, ms: number): string {
  const perSecond = (files * 1000) / ms
  return `${fmt(perSecond)} files/s, ${fmt((perSecond * bytesEach) / 1024 / 1024)} MB/s`
}

async function callFixture<T>(url: string, event: unknown): Promise<T> {
  const res = await fetch(`${url}/api/functions/storage-fixture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-openid': 'bench-user' },
    body: JSON.stringify(event)
  })
  if (res.status !== 200) throw new Error(`storage-fixture answered ${res.status}`)
  const body = (await res.json()) as T & { error?: { message?: string } }
  if (body.error) throw new Error(body.error.message)
  return body
}

export async function benchStorage(): Promise<void> {
  const functionsDir = path.join(BENCH_DATA, 'functions-build')
  await buildFunctions(FIXTURE_FUNCTIONS_SRC, functionsDir)
  const cloud = await startCloudProcess('storage', { functionsDir })
  try {
    console.log('Cloud storage (local cloud process; files in its data folder)')
    const sizes = [
      ['300 KB (compressed)', COMPRESSED_PHOTO_BYTES],
      ['3 MB (uncompressed)', UNCOMPRESSED_PHOTO_BYTES]
    ] as const
    for (const [label, bytes] of sizes) {
      const photos = [1, 2, 3, 4].map((s) => jpegLike(bytes, s))
      await uploadFromApp(cloud.url, 'bench/warm.jpg', photos[0] as Buffer, 'bench-user')
      const app = await throughput(
        (i) =>
          uploadFromApp(
            cloud.url,
            `bench/app-${bytes}-${i}.jpg`,
            photos[i % 4] as Buffer,
            `bench-user-${i % 4}`
          ),
        { concurrency: 4, ms: 2000 }
      )
      line(`app upload of a photo, ${label}, 4 at once`, rate(app.perSecond, bytes, 1000))
      const count = bytes > 1024 * 1024 ? 10 : 40
      await callFixture(cloud.url, { op: 'saveMany', prefix: 'bench/warm-fn', bytes, count: 1 })
      const fn = await callFixture<{ ms: number }>(cloud.url, {
        op: 'saveMany',
        prefix: `bench/fn-${bytes}`,
        bytes,
        count
      })
      line(`function upload (SDK), ${label}, one by one`, rate(count, bytes, fn.ms))
    }

    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        uploadFromApp(cloud.url, `bench/url-${i}.jpg`, jpegLike(1024, i), 'bench-user')
      )
    )
    const appMs: number[] = []
    for (let i = 0; i < 40; i++) {
      const started = performance.now()
      const res = await fetch(`${cloud.url}/api/storage/temp-url`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-local-openid': 'bench-user' },
        body: JSON.stringify({ fileList: ids })
      })
      await res.json()
      appMs.push(performance.now() - started)
    }
    appMs.sort((a, b) => a - b)
    line(
      'temp URLs from the app, 50 per call (p50 / p99)',
      `${fmt(percentile(appMs, 50))} / ${fmt(percentile(appMs, 99))} ms (${fmt((percentile(appMs, 50) * 1000) / 50)} µs per URL)`
    )
    const fnMs: number[] = []
    for (let i = 0; i < 20; i++) {
      const started = performance.now()
      await callFixture(cloud.url, { op: 'urls', fileIDs: ids, maxAge: 600 })
      fnMs.push(performance.now() - started)
    }
    fnMs.sort((a, b) => a - b)
    line('temp URLs from a function, 50 per call (p50, with the call)', `${fmt(percentile(fnMs, 50))} ms`)
  } finally {
    await cloud.stop()
    // A few hundred MB of photos: not worth keeping between runs.
    fs.rmSync(path.join(BENCH_DATA, 'storage'), { recursive: true, force: true })
  }
}
