/**
 * Transactions through the real wx-server-sdk against the local cloud: db.runTransaction and
 * db.startTransaction, snapshot isolation, transaction locks, conflicts and retries, expiry.
 *
 * Sources: the 云开发 guide page "事务" (数据库 › 事务: 快照隔离, 事务锁, 单记录操作), the API pages
 * Database.runTransaction / Database.startTransaction / Transaction.rollback, and the summary in
 * docs/platform.md (cloud database behaviour). Where the SDK's own code decides (what a conflict
 * looks like to the caller, how many times runTransaction runs) the test says so.
 */
import { sdkCloud, type SdkCloud } from '../helpers/conformance'
import { connectSdk, rejection, type Row } from '../helpers/sdk'

let env: SdkCloud
let seq = 0

beforeAll(async () => {
  env = await sdkCloud([
    'acct',
    { name: 'tickets', indexes: [{ name: 'code_unique', keys: { code: 1 }, unique: true }] }
  ])
})

afterAll(async () => {
  await env.cloud.close()
})

const acct = () => env.db.collection('acct')
const _ = () => env.db.command

async function account(balance: number): Promise<string> {
  const _id = `acct-${++seq}`
  await acct().add({ data: { _id, balance } })
  return _id
}

async function balance(id: string): Promise<unknown> {
  return (await acct().doc(id).get()).data?.balance
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Whether a promise is still pending after `ms`. */
async function stillPending(p: Promise<unknown>, ms = 150): Promise<boolean> {
  let settled = false
  p.then(
    () => (settled = true),
    () => (settled = true)
  )
  await sleep(ms)
  return !settled
}

// Database.runTransaction: the callback's writes are committed when it returns; runTransaction
// resolves with the callback's return value.
test('runTransaction commits the writes and resolves with the callback’s value', async () => {
  const a = await account(100)
  const b = await account(0)
  const result = await env.db.runTransaction(async (tx) => {
    await tx
      .collection('acct')
      .doc(a)
      .update({ data: { balance: _().inc(-30) } })
    await tx
      .collection('acct')
      .doc(b)
      .update({ data: { balance: _().inc(30) } })
    return 'moved'
  })
  expect(result).toBe('moved')
  expect([await balance(a), await balance(b)]).toEqual([70, 30])
})

// Database.runTransaction: "在函数中抛出的异常会作为 runTransaction 返回的 Promise reject 的值";
// other errors are not retried.
test('a callback that throws rolls everything back; runTransaction rejects with that error and runs once', async () => {
  const a = await account(100)
  let runs = 0
  const err = await rejection(
    env.db.runTransaction(async (tx) => {
      runs++
      await tx
        .collection('acct')
        .doc(a)
        .update({ data: { balance: 0 } })
      await tx.collection('acct').add({ data: { _id: `orphan-${a}` } })
      throw new Error('business rule says no')
    })
  )
  expect(err.message).toBe('business rule says no')
  expect(runs).toBe(1)
  expect(await balance(a)).toBe(100)
  expect(
    (
      await acct()
        .where({ _id: `orphan-${a}` })
        .count()
    ).total
  ).toBe(0)
})

// Database.runTransaction / Transaction.rollback: "传入 rollback 函数的值会作为 runTransaction 返回的 Promise reject 的值".
test('transaction.rollback(value) discards the writes and runTransaction rejects with value', async () => {
  const a = await account(100)
  let reason: unknown
  try {
    await env.db.runTransaction(async (tx) => {
      await tx
        .collection('acct')
        .doc(a)
        .update({ data: { balance: 1 } })
      await tx.rollback({ why: 'insufficient' })
    })
  } catch (e) {
    reason = e
  }
  expect(reason).toEqual({ why: 'insufficient' })
  expect(await balance(a)).toBe(100)
})

// Guide › 事务 › 快照隔离 4: only a commit writes the snapshot to the database.
test('writes inside a transaction are invisible outside until commit', async () => {
  const a = await account(100)
  const tx = await env.db.startTransaction()
  await tx
    .collection('acct')
    .doc(a)
    .update({ data: { balance: 50 } })
  await tx.collection('acct').add({ data: { _id: `new-${a}` } })
  expect(await balance(a)).toBe(100)
  expect(
    (
      await acct()
        .where({ _id: `new-${a}` })
        .count()
    ).total
  ).toBe(0)
  await tx.commit()
  expect(await balance(a)).toBe(50)
  expect(
    (
      await acct()
        .where({ _id: `new-${a}` })
        .count()
    ).total
  ).toBe(1)
})

// Guide › 事务 › 快照隔离 1: "事务期间，读操作返回的是对象的快照，而非实际数据".
test('reads inside a transaction see the database as it was when the transaction started', async () => {
  const a = await account(100)
  const tx = await env.db.startTransaction()
  await acct()
    .doc(a)
    .update({ data: { balance: 999 } })
  expect((await tx.collection('acct').doc(a).get()).data?.balance).toBe(100)
  await tx.rollback()
})

// Guide › 事务 › 快照隔离 2: "写操作会改变快照，保证接下来的读的一致性".
test('reads inside a transaction see its own writes', async () => {
  const a = await account(100)
  await env.db.runTransaction(async (tx) => {
    await tx
      .collection('acct')
      .doc(a)
      .update({ data: { balance: _().inc(5) } })
    expect((await tx.collection('acct').doc(a).get()).data?.balance).toBe(105)
    await tx.collection('acct').doc(a).remove()
    const gone = await rejection(tx.collection('acct').doc(a).get())
    expect(gone.errMsg).toMatch(/does not exist/)
  })
  expect((await acct().where({ _id: a }).count()).total).toBe(0)
})

// Guide › 事务 › API tree: doc.set inside a transaction creates or replaces.
test('doc.set inside a transaction creates a missing document and replaces an existing one', async () => {
  const a = await account(100)
  await env.db.runTransaction(async (tx) => {
    await tx
      .collection('acct')
      .doc(a)
      .set({ data: { balance: 1, note: 'replaced' } })
    await tx
      .collection('acct')
      .doc(`set-${a}`)
      .set({ data: { balance: 2 } })
  })
  expect((await acct().doc(a).get()).data).toEqual({ _id: a, balance: 1, note: 'replaced' })
  expect(await balance(`set-${a}`)).toBe(2)
})

// Document.get + Cloud.database(throwOnNotFound): inside a transaction too.
test('doc.get of a missing document inside a transaction rejects, or gives null with throwOnNotFound: false', async () => {
  await env.db.runTransaction(async (tx) => {
    expect((await rejection(tx.collection('acct').doc('missing-in-tx').get())).errMsg).toMatch(
      /does not exist/
    )
  })
  const lenient = connectSdk(env.cloud.url, { throwOnNotFound: false })
  await lenient.runTransaction(async (tx) => {
    expect((await tx.collection('acct').doc('missing-in-tx').get()).data).toBeNull()
  })
})

// Only single-document operations belong in a transaction: where().update inside one runs OUTSIDE
// it (the SDK sends no transactionId), so it applies at once and survives a rollback.
test('where().update() inside a transaction runs outside it and survives the rollback', async () => {
  const a = await account(100)
  const tx = await env.db.startTransaction()
  await tx
    .collection('acct')
    .where({ _id: a })
    .update({ data: { balance: 7 } })
  expect(await balance(a)).toBe(7)
  await tx.rollback()
  expect(await balance(a)).toBe(7)
})

// count() inside a transaction runs outside it too (it does not see the transaction's own
// uncommitted writes).
test('count() inside a transaction counts committed documents only', async () => {
  const tag = `count-${++seq}`
  await acct().add({ data: { tag } })
  await env.db.runTransaction(async (tx) => {
    await tx.collection('acct').add({ data: { tag } })
    expect((await tx.collection('acct').where({ tag }).count()).total).toBe(1)
  })
  expect((await acct().where({ tag }).count()).total).toBe(2)
})

// Guide › 事务 › 单记录操作: "在事务中不支持批量操作（where 语句）". The SDK sends where().get()
// with the transaction id; what the cloud answers is not documented.
test('where().get() inside a transaction is refused with -501007 (undocumented: we refuse, the guide says where is not supported)', async () => {
  const err = await rejection(
    env.db.runTransaction(async (tx) => tx.collection('acct').where({ balance: 1 }).get())
  )
  expect(err.errCode).toBe(-501007)
  expect(err.errMsg).toMatch(/not supported inside a transaction/)
})

// Guide › 事务 › 快照隔离 3: "如果对象上存在事务锁 … 其他事务的写入会直接失败". The SDK's wrapper maps
// the conflict code (not in its table) to -501001.
test('a write to a document another transaction has written fails at once (transaction lock)', async () => {
  const a = await account(100)
  const first = await env.db.startTransaction()
  const second = await env.db.startTransaction()
  await first
    .collection('acct')
    .doc(a)
    .update({ data: { balance: 1 } })
  const err = await rejection(
    second
      .collection('acct')
      .doc(a)
      .update({ data: { balance: 2 } })
  )
  expect(err.errCode).toBe(-501001)
  expect(err.errMsg).toMatch(/locked by another transaction/)
  await second.rollback()
  await first.commit()
  expect(await balance(a)).toBe(1)
})

// Guide › 事务 › 快照隔离 3: "普通的更新操作会被阻塞，直到事务锁释放或者超时".
test('a plain update of a locked document waits for the commit, then applies on top of it', async () => {
  const a = await account(100)
  const tx = await env.db.startTransaction()
  await tx
    .collection('acct')
    .doc(a)
    .update({ data: { balance: _().inc(-40) } })
  const plain = acct()
    .doc(a)
    .update({ data: { balance: _().inc(1) } })
  expect(await stillPending(plain)).toBe(true)
  await tx.commit()
  expect((await plain).stats.updated).toBe(1)
  expect(await balance(a)).toBe(61)
})

// Same guide point: the lock is released by a rollback too.
test('a plain update of a locked document proceeds after a rollback', async () => {
  const a = await account(100)
  const tx = await env.db.startTransaction()
  await tx.collection('acct').doc(a).remove()
  const plain = acct()
    .where({ _id: a })
    .update({ data: { balance: 5 } })
  expect(await stillPending(plain)).toBe(true)
  await tx.rollback()
  expect((await plain).stats.updated).toBe(1)
  expect(await balance(a)).toBe(5)
})

// Guide › 快照隔离: a transaction writes its snapshot; writing a document that someone else changed
// after the snapshot would lose that change. The SDK's wrapper turns the conflict into an error
// with errCode -501001 and no `code`, so runTransaction does not retry it.
test('updating a document changed by someone else since the transaction began is a conflict that runTransaction does not retry (undocumented: the SDK drops the conflict code of a failed write)', async () => {
  const a = await account(100)
  let runs = 0
  const err = await rejection(
    env.db.runTransaction(async (tx) => {
      runs++
      const before = (await tx.collection('acct').doc(a).get()).data as Row
      await acct()
        .doc(a)
        .update({ data: { balance: _().inc(1) } })
      await tx
        .collection('acct')
        .doc(a)
        .update({ data: { balance: (before.balance as number) + 10 } })
    })
  )
  expect(runs).toBe(1)
  expect(err.errCode).toBe(-501001)
  expect(err.errMsg).toMatch(/changed after this transaction started/)
  expect(await balance(a)).toBe(101)
})

// Database.runTransaction: "只有事务冲突时会重试". A conflict found at commit (here: a writer
// that does not wait for locks — a tool writing to the store directly — changed the document)
// makes the SDK run the callback again on a fresh transaction.
test('runTransaction runs the callback again when the commit reports a conflict', async () => {
  const a = await account(100)
  let runs = 0
  const result = await env.db.runTransaction(async (tx) => {
    runs++
    const doc = (await tx.collection('acct').doc(a).get()).data as Row
    await tx
      .collection('acct')
      .doc(a)
      .update({ data: { balance: (doc.balance as number) - 10 } })
    if (runs <= 2)
      env.cloud.store.commit([{ coll: 'acct', id: a, doc: { _id: a, balance: (doc.balance as number) + 1 } }])
    return runs
  })
  expect(result).toBe(3)
  expect(await balance(a)).toBe(92)
})

// Database.runTransaction: "times: 事务执行最多次数，默认 3 次". wx-server-sdk 4.0.2
// (@cloudbase/database runTransaction) runs the callback times + 1 = 4 times before giving up,
// then rejects with the commit's error (code DATABASE_TRANSACTION_CONFLICT, no errCode).
test('a commit that always conflicts makes runTransaction give up after 4 runs (undocumented: the docs say at most 3, the SDK runs times + 1)', async () => {
  const a = await account(100)
  let runs = 0
  const err = await rejection(
    env.db.runTransaction(async (tx) => {
      runs++
      await tx
        .collection('acct')
        .doc(a)
        .update({ data: { balance: _().inc(-1) } })
      env.cloud.store.commit([{ coll: 'acct', id: a, doc: { _id: a, balance: 100 + runs } }])
    })
  )
  expect(runs).toBe(4)
  expect(err.code).toBe('DATABASE_TRANSACTION_CONFLICT')
  expect(await balance(a)).toBe(104)
})

// Database.startTransaction + Transaction.commit.
test('startTransaction(): commit() applies every write at once', async () => {
  const a = await account(100)
  const tx = await env.db.startTransaction()
  await tx
    .collection('acct')
    .doc(a)
    .update({ data: { balance: _().inc(-1) } })
  await tx
    .collection('acct')
    .doc(`st-${a}`)
    .set({ data: { balance: 1 } })
  await tx.commit()
  expect([await balance(a), await balance(`st-${a}`)]).toEqual([99, 1])
})

// Database.startTransaction + Transaction.rollback.
test('startTransaction(): rollback() discards every write', async () => {
  const a = await account(100)
  const tx = await env.db.startTransaction()
  await tx.collection('acct').doc(a).remove()
  await tx.collection('acct').add({ data: { _id: `rb-${a}` } })
  await tx.rollback()
  expect(await balance(a)).toBe(100)
  expect(
    (
      await acct()
        .where({ _id: `rb-${a}` })
        .count()
    ).total
  ).toBe(0)
})

// Guide › 快照隔离 4: "事务提交后，操作完毕的快照会被原子性地写入数据库中" — all or nothing: a
// duplicate key found at commit fails the whole transaction.
test('a commit that breaks a unique index writes nothing of the transaction', async () => {
  const a = await account(100)
  const tx = await env.db.startTransaction()
  await tx
    .collection('acct')
    .doc(a)
    .update({ data: { balance: 0 } })
  await tx.collection('tickets').add({ data: { code: 'T-1' } })
  await env.db.collection('tickets').add({ data: { code: 'T-1' } }) // a plain add takes the key first
  const err = await rejection(tx.commit())
  expect(err.code).toBe('DATABASE_REQUEST_FAILED')
  expect(err.message).toMatch(/duplicate key/)
  expect(await balance(a)).toBe(100)
  expect((await env.db.collection('tickets').where({ code: 'T-1' }).count()).total).toBe(1)
})

// Guide › 事务锁 "…直到事务锁释放或者超时": a transaction left open expires and is rolled back; its
// locks go with it. How long the cloud waits is not documented: we roll back after 60 s (MongoDB's
// default transaction lifetime); here shortened.
test('an abandoned transaction expires: its locks are released and its commit fails (undocumented: we roll back after 60 s)', async () => {
  const a = await account(100)
  const manager = env.cloud.engine.transactions
  const lifetime = manager.lifetimeMs
  manager.lifetimeMs = 300
  try {
    const tx = await env.db.startTransaction()
    await tx
      .collection('acct')
      .doc(a)
      .update({ data: { balance: 0 } })
    const plain = acct()
      .doc(a)
      .update({ data: { balance: _().inc(1) } })
    await plain
    expect(await balance(a)).toBe(101)
    const err = await rejection(tx.commit())
    expect(err.message).toMatch(/expired/)
    expect(manager.lockCount).toBe(0)
  } finally {
    manager.lifetimeMs = lifetime
  }
})
