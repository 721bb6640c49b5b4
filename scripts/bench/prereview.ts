/**
 * 材料预审: the storage one pre-review uses, measured by running a typical one through the
 * functions on the local cloud — a birth registration (出生登记: four materials), photographed as
 * people do (one photo of the birth certificate and of the marriage certificate, two of the
 * parents' ID cards and of the household register), each photo a compressed phone photo (~300 KB),
 * one item sent back and replaced — then its folder and its record measured. And the most one can
 * hold (3 photos × every item × the 2 MB limit). docs/materials-and-cards.md.
 */
import path from 'node:path'
import { startLocalCloud } from '../../local-cloud/cloud'
import { PHOTO_MAX_BYTES, PHOTOS_PER_ITEM } from '../../types/prereview'
import { buildFunctions } from '../lib/build-functions'
import { productCloudOptions } from '../lib/product-cloud'
import { BENCH_DATA, fmt, line } from './common'
import { COMPRESSED_PHOTO_BYTES, jpegLike, uploadFromApp } from './storage'

const STATION = 'st-yunxi-chengguan'
const SERVICE = 'svc-reg-birth'
/** Photos per item, as a resident typically takes them. */
const TYPICAL = { m0: 1, m1: 2, m2: 2, m3: 1 } as const
const RESIDENT = 'bench-prereview-resident'
const OFFICER = 'demo-officer-li'

export async function benchPrereview(): Promise<void> {
  await buildFunctions()
  const cloud = await startLocalCloud({
    ...productCloudOptions(),
    dataDir: path.join(BENCH_DATA, `prereview-${Date.now()}`),
    timers: false
  })
  try {
    cloud.clock.set(Date.parse('2026-12-28T10:00:00+08:00'))
    const call = async <T>(action: string, payload: unknown, openid: string): Promise<T> => {
      const res = await fetch(`${cloud.url}/api/functions/prereview`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-local-openid': openid },
        body: JSON.stringify({ action, payload })
      })
      const body = (await res.json()) as { ok: boolean; data?: T; error?: { code: string } }
      if (!body.ok) throw new Error(`prereview.${action}: ${body.error?.code ?? res.status}`)
      return body.data as T
    }
    type View = { _id: string; uploadFolder: string; round: number; items: { key: string }[] }
    let seed = 1
    const attach = async (v: View, itemKey: string) => {
      const fileID = await uploadFromApp(
        cloud.url,
        `${v.uploadFolder}${itemKey}-${seed}.jpg`,
        jpegLike(COMPRESSED_PHOTO_BYTES, seed++),
        RESIDENT
      )
      return { fileID, view: await call<View>('attach', { id: v._id, itemKey, fileID }, RESIDENT) }
    }

    const t = performance.now()
    let v = await call<View>('start', { serviceId: SERVICE }, RESIDENT)
    let sentBack = ''
    for (const [key, n] of Object.entries(TYPICAL))
      for (let i = 0; i < n; i++) {
        const r = await attach(v, key)
        v = r.view
        if (key === 'm0') sentBack = r.fileID
      }
    v = await call<View>('submit', { id: v._id }, RESIDENT)
    const ok = (key: string) => ({ itemKey: key, verdict: 'ok' })
    await call(
      'review',
      {
        stationId: STATION,
        id: v._id,
        round: v.round,
        verdicts: [{ itemKey: 'm0', verdict: 'fix', reason: '照片模糊' }, ok('m1'), ok('m2'), ok('m3')]
      },
      OFFICER
    )
    await call('removePhoto', { id: v._id, itemKey: 'm0', fileID: sentBack }, RESIDENT)
    v = (await attach(v, 'm0')).view
    v = await call<View>('submit', { id: v._id }, RESIDENT)
    await call('review', { stationId: STATION, id: v._id, round: v.round, verdicts: [ok('m0')] }, OFFICER)
    const ms = performance.now() - t

    const used = cloud.storage.usage(v.uploadFolder)
    const record = Buffer.byteLength(JSON.stringify(cloud.store.get('prereviews', v._id)))
    const photos = Object.values(TYPICAL).reduce((a, b) => a + b, 0)
    console.log(
      `材料预审: one ${SERVICE} pre-review through the functions (${v.items.length} items, one sent back)`
    )
    line(
      'storage used',
      `${used.files} files, ${fmt(used.bytes / 1024)} KB (${photos} photos × ~${fmt(COMPRESSED_PHOTO_BYTES / 1024)} KB)`
    )
    line('its record', `${fmt(record / 1024, 1)} KB in prereviews (file ids protected)`)
    line(
      'the most one can hold',
      `${fmt((v.items.length * PHOTOS_PER_ITEM * PHOTO_MAX_BYTES) / 1024 / 1024)} MB (${PHOTOS_PER_ITEM} × ${v.items.length} items × ${PHOTO_MAX_BYTES / 1024 / 1024} MB)`
    )
    line('the whole journey', `${fmt(ms)} ms (${photos + 1} uploads and attaches, 2 submits, 2 reviews)`)
  } finally {
    await cloud.close()
  }
}
