/**
 * Database requests per second through the real wx-server-sdk (in this process, set up as in a
 * cloud function) against the local cloud running as its own process — what a function's
 * database calls cost locally. Also: 500 concurrent conditional increments on one document with
 * capacity 10 (must be exactly 10; asserted in tests/conformance/concurrency.test.ts).
 */
import { connectSdk, type Db } from '../../tests/helpers/sdk'
import { fmt, line, startCloudProcess, throughput } from './common'

const CONCURRENCY = 16
const SECONDS = 3

export async function benchDatabase(): Promise<void> {
  const cloud = await startCloudProcess('database', { collections: ['bench', 'slots'] })
  try {
    const db: Db = connectSdk(cloud.url)
    const _ = db.command
    const bench = db.collection('bench')
    await bench.add({
      data: Array.from({ length: 1000 }, (_unused, i) => ({ _id: `doc-${i}`, i, left: 1_000_000 }))
    })

    console.log(
      `Database through wx-server-sdk → local cloud process (${CONCURRENCY} requests in flight, ${SECONDS} s each, 1000 documents)`
    )
    const get = await throughput((i) => bench.doc(`doc-${i % 1000}`).get(), {
      concurrency: CONCURRENCY,
      ms: SECONDS * 1000
    })
    line('doc(id).get()', `${fmt(get.perSecond)} req/s`)
    // The same request without the SDK: how much of the figure above is the client.
    const raw = await throughput(
      async (i) => {
        const res = await fetch(`${cloud.url}/admin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            action: 'database.getDocument',
            collectionName: 'bench',
            queryType: 'DOC',
            query: `{"_id":"doc-${i % 1000}"}`
          })
        })
        await res.json()
      },
      { concurrency: CONCURRENCY, ms: SECONDS * 1000 }
    )
    line('  the same as a bare HTTP request (no SDK in the client)', `${fmt(raw.perSecond)} req/s`)
    const where = await throughput(
      (i) =>
        bench
          .where({ i: _.gte(i % 1000) })
          .limit(10)
          .get(),
      { concurrency: CONCURRENCY, ms: SECONDS * 1000 }
    )
    line('where({i: _.gte(n)}).limit(10).get()  (scan)', `${fmt(where.perSecond)} req/s`)
    const add = await throughput((i) => bench.add({ data: { n: i, at: db.serverDate() } }), {
      concurrency: CONCURRENCY,
      ms: SECONDS * 1000
    })
    line('add()  (one fsync each)', `${fmt(add.perSecond)} req/s`)
    const cond = await throughput(
      (i) => bench.where({ _id: `doc-${i % 1000}`, left: _.gt(0) }).update({ data: { left: _.inc(-1) } }),
      { concurrency: CONCURRENCY, ms: SECONDS * 1000 }
    )
    line('where({_id, left: _.gt(0)}).update(inc -1)', `${fmt(cond.perSecond)} req/s`)
    const tx = await throughput(
      (i) =>
        db.runTransaction(async (t) => {
          await t
            .collection('bench')
            .doc(`doc-${i % 1000}`)
            .update({ data: { left: _.inc(-1) } })
          await t.collection('bench').add({ data: { from: i } })
        }),
      { concurrency: CONCURRENCY, ms: SECONDS * 1000 }
    )
    line('runTransaction(update + add)', `${fmt(tx.perSecond)} tx/s (${tx.failed} conflicts)`)

    await db.collection('slots').add({ data: { _id: 'slot', booked: 0 } })
    const started = performance.now()
    const results = await Promise.all(
      Array.from({ length: 500 }, () =>
        db
          .collection('slots')
          .where({ _id: 'slot', booked: _.lt(10) })
          .update({ data: { booked: _.inc(1) } })
      )
    )
    const ok = results.filter((r) => r.stats.updated === 1).length
    const booked = (await db.collection('slots').doc('slot').get()).data?.booked
    line(
      '500 concurrent conditional increments, capacity 10',
      `${ok} succeeded, booked = ${String(booked)} (${fmt(performance.now() - started)} ms)`
    )
    if (ok !== 10 || booked !== 10) console.log('  !! capacity was not enforced: expected exactly 10')
  } finally {
    await cloud.stop()
  }
}
