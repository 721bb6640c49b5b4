/**
 * 好差评 through the local cloud (rating function): only a case's resident rates it, once, after
 * it is finished; a bad review opens a follow-up with working-day deadlines, alerts the leader,
 * goes call back → reply → the resident rates the rectification; overdue follow-ups alert the
 * supervisor once; who sees what; exclusion with a reason; rollups that give the same result
 * when run twice; the dashboard and the CSV export (mobiles masked). Every refusal writes nothing.
 */
import type { AppointmentView } from '../../types/appointment'
import type { RatingOutputs } from '../../types/ratings'
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const LI = 'demo-officer-li'
const ZHANG = 'officer-zhang'
const LEADER = 'demo-leader-zhou'
const OTHER_LEADER = 'leader-elsewhere'
const SUPERVISOR = 'demo-supervisor-chen'
const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))

function rating<A extends keyof RatingOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<RatingOutputs[A]>>(cloud, 'rating', { action, payload }, openid).then(
    (r) => r.body
  )
}
function staff<A extends keyof StaffOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<StaffOutputs[A]>>(cloud, 'staff', { action, payload }, openid).then(
    (r) => r.body
  )
}
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

/** Calls that must be refused with these codes and leave the database untouched. */
async function refused(
  calls: [action: keyof RatingOutputs, payload: unknown, openid: string, expected: string][]
) {
  for (const [action, payload, openid, expected] of calls) {
    const before = snapshot(cloud)
    const res = await rating(action, payload, openid)
    expect(`${action} as ${openid || 'anonymous'}: ${code(res)}`).toBe(
      `${action} as ${openid || 'anonymous'}: ${expected}`
    )
    expect(snapshot(cloud)).toEqual(before)
  }
}

async function bookAndFinish(
  openid: string,
  date: string,
  hhmm: string,
  officer = LI,
  finish = true
): Promise<AppointmentView> {
  const a = ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: `${STATION}_${date}_${hhmm}_window`,
        applicant: { ...APPLICANT, mobile: '13812345678' },
        consent: true
      },
      openid
    )
  )
  if (finish) {
    at(`${date}T${hhmm.slice(0, 2)}:${hhmm.slice(2)}:00`)
    ok(await staff('checkIn', { code: a.code }, officer))
    ok(await staff('finish', { appointmentId: a._id }, officer))
  }
  return a
}

const rate = (a: { _id: string }, level: string, openid: string, extra: Record<string, unknown> = {}) =>
  rating('rate', { requestId: requestId(), caseKind: 'appointment', caseId: a._id, level, ...extra }, openid)

let A: AppointmentView, B: AppointmentView, U: AppointmentView

/**
 * Runs `make` once, for whichever test or block asks first. The cases of this file build on each
 * other (a bad review, its follow-up, a month's figures): each block asks for the steps it needs,
 * so it gives the same result run alone (`-t`) as in the whole file.
 */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => (made ??= make())
}

/** A's resident rates the case unsatisfied (Monday 16:00); `requestId` allows a retry. */
const badReviewOfA = once(async () => {
  const first = requestId()
  at('2026-12-28T16:00:00')
  const view = ok(
    await rating(
      'rate',
      {
        requestId: first,
        caseKind: 'appointment',
        caseId: A._id,
        level: 'unsatisfied',
        tags: ['long_wait', 'long_wait', 'unclear_guidance'],
        comment: '  排队太久，窗口说明不清楚  '
      },
      'r-a'
    )
  )
  return { requestId: first, view }
})

/** B's resident rates the case very satisfied, at the same time. */
const goodReviewOfB = once(async () => {
  at('2026-12-28T16:00:00')
  return ok(await rate(B, 'very_satisfied', 'r-b', { tags: ['smile', 'chair'] }))
})

const CALL_BACK = { note: '已电话联系王女士，了解到当天取号后等候约50分钟' }
const REPLY = {
  finding: 'substantiated',
  rectification: '午间增开一个窗口，取号时告知预计等候时间',
  reply: '经核实情况属实，已在午间增开窗口并在取号时告知等候时间，感谢您的监督'
}

/** The follow-up of A's review taken to its end: called back, replied, rectification rated. */
async function followUpOfAClosed(): Promise<void> {
  const followUpId = (await badReviewOfA()).view.followUpId ?? ''
  const status = () => cloud.store.get('followUps', followUpId)?.status
  if (status() === 'open') {
    at('2026-12-29T10:00:00')
    ok(await rating('callBack', { followUpId, ...CALL_BACK }, LEADER))
  }
  if (status() === 'called') ok(await rating('reply', { followUpId, ...REPLY }, LEADER))
  if (status() === 'replied') ok(await rating('rateRectification', { followUpId, level: 'satisfied' }, 'r-a'))
  expect(status()).toBe('closed')
}

/** C's resident, served Tuesday at 09:00, rates the case very unsatisfied. */
const badReviewOfC = once(async () => {
  at('2026-12-29T07:00:00')
  const C = await bookAndFinish('r-c', '2026-12-29', '0900')
  ok(await rate(C, 'very_unsatisfied', 'r-c'))
  return C
})

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-zhang',
      doc: {
        _id: 'staff-zhang',
        openid: ZHANG,
        name: '张警官',
        role: 'officer',
        stationId: STATION,
        active: true
      }
    },
    {
      coll: 'staff',
      id: 'staff-leader-else',
      doc: {
        _id: 'staff-leader-else',
        openid: OTHER_LEADER,
        name: '外所所长',
        role: 'leader',
        stationId: 'st-other',
        active: true
      }
    }
  ])
  at('2026-12-28T09:00:00') // Monday
  A = await bookAndFinish('r-a', '2026-12-28', '1430')
  at('2026-12-28T09:00:00')
  B = await bookAndFinish('r-b', '2026-12-28', '1500', ZHANG)
  at('2026-12-28T09:00:00')
  U = await bookAndFinish('r-u', '2026-12-28', '1600', LI, false)
  at('2026-12-28T16:00:00')
})

afterAll(async () => {
  await cloud.close()
})

describe('rating a case', () => {
  test('bad input and the wrong caller are refused with a clear code, and nothing is written', async () => {
    await refused([
      [
        'rate',
        { requestId: requestId(), caseKind: 'appointment', caseId: A._id, level: 'satisfied' },
        '',
        'UNAUTHENTICATED'
      ],
      [
        'rate',
        { requestId: requestId(), caseKind: 'appointment', caseId: A._id, level: 'satisfied' },
        'r-b',
        'NOT_FOUND'
      ],
      [
        'rate',
        { requestId: requestId(), caseKind: 'appointment', caseId: U._id, level: 'satisfied' },
        'r-u',
        'CASE_NOT_FINISHED'
      ],
      [
        'rate',
        { requestId: requestId(), caseKind: 'appointment', caseId: A._id, level: 'great' },
        'r-a',
        'INVALID_INPUT'
      ],
      [
        'rate',
        {
          requestId: requestId(),
          caseKind: 'appointment',
          caseId: A._id,
          level: 'satisfied',
          tags: ['smile', 'bribe']
        },
        'r-a',
        'TAG_UNKNOWN'
      ],
      [
        'rate',
        {
          requestId: requestId(),
          caseKind: 'appointment',
          caseId: A._id,
          level: 'satisfied',
          comment: '好'.repeat(301)
        },
        'r-a',
        'COMMENT_TOO_LONG'
      ],
      [
        'rate',
        { requestId: requestId(), caseKind: 'request', caseId: A._id, level: 'satisfied' },
        'r-a',
        'NOT_FOUND'
      ]
    ])
  })

  test('the resident sees the finished case on the rating page and in the prompt', async () => {
    const page = ok(await rating('case', { caseKind: 'appointment', caseId: A._id }, 'r-a'))
    expect(page.case).toMatchObject({
      caseType: '预约办理',
      serviceName: A.serviceName,
      officerName: '李警官',
      finished: true
    })
    expect(page.rating).toBeUndefined()
    expect(ok(await rating('pending', {}, 'r-a')).map((c) => c.caseId)).toEqual([A._id])
    expect(code(await rating('case', { caseKind: 'appointment', caseId: A._id }, 'r-b'))).toBe('NOT_FOUND')
  })

  test('a bad review is stored flat and readable, opens a follow-up due in working days, and alerts the leader', async () => {
    const { requestId: first, view } = await badReviewOfA()
    expect(view).toMatchObject({
      levelText: '不满意',
      score: 2,
      bad: true,
      tagTexts: ['等候时间长', '指引不清楚'],
      comment: '排队太久，窗口说明不清楚',
      ratedAtLocal: '2026-12-28 16:00'
    })
    const doc = cloud.store.docs('ratings').find((d) => d._id === view._id)
    expect(doc).toMatchObject({
      stationName: '城关派出所户政窗口',
      officerName: '李警官',
      officerStaffId: 'staff-officer-li',
      levelText: '不满意',
      ratedDate: '2026-12-28',
      businessType: 'certificate',
      businessTypeText: '户籍证明',
      excluded: false,
      openid: 'r-a'
    })
    // Monday's bad review: call back by the end of Tuesday; reply by the 15th working day, which
    // lies in 2027 — a year with no holiday table yet, so the deadline is provisional.
    const fu = cloud.store.docs('followUps').find((d) => d.ratingId === view._id)
    expect(fu).toMatchObject({
      status: 'open',
      callbackDueLocal: '2026-12-30 00:00',
      deadlineProvisional: true,
      mobileMasked: '138****5678'
    })
    expect(JSON.stringify(fu)).not.toContain('13812345678')
    // The leader's alert is the follow-up template's own, the deadline worded as people say it:
    // due at 00:00 on Wednesday means by the end of Tuesday.
    const alert = cloud.store
      .docs('outbox')
      .filter((m) => m.touser === LEADER && (m.ref as { kind: string }).kind === 'followUp')
    expect(alert).toHaveLength(1)
    expect(alert[0]).toMatchObject({
      template: 'followUpAlert',
      page: `officer/ratings/index?followUpId=${fu?._id as string}`,
      values: {
        kind: '差评回访',
        service: A.serviceName,
        level: '不满意',
        due: '12月29日（周二）前',
        note: '请电话回访居民并记录结果'
      }
    })
    // The leader never allowed WeChat alerts: a text reaches their mobile instead, naming the deadline.
    expect(alert[0]).toMatchObject({ status: 'failed', smsStatus: 'sent' })
    const text = (
      (await (await fetch(`${cloud.url}/api/local/sms`)).json()) as {
        sms: { numbers: string[]; text: string; linkPage?: string }[]
      }
    ).sms.find((t) => t.numbers.includes('+8613900000102'))
    expect(text).toMatchObject({
      text: `【户政便民】居民差评待回访：${A.serviceName}，期限12月29日（周二）前，请打开小程序处理`,
      linkPage: `officer/ratings/index?followUpId=${fu?._id as string}`
    })
    expect(text?.text).not.toContain('排队太久')

    // The same request again (a retry) returns the same rating; a second rating is refused.
    expect(
      ok(
        await rating(
          'rate',
          { requestId: first, caseKind: 'appointment', caseId: A._id, level: 'unsatisfied' },
          'r-a'
        )
      )._id
    ).toBe(view._id)
    await refused([
      [
        'rate',
        { requestId: requestId(), caseKind: 'appointment', caseId: A._id, level: 'very_satisfied' },
        'r-a',
        'ALREADY_RATED'
      ]
    ])
    expect(ok(await rating('pending', {}, 'r-a'))).toEqual([])
  })

  test('a good review opens no follow-up', async () => {
    const followUps = cloud.store.docs('followUps').length
    const v = await goodReviewOfB()
    expect(v).toMatchObject({ bad: false, score: 5, tagTexts: ['一张笑脸', '一把椅子'] })
    expect(v.followUpId).toBeUndefined()
    expect(cloud.store.docs('followUps')).toHaveLength(followUps)
  })
})

describe('who sees what', () => {
  beforeAll(async () => {
    await badReviewOfA()
    await goodReviewOfB()
  })

  test('an officer sees ratings of their own cases; the leader the station; another station nothing', async () => {
    const period = { from: '2026-12-01', to: '2026-12-31' }
    expect(ok(await rating('list', period, LI)).map((r) => r.caseId)).toEqual([A._id])
    expect(ok(await rating('list', period, ZHANG)).map((r) => r.caseId)).toEqual([B._id])
    expect(
      ok(await rating('list', period, LEADER))
        .map((r) => r.caseId)
        .sort()
    ).toEqual([A._id, B._id].sort())
    expect(ok(await rating('list', period, OTHER_LEADER))).toEqual([])
    expect(code(await rating('list', period, 'r-a'))).toBe('FORBIDDEN')
    const view = ok(await rating('list', period, LEADER))[0] as unknown as Record<string, unknown>
    expect(view.openid).toBeUndefined()
  })

  test('follow-ups: the leader sees the full mobile to call back, and the read is audited; officers are refused', async () => {
    const auditBefore = cloud.store.docs('audit').length
    const res = ok(await rating('followUps', {}, LEADER))
    expect(res.items).toHaveLength(1)
    expect(res.items[0]).toMatchObject({
      mobile: '13812345678',
      levelText: '不满意',
      overdue: null,
      status: 'open'
    })
    const audit = cloud.store.docs('audit').slice(auditBefore)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      action: 'rating.followUps',
      recordKind: 'followUps',
      staffId: 'staff-leader-zhou'
    })
    expect(JSON.stringify(audit)).not.toContain('13812345678')
    await refused([
      ['followUps', {}, LI, 'FORBIDDEN'],
      ['followUps', {}, 'r-a', 'FORBIDDEN']
    ])
    expect(ok(await rating('followUps', {}, OTHER_LEADER)).items).toEqual([])
  })
})

describe('the follow-up of a bad review', () => {
  let fid = ''
  beforeAll(async () => {
    fid = (await badReviewOfA()).view.followUpId ?? ''
    expect(fid).not.toBe('')
  })

  test('steps go in order and only for the station: call back, then reply', async () => {
    await refused([
      [
        'reply',
        { followUpId: fid, finding: 'partly', rectification: '增加叫号提示', reply: '已改进' },
        LEADER,
        'FOLLOW_UP_STEP'
      ],
      ['callBack', { followUpId: fid, note: '已致电' }, LI, 'FORBIDDEN'],
      ['callBack', { followUpId: fid, note: '已致电' }, OTHER_LEADER, 'FORBIDDEN'],
      ['callBack', { followUpId: fid, note: '' }, LEADER, 'INVALID_INPUT'],
      ['rateRectification', { followUpId: fid, level: 'satisfied' }, 'r-a', 'FOLLOW_UP_STEP']
    ])
    at('2026-12-29T10:00:00')
    const called = ok(await rating('callBack', { followUpId: fid, ...CALL_BACK }, LEADER))
    expect(called).toMatchObject({ status: 'called', statusText: '已回访，整改中' })
    const replied = ok(await rating('reply', { followUpId: fid, ...REPLY }, LEADER))
    expect(replied).toMatchObject({ status: 'replied', findingText: '情况属实' })
    const notice = cloud.store
      .docs('outbox')
      .filter((m) => m.template === 'replyNotice' && m.touser === 'r-a')
    expect(notice).toHaveLength(1)
    expect(notice[0]?.page).toBe(`pages/rating/index?appointmentId=${A._id}`)
    expect(cloud.store.docs('ratings').find((r) => r._id === replied.ratingId)).toMatchObject({
      followUpStatusText: '已答复，待居民评价整改'
    })
  })

  test('the resident reads the reply and rates the rectification, once', async () => {
    const page = ok(await rating('case', { caseKind: 'appointment', caseId: A._id }, 'r-a'))
    expect(page.followUp).toMatchObject({ status: 'replied', canRateRectification: true })
    expect(page.followUp?.reply).toContain('增开窗口')
    await refused([['rateRectification', { followUpId: fid, level: 'satisfied' }, 'r-b', 'NOT_FOUND']])
    const closed = ok(await rating('rateRectification', { followUpId: fid, level: 'satisfied' }, 'r-a'))
    expect(closed).toMatchObject({ status: 'closed', rectificationText: '满意', canRateRectification: false })
    await refused([['rateRectification', { followUpId: fid, level: 'unsatisfied' }, 'r-a', 'FOLLOW_UP_STEP']])
    expect(cloud.store.docs('ratings').find((r) => r.followUpId === fid)).toMatchObject({
      followUpStatusText: '已办结',
      rectificationText: '满意'
    })
    const mine = ok(await rating('mine', {}, 'r-a'))
    expect(mine[0]?.followUp).toMatchObject({ status: 'closed', rectificationLevel: 'satisfied' })
  })
})

describe('overdue follow-ups', () => {
  test('past the call-back deadline the supervisor is alerted once; past the reply deadline once more', async () => {
    const C = await badReviewOfC()
    const fu = cloud.store.docs('followUps').find((f) => f.caseId === C._id)
    expect(fu?.callbackDueLocal).toBe('2026-12-31 00:00')
    const timer = async () =>
      (await (await fetch(`${cloud.url}/api/local/timers/rating`, { method: 'POST' })).json()) as {
        ok: boolean
        result: { escalated: number }
      }
    const toSupervisor = () =>
      cloud.store
        .docs('outbox')
        .filter((m) => m.touser === SUPERVISOR && m.template === 'followUpAlert')
        .map((m) => m.values as Record<string, string>)

    at('2026-12-30T23:59:00')
    expect((await timer()).result.escalated).toBe(0)
    at('2026-12-31T00:01:00')
    expect((await timer()).result.escalated).toBe(1)
    expect((await timer()).result.escalated).toBe(0)
    // Due at 00:00 on Thursday: the alert names Wednesday, the last day to call back.
    expect(toSupervisor()).toEqual([
      expect.objectContaining({ kind: '回访逾期', due: '12月30日（周三）前', note: '回访已逾期，请尽快处理' })
    ])
    expect(
      ok(await rating('followUps', { status: 'overdue' }, SUPERVISOR)).items.map((f) => f.overdue)
    ).toEqual(['callback'])

    cloud.clock.set(new Date(fu?.replyDueAt as Date).getTime() + 60_000)
    expect((await timer()).result.escalated).toBe(1)
    expect(toSupervisor()).toHaveLength(2)
    expect(
      toSupervisor()
        .map((v) => v.kind)
        .sort()
    ).toEqual(['回访逾期', '答复逾期'])
    expect(cloud.store.docs('followUps').find((f) => f.caseId === C._id)?.escalatedStages).toEqual([
      'callback',
      'reply'
    ])
  })
})

describe('supervisors', () => {
  // December: A's bad review followed up to the end, B's good one, C's still open and overdue.
  beforeAll(async () => {
    await badReviewOfA()
    await goodReviewOfB()
    await followUpOfAClosed()
    await badReviewOfC()
  })

  test('a rollup run twice for a day gives the same result', async () => {
    at('2027-01-30T10:00:00')
    const first = ok(await rating('rollup', { from: '2026-12-28', to: '2026-12-29' }, SUPERVISOR))
    expect(first).toEqual({ days: 2, stations: 1, ratings: 3 })
    // Equal but for when each was computed.
    const docs = () =>
      cloud.store
        .docs('ratingRollups')
        .filter((d) => String(d.date) >= '2026-12-28' && String(d.date) <= '2026-12-29')
        .map(({ computedAt: _at, ...d }) => d as Record<string, unknown>)
    const once = docs()
    ok(await rating('rollup', { from: '2026-12-28', to: '2026-12-29' }, SUPERVISOR))
    expect(docs()).toEqual(once)
    expect(once.find((d) => d.date === '2026-12-28')).toMatchObject({
      total: 2,
      very_satisfied: 1,
      unsatisfied: 1,
      satisfactionRate: 50,
      visitors: 2,
      volumes: expect.objectContaining({ certificate: 2 })
    })
    await refused([['rollup', { from: '2026-12-28', to: '2026-12-29' }, LEADER, 'FORBIDDEN']])
  })

  test('the dashboard shows satisfaction, follow-ups and volumes; excluding a review needs a reason and leaves the figures', async () => {
    const period = { from: '2026-12-01', to: '2026-12-31' }
    const before = ok(await rating('dashboard', period, SUPERVISOR))
    expect(before.overall).toMatchObject({
      total: 3,
      satisfactionRate: 33.3,
      averageScore: 2.67,
      excluded: 0
    })
    expect(before.followUps).toMatchObject({
      open: 1,
      overdue: 1,
      closed: 1,
      rectificationSatisfied: 1,
      rectificationRated: 1
    })
    expect(before.volumes.byType.find((v) => v.type === 'certificate')?.count).toBe(3)
    expect(before.byOfficer.map((o) => [o.label, o.total])).toEqual([
      ['李警官', 2],
      ['张警官', 1]
    ])
    expect(before.trend.find((t) => t.date === '2026-12-28')).toEqual({
      date: '2026-12-28',
      total: 2,
      satisfactionRate: 50,
      finished: 2
    })
    const officer = ok(await rating('dashboard', { ...period, officerStaffId: 'staff-zhang' }, SUPERVISOR))
    expect(officer.overall).toMatchObject({ total: 1, satisfactionRate: 100 })
    await refused([
      ['dashboard', period, LI, 'FORBIDDEN'],
      ['dashboard', { from: '2026-01-01', to: '2027-06-01' }, SUPERVISOR, 'PERIOD_TOO_LONG']
    ])

    const cRating = cloud.store.docs('ratings').find((r) => r.level === 'very_unsatisfied')
    await refused([
      ['exclude', { ratingId: cRating?._id, reason: '恶意' }, LEADER, 'REASON_REQUIRED'],
      ['exclude', { ratingId: cRating?._id, reason: '经核实系误操作评价' }, LI, 'FORBIDDEN'],
      ['exclude', { ratingId: cRating?._id, reason: '经核实系误操作评价' }, OTHER_LEADER, 'FORBIDDEN']
    ])
    const ex = ok(
      await rating('exclude', { ratingId: cRating?._id, reason: '经核实系居民误操作，本人电话确认' }, LEADER)
    )
    expect(ex.excluded).toMatchObject({ reason: '经核实系居民误操作，本人电话确认', by: '周所长' })
    const after = ok(await rating('dashboard', period, SUPERVISOR))
    expect(after.overall).toMatchObject({ total: 2, excluded: 1, satisfactionRate: 50 })
    expect(after.followUps).toMatchObject({ open: 0, excluded: 1 })
    expect(after.exclusions).toEqual([
      expect.objectContaining({
        reason: '经核实系居民误操作，本人电话确认',
        by: '周所长',
        levelText: '非常不满意'
      })
    ])
  })

  test('the CSV export has the period ratings, masked mobiles only, and no resident identity', async () => {
    const res = ok(await rating('export', { from: '2026-12-01', to: '2026-12-31' }, SUPERVISOR))
    expect(res).toMatchObject({ rows: 3, truncated: false, fileName: 'ratings-2026-12-01-2026-12-31.csv' })
    const lines = res.csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toContain('评价等级')
    expect(res.csv).toContain('138****5678')
    expect(res.csv).not.toContain('13812345678')
    expect(res.csv).not.toMatch(/(^|,)r-a(,|\r)/m)
    expect(res.csv).toContain('2026-12-28 16:00')
    await refused([['export', { from: '2026-12-01', to: '2026-12-31' }, LI, 'FORBIDDEN']])
    expect(ok(await rating('export', { from: '2026-12-01', to: '2026-12-31' }, OTHER_LEADER)).rows).toBe(0)
  })

  test('online questions: the time to the first officer opening one and to its answer count on the day they happen', async () => {
    const feedback = (action: string, payload: unknown, openid: string) =>
      callFunction<Result<{ _id: string }>>(cloud, 'feedback', { action, payload }, openid).then(
        (r) => r.body
      )
    at('2027-01-29T16:00:00')
    const q = ok(
      await feedback(
        'ask',
        { requestId: requestId(), stationId: STATION, question: '户口迁入需要带哪些材料？' },
        'r-q'
      )
    )
    at('2027-01-30T09:12:30') // opened the next morning: 17 h 12 min (and some seconds) later
    ok(await feedback('openQuestion', { id: q._id }, LI))
    const today = ok(
      await rating('dashboard', { from: '2027-01-30', to: '2027-01-30' }, SUPERVISOR)
    ).questions
    expect(today).toMatchObject({
      asked: 0,
      answered: 0,
      open: 1,
      averageFirstResponseMinutes: 17 * 60 + 12,
      averageAnswerMinutes: null
    })
    at('2027-01-30T09:30:30')
    ok(await feedback('answer', { id: q._id, answer: '请带户口簿、身份证和准迁证明到窗口办理。' }, LI))
    const both = ok(await rating('dashboard', { from: '2027-01-29', to: '2027-01-30' }, SUPERVISOR)).questions
    expect(both).toMatchObject({
      asked: 1,
      answered: 1,
      open: 0,
      averageFirstResponseMinutes: 1032,
      averageAnswerMinutes: 1050
    })
  })
})

describe('faults and privacy', () => {
  const timer = async () =>
    (await (await fetch(`${cloud.url}/api/local/timers/rating`, { method: 'POST' })).json()) as {
      ok: boolean
      result: Record<string, number>
    }

  test('deadlines counted Monday–Friday are counted again once the holiday table for that year is confirmed', async () => {
    at('2026-12-30T07:00:00') // Wednesday: 15 working days reach into 2027, whose table is not out yet
    const G = await bookAndFinish('r-g', '2026-12-30', '0900')
    ok(await rate(G, 'unsatisfied', 'r-g'))
    const fu = cloud.store.docs('followUps').find((f) => f.caseId === G._id) as Record<string, unknown>
    // Monday–Friday: 12-31 and then 14 weekdays of January 2027, the last on 2027-01-20.
    expect(fu).toMatchObject({ deadlineProvisional: true, replyDueLocal: '2027-01-21 00:00' })
    expect((await timer()).result.recounted).toBe(0)
    // A supervisor confirms 2027 with New Year's Day a holiday (a Friday).
    cloud.store.commit([
      {
        coll: 'calendars',
        id: 'cal-2027',
        doc: {
          _id: 'cal-2027',
          year: 2027,
          days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }],
          source: 'test',
          confirmed: true,
          updatedAt: new Date()
        }
      }
    ])
    expect((await timer()).result.recounted).toBe(1)
    expect(cloud.store.get('followUps', String(fu._id))).toMatchObject({
      deadlineProvisional: false,
      replyDueLocal: '2027-01-22 00:00',
      callbackDueLocal: '2027-01-01 00:00'
    })
  })

  test('a crash after the bad review is saved, before its follow-up: a second attempt, or else the timer, opens it and alerts the leader', async () => {
    at('2027-02-01T07:00:00') // Monday
    const E = await bookAndFinish('r-e', '2027-02-01', '0900')
    cloud.faults.crashOn({ fn: 'rating', action: 'database.insertDocument', collection: 'followUps' })
    const crashed = await callFunction<{ errCode: number }>(
      cloud,
      'rating',
      {
        action: 'rate',
        payload: {
          requestId: requestId(),
          caseKind: 'appointment',
          caseId: E._id,
          level: 'unsatisfied',
          comment: '请回电 13900001111'
        }
      },
      'r-e'
    )
    expect(crashed.status).toBe(500)
    const saved = cloud.store.docs('ratings').find((r) => r.caseId === E._id)
    expect(saved).toMatchObject({ bad: true })
    expect(cloud.store.docs('followUps').find((f) => f.ratingId === saved?._id)).toBeUndefined()
    // The resident tries again from a fresh page: refused as rated, and the follow-up is there now.
    expect(code(await rate(E, 'very_unsatisfied', 'r-e'))).toBe('ALREADY_RATED')
    expect(cloud.store.docs('followUps').find((f) => f.ratingId === saved?._id)).toMatchObject({
      status: 'open'
    })
    expect(
      cloud.store
        .docs('outbox')
        .filter((m) => (m.ref as { id: string }).id === `fu-${String(saved?._id)}` && m.touser === LEADER)
    ).toHaveLength(1)

    // Nobody came back: the timer repairs it.
    at('2027-02-01T07:00:00')
    const F = await bookAndFinish('r-f', '2027-02-01', '0930')
    cloud.faults.crashOn({ fn: 'rating', action: 'database.insertDocument', collection: 'followUps' })
    expect(
      (
        await callFunction(
          cloud,
          'rating',
          {
            action: 'rate',
            payload: { requestId: requestId(), caseKind: 'appointment', caseId: F._id, level: 'unsatisfied' }
          },
          'r-f'
        )
      ).status
    ).toBe(500)
    expect((await timer()).result.repaired).toBe(1)
    expect(cloud.store.docs('followUps').filter((f) => f.caseId === F._id)).toHaveLength(1)
    expect((await timer()).result.repaired).toBe(0)
  })

  test('a timer run racing an exclusion cannot leave that day counting the excluded review', async () => {
    at('2027-02-03T10:00:00')
    const r = cloud.store
      .docs('ratings')
      .find((x) => x.ratedDate === '2027-02-01' && x.excluded === false) as Record<string, unknown>
    ok(await rating('exclude', { ratingId: String(r._id), reason: '居民来电说明评错了，本人确认' }, LEADER))
    const id = `st-yunxi-chengguan_2027-02-01`
    const fresh = cloud.store.get('ratingRollups', id) as Record<string, unknown>
    // The race: a timer run that read the day before the exclusion writes its figures after it.
    cloud.store.commit([
      {
        coll: 'ratingRollups',
        id,
        doc: { ...fresh, _id: id, excluded: Number(fresh.excluded) - 1, total: Number(fresh.total) + 1 }
      }
    ])
    await timer()
    expect(cloud.store.get('ratingRollups', id)).toMatchObject({
      excluded: fresh.excluded,
      total: fresh.total
    })
  })

  test('supervisors see follow-ups with masked mobiles; the export masks numbers typed into comments; residents do not see who excluded their review', async () => {
    const items = ok(await rating('followUps', { status: 'all' }, SUPERVISOR)).items
    expect(items.length).toBeGreaterThan(0)
    expect(items.every((f) => f.mobile === undefined && typeof f.mobileMasked === 'string')).toBe(true)
    const csv = ok(await rating('export', { from: '2027-02-01', to: '2027-02-01' }, SUPERVISOR)).csv
    expect(csv).toContain('请回电 139****1111')
    expect(csv).not.toContain('13900001111')
    const excludedCase = cloud.store.docs('ratings').find((r) => r.excluded === true)
    const view = ok(
      await rating(
        'case',
        { caseKind: 'appointment', caseId: String(excludedCase?.caseId) },
        String(excludedCase?.openid)
      )
    )
    expect(view.rating?.excluded).toBeUndefined()
    expect(view.followUp?.status).toBe('excluded')
  })
})

describe('requests are cases too', () => {
  test('a finished green-channel request is rated by its resident, with the accepting officer and its business type', async () => {
    at('2027-02-06T10:00:00') // a Saturday: the green channel works on rest days
    const req = (action: string, payload: unknown, openid: string) =>
      callFunction<Result<{ _id: string; status: string }>>(
        cloud,
        'requests',
        { action, payload },
        openid
      ).then((r) => r.body)
    const submitted = ok(
      await req(
        'submit',
        {
          requestId: requestId(),
          kind: 'emergency',
          category: 'death_cremation',
          description: '老人今晨去世，明天火化需要死亡证明',
          contactName: '钱敏',
          mobile: '13700001234',
          stationId: STATION
        },
        'r-req'
      )
    )
    const refused = await rating(
      'rate',
      { requestId: requestId(), caseKind: 'request', caseId: submitted._id, level: 'satisfied' },
      'r-req'
    )
    expect(code(refused)).toBe('CASE_NOT_FINISHED')
    ok(
      await req(
        'accept',
        {
          id: submitted._id,
          agreedAt: new Date(cloud.clock.now() + 3_600_000).toISOString(),
          place: '户政窗口'
        },
        LI
      )
    )
    ok(await req('done', { id: submitted._id, note: '已出具死亡证明' }, LI))
    expect(ok(await rating('pending', {}, 'r-req')).map((c) => [c.caseType, c.serviceName])).toEqual([
      ['绿色通道', '死亡登记（火化需要）']
    ])
    const v = ok(
      await rating(
        'rate',
        {
          requestId: requestId(),
          caseKind: 'request',
          caseId: submitted._id,
          level: 'very_satisfied',
          tags: ['kind_word']
        },
        'r-req'
      )
    )
    expect(v).toMatchObject({
      caseType: '绿色通道',
      officerName: '李警官',
      levelText: '非常满意',
      tagTexts: ['一句暖心话']
    })
    expect(cloud.store.get('ratings', v._id)).toMatchObject({
      businessType: 'registration',
      officerStaffId: 'staff-officer-li'
    })
    expect(
      code(
        await rating(
          'rate',
          { requestId: requestId(), caseKind: 'request', caseId: submitted._id, level: 'satisfied' },
          'r-other'
        )
      )
    ).toBe('NOT_FOUND')
    // The day's figures: one emergency accepted, one case finished (a registration).
    const today = ok(await rating('dashboard', { from: '2027-02-06', to: '2027-02-06' }, SUPERVISOR))
    expect(today.emergencyAccept).toMatchObject({ count: 1, withinLimit: 1 })
    expect(today.volumes.byType.find((t) => t.type === 'registration')?.count).toBe(1)
  })
})
