import fs from 'node:fs'
import path from 'node:path'
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../local-cloud/cloud'
import type { Doc } from '../../local-cloud/db/store'
import { productCloudOptions } from '../../scripts/lib/product-cloud'
import { TEST_DATA } from './paths'

let counter = 0

/**
 * A local cloud on a free port with a fresh database of its own (or the given data folder's),
 * running this product (its collections, demo seed, accounts and secrets, as npm start does).
 */
export async function freshCloud(
  options: Partial<LocalCloudOptions> = {}
): Promise<LocalCloud & { dataDir: string }> {
  const dataDir = options.dataDir ?? path.join(TEST_DATA, `cloud-${process.pid}-${Date.now()}-${counter++}`)
  if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  const cloud = await startLocalCloud({ ...productCloudOptions(), ...options, dataDir })
  return Object.assign(cloud, { dataDir })
}

export interface CallResult<T = unknown> {
  status: number
  body: T
}

/** POST /api/functions/<name> as the given caller. */
export async function callFunction<T = unknown>(
  cloud: { url: string },
  name: string,
  event: unknown,
  openid = 'demo-resident-wang'
): Promise<CallResult<T>> {
  const res = await fetch(`${cloud.url}/api/functions/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-openid': openid },
    body: typeof event === 'string' ? event : JSON.stringify(event)
  })
  return { status: res.status, body: (await res.json()) as T }
}

/** Every document of every collection, for "nothing was written" checks. */
export function snapshot(cloud: LocalCloud): Record<string, Doc[]> {
  return Object.fromEntries(cloud.store.collectionNames().map((c) => [c, cloud.store.docs(c)]))
}
