/**
 * Retention (cloudfunctions/_shared/retention.ts, run by the notify timer once a day, on its
 * first run at or after 03:15 Shanghai time): residents' personal data is erased 180 days after
 * it was given, once the matter is closed; the records stay (for statistics and ratings), each
 * erased once; recent and still-open records are untouched. The day is claimed with a marker in
 * `dailyRuns`, so a missed 03:15 is caught up and overlapping runs never purge twice.
 */
import { freshCloud } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const applicant = {
  name: '王芳',
  mobile: '13812345678',
  relation: 'self',
  idNumberProtected: 'v1:abc',
  idMasked: '1101**********002X'
}
const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))
const fire = async () =>
  (await (await fetch(`${cloud.url}/api/local/timers/notify`, { method: 'POST' })).json()) as {
    ok: boolean
    result: { purged: Record<string, number>; purge: string }
  }
const NONE = {
  appointments: 0,
  requests: 0,
  feedback: 0,
  followUps: 0,
  applicants: 0,
  prereviews: 0,
  cards: 0
}
/** An old, closed feedback entry with a name and a mobile: what the next purge must erase. */
const oldFeedback = (id: string) =>
  cloud.store.commit([
    {
      coll: 'feedback',
      id,
      doc: {
        _id: id,
        stationId: STATION,
        createdAt: new Date('2026-01-05T02:00:00Z'),
        contactName: '赵丽华',
        mobile: '13955554444',
        content: '建议'
      }
    }
  ])
const erased = (id: string) =>
  (cloud.store.get('feedback', id) as Record<string, unknown>).mobile === undefined

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  const old = new Date('2026-05-01T02:00:00Z')
  const recent = new Date('2026-11-20T02:00:00Z')
  cloud.store.commit([
    {
      coll: 'appointments',
      id: 'a-old',
      doc: {
        _id: 'a-old',
        code: 'AAA222',
        dayKey: 'done:a-old',
        stationId: STATION,
        date: '2026-05-01',
        status: 'done',
        openid: 'r-1',
        applicant
      }
    },
    {
      coll: 'appointments',
      id: 'a-new',
      doc: {
        _id: 'a-new',
        code: 'BBB333',
        dayKey: 'done:a-new',
        stationId: STATION,
        date: '2026-11-20',
        status: 'done',
        openid: 'r-2',
        applicant
      }
    },
    {
      coll: 'requests',
      id: 'q-old-done',
      doc: {
        _id: 'q-old-done',
        stationId: STATION,
        status: 'done',
        createdAt: old,
        contactName: '李明',
        mobile: '13900001111',
        address: '城关镇幸福路 1 号',
        description: '父亲卧床'
      }
    },
    {
      coll: 'requests',
      id: 'q-old-open',
      doc: {
        _id: 'q-old-open',
        stationId: STATION,
        status: 'accepted',
        createdAt: old,
        contactName: '李明',
        mobile: '13900001111',
        description: '仍在办理'
      }
    },
    {
      coll: 'feedback',
      id: 'f-old',
      doc: {
        _id: 'f-old',
        stationId: STATION,
        createdAt: old,
        contactName: '赵丽华',
        mobile: '13955554444',
        content: '建议'
      }
    },
    {
      coll: 'feedback',
      id: 'f-new',
      doc: {
        _id: 'f-new',
        stationId: STATION,
        createdAt: recent,
        contactName: '赵丽华',
        mobile: '13955554444',
        content: '建议'
      }
    },
    ...(['apl-old', 'apl-new'] as const).map((id) => ({
      coll: 'applicants',
      id,
      doc: {
        _id: id,
        openid: 'r-keeper',
        personKey: `ac-${id}`,
        name: '赵桂兰',
        mobile: '13700001111',
        relation: 'parent',
        idNumberProtected: 'v1:abc',
        consentAt: id === 'apl-old' ? old : recent,
        createdAt: id === 'apl-old' ? old : recent,
        updatedAt: id === 'apl-old' ? old : recent
      }
    })),
    {
      coll: 'followUps',
      id: 'fu-old',
      doc: {
        _id: 'fu-old',
        stationId: STATION,
        status: 'closed',
        ratedAt: old,
        contactName: '王芳',
        mobileMasked: '138****5678'
      }
    }
  ])
})

afterAll(async () => {
  await cloud.close()
})

test('before 03:15 nothing is erased', async () => {
  at('2026-11-28T03:14:50')
  const run = await fire()
  expect(run.result).toMatchObject({ purged: NONE, purge: 'too early' })
  expect(cloud.store.get('appointments', 'a-old')).toMatchObject({ applicant })
  expect(cloud.store.docs('dailyRuns')).toEqual([])
})

test('at 03:15 the data past 180 days is erased in place, closed matters only; a second run erases nothing more', async () => {
  at('2026-11-28T03:15:10')
  expect((await fire()).result.purged).toEqual({
    appointments: 1,
    requests: 1,
    feedback: 1,
    followUps: 1,
    applicants: 1,
    prereviews: 0,
    cards: 0
  })
  const a = cloud.store.get('appointments', 'a-old') as unknown as {
    applicant: Record<string, unknown>
    status: string
    purgedAt: unknown
  }
  expect(a.applicant).toEqual({ name: '（已清除）', mobile: '', relation: 'self' })
  expect(a.status).toBe('done')
  expect(a.purgedAt).toBeDefined()
  expect(cloud.store.get('appointments', 'a-new')).toMatchObject({ applicant })
  const q = cloud.store.get('requests', 'q-old-done') as Record<string, unknown>
  expect(q).toMatchObject({
    contactName: '（已清除）',
    mobile: '',
    description: '（已清除）',
    status: 'done'
  })
  expect(q.address).toBeUndefined()
  expect(cloud.store.get('requests', 'q-old-open')).toMatchObject({
    contactName: '李明',
    mobile: '13900001111'
  })
  const f = cloud.store.get('feedback', 'f-old') as Record<string, unknown>
  expect([f.contactName, f.mobile, f.content]).toEqual([undefined, undefined, '建议'])
  expect(cloud.store.get('feedback', 'f-new')).toMatchObject({ contactName: '赵丽华' })
  expect((cloud.store.get('followUps', 'fu-old') as Record<string, unknown>).mobileMasked).toBeUndefined()
  expect(JSON.stringify(cloud.store.docs('appointments').find((d) => d._id === 'a-old'))).not.toContain(
    '13812345678'
  )
  // A common applicant not saved again for 180 days is deleted; one saved recently stays.
  expect(cloud.store.get('applicants', 'apl-old')).toBeUndefined()
  expect(cloud.store.get('applicants', 'apl-new')).toMatchObject({ name: '赵桂兰' })

  at('2026-11-29T03:15:10')
  expect((await fire()).result.purged).toEqual(NONE)
})

test('the purge does not depend on one minute: the first run after 03:15 (here 03:40) erases, later runs that day do not', async () => {
  oldFeedback('f-late-1')
  at('2026-11-30T03:14:00')
  expect((await fire()).result.purge).toBe('too early')
  expect(erased('f-late-1')).toBe(false)

  // The trigger missed 03:15 (a deploy, a timeout): its next run at 03:40 purges.
  at('2026-11-30T03:40:00')
  const first = await fire()
  expect(first.result).toMatchObject({ purge: 'ran', purged: { ...NONE, feedback: 1 } })
  expect(erased('f-late-1')).toBe(true)
  expect(cloud.store.get('dailyRuns', 'purge-2026-11-30')).toMatchObject({
    job: 'purge',
    date: '2026-11-30',
    status: 'done',
    report: { ...NONE, feedback: 1 }
  })

  // Something else falls due the same day: not erased again until tomorrow's first run.
  oldFeedback('f-late-2')
  for (const t of ['2026-11-30T03:41:00', '2026-11-30T12:00:00', '2026-11-30T23:59:00']) {
    at(t)
    expect((await fire()).result).toMatchObject({ purge: 'done today', purged: NONE })
  }
  expect(erased('f-late-2')).toBe(false)

  at('2026-12-01T03:15:30')
  expect((await fire()).result).toMatchObject({ purge: 'ran', purged: { ...NONE, feedback: 1 } })
  expect(erased('f-late-2')).toBe(true)
})

test('two overlapping timer runs never both purge the same day', async () => {
  oldFeedback('f-race')
  at('2026-12-02T03:20:00')
  const runs = await Promise.all([fire(), fire(), fire()])
  expect(runs.every((r) => r.ok)).toBe(true)
  expect(runs.map((r) => r.result.purge).sort()).toEqual(['done today', 'done today', 'ran'])
  expect(erased('f-race')).toBe(true)
  expect(cloud.store.docs('dailyRuns').filter((d) => d._id === 'purge-2026-12-02')).toHaveLength(1)
})

test('a day claimed by a run that died mid-way is taken over once the claim is stale', async () => {
  oldFeedback('f-stale')
  at('2026-12-03T03:16:00')
  // A run claimed the day and died before finishing (its marker stays 'running').
  const startedAt = new Date(cloud.clock.now())
  cloud.store.commit([
    {
      coll: 'dailyRuns',
      id: 'purge-2026-12-03',
      doc: { _id: 'purge-2026-12-03', job: 'purge', date: '2026-12-03', status: 'running', startedAt }
    }
  ])
  at('2026-12-03T03:20:00')
  expect((await fire()).result.purge).toBe('done today') // still possibly running
  expect(erased('f-stale')).toBe(false)
  at('2026-12-03T03:40:00')
  expect((await fire()).result.purge).toBe('ran')
  expect(erased('f-stale')).toBe(true)
  expect(cloud.store.get('dailyRuns', 'purge-2026-12-03')).toMatchObject({ status: 'done', takeovers: 1 })
})

test('a purged booking keeps no key to the person served: personKey removed, its unique dayKey naming no one', async () => {
  const booking = (id: string, date: string, extra: Record<string, unknown>) => ({
    coll: 'appointments',
    id,
    doc: { _id: id, code: `K${id}`, stationId: STATION, date, status: 'done', openid: 'r-keyed', ...extra }
  })
  cloud.store.commit([
    booking('a-keyed', '2026-05-20', { personKey: 'pk-hmac-1', dayKey: 'pk-hmac-1|2026-05-20', applicant }),
    booking('a-keyed-noshow', '2026-05-21', {
      status: 'no_show',
      personKey: 'pk-hmac-1',
      dayKey: 'pk-hmac-1|2026-05-21',
      applicant
    }),
    // Purged before the keys were erased: its name is gone, its keys are not yet.
    booking('a-purged-keyed', '2026-04-02', {
      personKey: 'pk-hmac-2',
      dayKey: 'pk-hmac-2|2026-04-02',
      purgedAt: new Date('2026-10-01T00:00:00Z'),
      applicant: { name: '（已清除）', mobile: '', relation: 'self' }
    })
  ])
  at('2026-12-04T03:20:00')
  expect((await fire()).result).toMatchObject({ purge: 'ran', purged: { ...NONE, appointments: 2 } })
  const docs = ['a-keyed', 'a-keyed-noshow', 'a-purged-keyed'].map(
    (id) => cloud.store.get('appointments', id) as Record<string, unknown>
  )
  for (const d of docs) {
    expect(d.personKey).toBeUndefined()
    expect(d.dayKey).toBe(`purged|${String(d._id)}`)
    expect(JSON.stringify(d)).not.toContain('pk-hmac')
    expect(d.purgedAt).toBeDefined()
  }
  // The one purged earlier keeps the time it was purged.
  expect(docs[2]?.purgedAt).toEqual(new Date('2026-10-01T00:00:00Z'))
  // A recent booking keeps its keys.
  expect(cloud.store.get('appointments', 'a-new')).toMatchObject({ dayKey: 'done:a-new' })
})
