/**
 * A local cloud with no functions and no demo data, and the real wx-server-sdk in this process
 * pointed at it: what the conformance suite and the benchmarks drive.
 */
import path from 'node:path'
import type { IndexDef } from '../../local-cloud/db/store'
import { freshCloud } from './cloud'
import { TEST_DATA } from './paths'
import { connectSdk, type Db } from './sdk'

export type Cloud = Awaited<ReturnType<typeof freshCloud>>

export interface SdkCloud {
  cloud: Cloud
  db: Db
}

/** Collections to create: a name, or a name with its indexes (as database/collections.ts declares them). */
export type CollectionDecl = string | { name: string; indexes: IndexDef[] }

export async function sdkCloud(
  collections: CollectionDecl[] = [],
  options: { throwOnNotFound?: boolean } = {}
): Promise<SdkCloud> {
  // No functions: timer triggers of the real functions must not fire during database tests.
  const cloud = await freshCloud({ seed: false, functionsDir: path.join(TEST_DATA, 'no-functions') })
  for (const c of collections) {
    if (typeof c === 'string') cloud.store.ensureCollection(c)
    else cloud.store.ensureCollection(c.name, c.indexes)
  }
  return { cloud, db: connectSdk(cloud.url, options) }
}
