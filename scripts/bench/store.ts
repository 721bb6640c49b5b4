/**
 * The store at 100,000 documents: a unique index checks only the keys a write touches (per-index
 * key maps), so a single insert costs the same at 100k documents as at 10; an equality on the
 * first field of a declared index is a lookup, anything else a scan; reopening loads the mirror
 * from SQLite.
 */
import fs from 'node:fs'
import path from 'node:path'
import { DbEngine } from '../../local-cloud/db/engine'
import { Store, type Doc } from '../../local-cloud/db/store'
import { BENCH_DATA, fmt, line } from './common'

const DOCS = 100_000

function timeSingleInserts(store: Store, coll: string, from: number, count: number): number {
  const started = performance.now()
  for (let i = from; i < from + count; i++) {
    store.commit([{ coll, id: `one-${i}`, doc: { _id: `one-${i}`, code: `single-${i}`, n: i } }])
  }
  return (performance.now() - started) / count
}

export async function benchStore(): Promise<void> {
  const dir = path.join(BENCH_DATA, 'store')
  fs.rmSync(dir, { recursive: true, force: true })
  const file = path.join(dir, 'cloud.sqlite')
  const store = new Store(file)
  store.ensureCollection('big', [{ name: 'code_unique', keys: { code: 1 }, unique: true }])
  console.log(`Store with a unique index, ${fmt(DOCS)} documents (in-process, synchronous SQLite commits)`)
  const small = timeSingleInserts(store, 'big', 0, 200)
  let started = performance.now()
  for (let b = 0; b < DOCS; b += 1000) {
    const batch: { coll: string; id: string; doc: Doc }[] = []
    for (let i = b; i < b + 1000; i++)
      batch.push({
        coll: 'big',
        id: `d-${i}`,
        doc: { _id: `d-${i}`, code: `c-${i}`, station: `s-${i % 50}`, n: i }
      })
    store.commit(batch)
  }
  line(`bulk load, 100 commits of 1000`, `${fmt(performance.now() - started)} ms`)
  const large = timeSingleInserts(store, 'big', 1000, 200)
  line('single insert with unique check, near-empty collection', `${fmt(small, 2)} ms`)
  line(`single insert with unique check, ${fmt(DOCS)} documents`, `${fmt(large, 2)} ms`)
  started = performance.now()
  let dup = false
  try {
    store.commit([{ coll: 'big', id: 'dup', doc: { _id: 'dup', code: 'c-99999' } }])
  } catch {
    dup = true
  }
  line('duplicate key refused', `${dup ? 'yes' : 'NO'} (${fmt(performance.now() - started, 2)} ms)`)
  const engine = new DbEngine(store)
  const query = (q: string) => {
    const t = performance.now()
    for (let i = 0; i < 10; i++)
      engine.handle({
        action: 'database.getDocument',
        collectionName: 'big',
        queryType: 'WHERE',
        query: q,
        limit: 100
      })
    return (performance.now() - t) / 10
  }
  line('where({code}) — equality on an indexed field', `${fmt(query('{"code":"c-77777"}'), 2)} ms`)
  line('where({station}) — no index: scan with mingo', `${fmt(query('{"station":"s-7"}'), 1)} ms`)
  store.close()
  started = performance.now()
  const reopened = new Store(file)
  line(
    `reopen (load ${fmt(reopened.count('big'))} documents into memory)`,
    `${fmt(performance.now() - started)} ms`
  )
  reopened.close()
}
