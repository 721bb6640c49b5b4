/**
 * The app's side of cloud storage in H5 (src/api/storage.h5.ts), in headless Chromium against the
 * local cloud: a photo compressed on a canvas (JPEG, longest side 1600 px), uploaded, read back
 * through a temporary URL, deleted; the errors the app sees. The module is bundled on its own and
 * served as the local cloud's static app, so this runs without the H5 build.
 */
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { ROOT } from '../../local-cloud/paths'
import { allowPageErrors, launch, pageAs } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'
import { TEST_DATA } from '../helpers/paths'

type Cloud = Awaited<ReturnType<typeof freshCloud>>

const WANG = 'demo-resident-wang'
const LI = 'demo-resident-li'

let cloud: Cloud
let browser: Browser
let staticDir: string

beforeAll(async () => {
  staticDir = path.join(TEST_DATA, `storage-client-${process.pid}`)
  fs.rmSync(staticDir, { recursive: true, force: true })
  fs.mkdirSync(staticDir, { recursive: true })
  await build({
    entryPoints: [path.join(ROOT, 'src', 'api', 'storage.h5.ts')],
    outfile: path.join(staticDir, 'storage.js'),
    bundle: true,
    format: 'iife',
    globalName: 'storageApi',
    target: 'es2020',
    logLevel: 'warning'
  })
  fs.writeFileSync(
    path.join(staticDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>storage</title><script src="/storage.js"></script>'
  )
  cloud = await freshCloud({ staticDir, seed: false, timers: false })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
  fs.rmSync(staticDir, { recursive: true, force: true })
})

async function open(openid: string): Promise<Page> {
  const page = await pageAs(browser, openid)
  await page.goto(`${cloud.url}/`)
  await page.waitForFunction(() => 'storageApi' in window)
  return page
}

/** A camera-sized photo made in the page (a PNG of `w` × `h`), as a blob: URL like chooseImage gives. */
async function cameraPhoto(page: Page, w: number, h: number): Promise<string> {
  return page.evaluate(
    async ([width, height]) => {
      const canvas = document.createElement('canvas')
      canvas.width = width as number
      canvas.height = height as number
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
      for (let i = 0; i < 200; i++) {
        ctx.fillStyle = `hsl(${(i * 37) % 360} 70% 50%)`
        ctx.fillRect((i * 97) % (width as number), (i * 61) % (height as number), 300, 200)
      }
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'))
      return URL.createObjectURL(blob)
    },
    [w, h]
  )
}

test('a photo is compressed to a JPEG within 1600 px, uploaded, shown through a temporary URL and deleted', async () => {
  const page = await open(WANG)
  const photo = await cameraPhoto(page, 4000, 3000)
  const result = await page.evaluate(async (src) => {
    const api = (window as unknown as { storageApi: typeof import('../../src/api/storage.h5') }).storageApi
    const original = (await (await fetch(src)).blob()).size
    const small = await api.compressPhoto(src)
    const bytes = new Uint8Array(await (await fetch(small.filePath)).arrayBuffer())
    const img = new Image()
    img.src = small.filePath
    await img.decode()
    const up = await api.uploadFile('conf/client/wang/id-front.jpg', small.filePath)
    const urls = await api.tempFileUrls([up.fileID])
    const shown = new Uint8Array(await (await fetch(urls[up.fileID] as string)).arrayBuffer())
    return {
      original,
      compressed: small.bytes,
      magic: [bytes[0], bytes[1], bytes[2]],
      size: [img.naturalWidth, img.naturalHeight],
      uploaded: up,
      sameBytes: shown.length === bytes.length && shown.every((b, i) => b === bytes[i])
    }
  }, photo)
  expect(result.magic).toEqual([0xff, 0xd8, 0xff])
  expect(result.size).toEqual([1600, 1200])
  expect(result.compressed).toBeLessThan(result.original)
  expect(result.uploaded.bytes).toBe(result.compressed)
  expect(result.uploaded.fileID).toMatch(/^cloud:\/\/local-dev\..+\/conf\/client\/wang\/id-front\.jpg$/)
  expect(result.sameBytes).toBe(true)
  expect(cloud.storage.stat('conf/client/wang/id-front.jpg')?.owner).toBe(WANG)

  await page.evaluate(async (id) => {
    const api = (window as unknown as { storageApi: typeof import('../../src/api/storage.h5') }).storageApi
    await api.deleteFiles([id])
    // Deleting again is not an error: the file is gone either way.
    await api.deleteFiles([id])
  }, result.uploaded.fileID)
  expect(cloud.storage.stat('conf/client/wang/id-front.jpg')).toBeUndefined()
})

test('someone else’s file is left out of temporary URLs and cannot be deleted or overwritten', async () => {
  const wang = await open(WANG)
  const photo = await cameraPhoto(wang, 800, 600)
  const fileID = await wang.evaluate(async (src) => {
    const api = (window as unknown as { storageApi: typeof import('../../src/api/storage.h5') }).storageApi
    return (await api.uploadFile('conf/client/wang/own.jpg', (await api.compressPhoto(src)).filePath)).fileID
  }, photo)

  // The refusals this test provokes, as the browser reports them.
  allowPageErrors(
    'status of 403 (Forbidden)',
    'status of 400 (Bad Request)',
    'URL scheme "blob" is not supported'
  )
  const li = await open(LI)
  const liPhoto = await cameraPhoto(li, 800, 600)
  const seen = await li.evaluate(
    async ([id, src]) => {
      const api = (window as unknown as { storageApi: typeof import('../../src/api/storage.h5') }).storageApi
      const code = async (p: Promise<unknown>): Promise<string> =>
        p.then(
          () => 'ok',
          (e: { name: string; code: string }) => `${e.name}:${e.code}`
        )
      return {
        urls: await api.tempFileUrls([id as string]),
        del: await code(api.deleteFiles([id as string])),
        overwrite: await code(api.uploadFile('conf/client/wang/own.jpg', src as string)),
        badPath: await code(api.uploadFile('../escape.jpg', src as string)),
        traversal: await code(api.uploadFile('conf/%2e%2e/x.jpg', src as string)),
        missingFile: await code(api.uploadFile('conf/client/li/x.jpg', 'blob:http://127.0.0.1/none'))
      }
    },
    [fileID, liPhoto]
  )
  expect(seen).toEqual({
    urls: {},
    del: 'StorageError:FORBIDDEN',
    overwrite: 'StorageError:FORBIDDEN',
    badPath: 'StorageError:BAD_PATH',
    traversal: 'StorageError:BAD_PATH',
    missingFile: 'StorageError:BAD_FILE'
  })
  expect(cloud.storage.stat('conf/client/wang/own.jpg')?.owner).toBe(WANG)
})

test('the app gets URLs for and deletes more than 50 of its files at once (sent in batches of 50)', async () => {
  const page = await open(WANG)
  const photo = await cameraPhoto(page, 200, 150)
  const result = await page.evaluate(async (src) => {
    const api = (window as unknown as { storageApi: typeof import('../../src/api/storage.h5') }).storageApi
    const small = await api.compressPhoto(src)
    const ids: string[] = []
    for (let i = 0; i < 55; i++)
      ids.push((await api.uploadFile(`conf/client/many/${i}.jpg`, small.filePath)).fileID)
    const urls = await api.tempFileUrls(ids)
    await api.deleteFiles(ids)
    return { ids, withUrl: Object.keys(urls).length }
  }, photo)
  expect(result.ids).toHaveLength(55)
  expect(result.withUrl).toBe(55)
  expect(cloud.storage.usage('conf/client/many/')).toEqual({ files: 0, bytes: 0 })
})
