/**
 * Durability: the local cloud killed with SIGKILL in the middle of a burst of writes restarts on
 * the same data folder with a consistent database: the store's invariants hold under concurrency
 * and after crashes, because each commit is one SQLite transaction (docs/platform.md, cloud
 * database behaviour).
 *
 * The cloud runs as a child process; this process drives it through the real wx-server-sdk.
 * Each write is a transaction that increments a writer's counter and adds a document for it, so
 * after any crash: counter == number of that writer's documents (nothing half-written), and every
 * transaction the SDK saw committed is there (at most one more, whose reply the kill swallowed).
 * Several writers run at once, each on its own counter (no conflicts: every transaction commits).
 */
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { Store } from '../../local-cloud/db/store'
import { startTsx, type Child } from '../helpers/child'
import { TEST_DATA } from '../helpers/paths'
import { connectSdk, type Db } from '../helpers/sdk'

const WRITERS = 6
const ROUNDS = 3

const dataDir = path.join(TEST_DATA, `durability-${process.pid}-${Date.now()}`)
let port = 0
let db: Db
let child: Child | undefined

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(p))
    })
  })
}

async function startCloud(): Promise<Child> {
  const c = startTsx('tests/helpers/cloud-process.ts', [], {
    PORT: String(port),
    LOCAL_CLOUD_DATA: dataDir,
    COLLECTIONS: 'counters,items'
  })
  await c.waitFor(/listening /)
  return c
}

async function kill(c: Child): Promise<void> {
  c.proc.kill('SIGKILL')
  await c.exited
}

/** One writer's transaction: counter +1 and a document carrying the new value. */
async function write(writer: number): Promise<void> {
  const _ = db.command
  await db.runTransaction(async (tx) => {
    const id = `w${writer}`
    const got = await tx.collection('counters').doc(id).get()
    const next = ((got.data?.n as number | undefined) ?? 0) + 1
    if (got.data)
      await tx
        .collection('counters')
        .doc(id)
        .update({ data: { n: _.inc(1) } })
    else
      await tx
        .collection('counters')
        .doc(id)
        .set({ data: { n: 1 } })
    await tx
      .collection('items')
      .add({ data: { writer, n: next, payload: 'x'.repeat(200), at: db.serverDate() } })
  })
}

interface State {
  counters: number[]
  items: number[]
  itemNs: number[][]
}

async function readState(): Promise<State> {
  const counters: number[] = []
  const items: number[] = []
  const itemNs: number[][] = []
  for (let w = 0; w < WRITERS; w++) {
    const c = (
      await db
        .collection('counters')
        .where({ _id: `w${w}` })
        .get()
    ).data[0]
    counters.push((c?.n as number | undefined) ?? 0)
    items.push((await db.collection('items').where({ writer: w }).count()).total)
    const ns: number[] = []
    for (let skip = 0; ; skip += 1000) {
      const page = (
        await db
          .collection('items')
          .where({ writer: w })
          .field({ n: true })
          .orderBy('n', 'asc')
          .skip(skip)
          .limit(1000)
          .get()
      ).data
      ns.push(...page.map((d) => d.n as number))
      if (page.length < 1000) break
    }
    itemNs.push(ns)
  }
  return { counters, items, itemNs }
}

beforeAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true })
  port = await freePort()
  // A missing counter reads as null instead of throwing (the first write of each writer creates it).
  db = connectSdk(`http://127.0.0.1:${port}`, { throwOnNotFound: false })
})

afterAll(async () => {
  if (child) await kill(child)
})

test(`SIGKILL in the middle of a burst of transactions, ${ROUNDS} times: every restart finds counter == documents and every acknowledged write`, async () => {
  const acked = new Array<number>(WRITERS).fill(0)
  for (let round = 0; round < ROUNDS; round++) {
    child = await startCloud()
    let stop = false
    let running = WRITERS
    let lastError: unknown
    const loops = Array.from({ length: WRITERS }, async (_unused, w) => {
      try {
        while (!stop) {
          await write(w)
          acked[w] = (acked[w] ?? 0) + 1
        }
      } catch (err) {
        lastError = err // after the kill: the cloud is gone
      } finally {
        running--
      }
    })
    // Let the burst get going, then kill at a point nobody chose.
    const started = acked.reduce((a, b) => a + b, 0)
    while (acked.reduce((a, b) => a + b, 0) < started + 80) {
      if (running === 0)
        throw new Error(
          `every writer failed before the kill: ${String((lastError as Error | undefined)?.message ?? lastError)}`
        )
      await new Promise((r) => setTimeout(r, 5))
    }
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 250)))
    await kill(child)
    stop = true
    await Promise.all(loops)

    child = await startCloud()
    const state = await readState()
    for (let w = 0; w < WRITERS; w++) {
      // Nothing half-written: the counter and the documents moved together.
      expect(state.items[w]).toBe(state.counters[w])
      // Each document carries the counter value of its own transaction: 1..n, none lost, none twice.
      expect(state.itemNs[w]).toEqual(Array.from({ length: state.counters[w] ?? 0 }, (_unused, i) => i + 1))
      // Durable: what the SDK saw committed survived; at most the one in flight came on top.
      expect(state.counters[w]).toBeGreaterThanOrEqual(acked[w] ?? 0)
      expect(state.counters[w]).toBeLessThanOrEqual((acked[w] ?? 0) + 1)
      acked[w] = state.counters[w] ?? 0
    }
    await kill(child)
    child = undefined
  }
  // The file itself is sound after all the kills.
  const store = new Store(path.join(dataDir, 'cloud.sqlite'))
  try {
    expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(store.count('items')).toBe(acked.reduce((a, b) => a + b, 0))
  } finally {
    store.close()
  }
}, 60_000)
