/**
 * 急事求助 / 延时服务 / 上门服务 through the local cloud: a request alerts the on-duty officer at
 * once (sent from the requests function itself, not at the next timer tick), is idempotent by its
 * request id, is taken by exactly one of two officers accepting at once, tells the resident at each
 * step; every action is refused to those who may not call it, with nothing written; an alert WeChat
 * refuses (no grant: 43101) stays in the officer's inbox.
 */
import type { NotifyOutputs } from '../../types/notify'
import { MAX_OPEN_REQUESTS, type RequestsOutputs } from '../../types/requests'
import type { Result } from '../../types/result'
import type { TemplateKey } from '../../types/templates'
import { ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const NOW = Date.parse('2026-12-01T12:00:00Z') // Tuesday 20:00 in Shanghai
const RESIDENT = 'r-req-wang'
const OTHER_RESIDENT = 'r-req-zhao'
const OFFICER = 'demo-officer-li' // on duty 17:30–08:30
const OFFICER_SUN = 'officer-sun' // this station, not on duty now
const OFFICER_ELSEWHERE = 'officer-elsewhere'
const LEADER = 'demo-leader-zhou'
const SUPERVISOR = 'demo-supervisor-chen'

function req<A extends keyof RequestsOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<RequestsOutputs[A]>>(cloud, 'requests', { action, payload }, openid).then(
    (r) => r.body
  )
}
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

const EMERGENCY = {
  kind: 'emergency',
  category: 'death_cremation',
  description: '家中老人今天去世，明早火化需要死亡证明',
  contactName: '王芳',
  mobile: '13812345678',
  stationId: STATION
}

/**
 * Submits as the resident, first making room under the abuse limits (tested in
 * green-channel.test.ts): the day's count is cleared and, when the resident already has the
 * maximum open, their oldest open request is closed as done.
 */
function makeRoom(openid: string): void {
  const open = cloud.store
    .docs('requests')
    .filter((d) => d.openid === openid && (d.status === 'submitted' || d.status === 'accepted'))
    .sort((a, b) => new Date(a.createdAt as string).getTime() - new Date(b.createdAt as string).getTime())
  cloud.store.commit([
    ...open
      .slice(0, Math.max(0, open.length - MAX_OPEN_REQUESTS + 1))
      .map((d) => ({ coll: 'requests', id: d._id, doc: { ...d, status: 'done' } })),
    ...cloud.store.docs('requestQuotas').map((q) => ({ coll: 'requestQuotas', id: q._id, doc: null }))
  ])
}

async function submit(openid = RESIDENT, extra: Record<string, unknown> = {}) {
  makeRoom(openid)
  return ok(await req('submit', { ...EMERGENCY, requestId: requestId(), ...extra }, openid))
}

const allow = (openid: string, keys: TemplateKey[]) => allowTemplates(cloud, openid, keys)

const outboxFor = (touser: string, requestId?: string) =>
  cloud.store
    .docs('outbox')
    .filter((r) => r.touser === touser && (!requestId || (r.ref as { id: string }).id === requestId))

const inAnHour = () => new Date(cloud.clock.now() + 3_600_000).toISOString()

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-officer-sun',
      doc: {
        _id: 'staff-officer-sun',
        openid: OFFICER_SUN,
        name: '孙警官',
        role: 'officer',
        stationId: STATION,
        active: true
      }
    },
    {
      coll: 'staff',
      id: 'staff-officer-other',
      doc: {
        _id: 'staff-officer-other',
        openid: OFFICER_ELSEWHERE,
        name: '外所民警',
        role: 'officer',
        stationId: 'st-other',
        active: true
      }
    },
    {
      coll: 'rosters',
      id: `${STATION}_2026-12-01`,
      doc: {
        _id: `${STATION}_2026-12-01`,
        stationId: STATION,
        date: '2026-12-01',
        shifts: [
          { start: '08:30', end: '17:30', staffIds: ['staff-officer-sun'] },
          { start: '17:30', end: '08:30', staffIds: ['staff-officer-li'] }
        ]
      }
    }
  ])
  await allow(OFFICER, ['officerAlert'])
  await allow(RESIDENT, ['requestProgress'])
})

afterAll(async () => {
  await cloud.close()
})

describe('submitting a request', () => {
  test('the on-duty officer is alerted at once: the alert is sent by the submit itself', async () => {
    const sent = cloud.messages.list({ touser: OFFICER }).length
    const r = await submit()
    expect(r).toMatchObject({
      status: 'submitted',
      statusLabel: '等待受理',
      kindLabel: '绿色通道',
      mobileMasked: expect.stringContaining('****')
    })
    const alerts = outboxFor(OFFICER, r._id)
    expect(alerts).toMatchObject([
      { template: 'officerAlert', status: 'sent', page: `officer/requests/index?id=${r._id}` }
    ])
    expect(cloud.messages.list({ touser: OFFICER }).length).toBe(sent + 1)
    // Only the officer on duty: not the day-shift officer, not the leader.
    expect(outboxFor(OFFICER_SUN, r._id)).toEqual([])
    expect(outboxFor(LEADER, r._id)).toEqual([])
  })

  test('the same request id again returns the same request: one document, one alert', async () => {
    const payload = { ...EMERGENCY, requestId: requestId() }
    const [a, b] = await Promise.all([req('submit', payload, RESIDENT), req('submit', payload, RESIDENT)])
    const again = ok(await req('submit', payload, RESIDENT))
    expect(ok(a)._id).toBe(ok(b)._id)
    expect(again._id).toBe(ok(a)._id)
    expect(cloud.store.docs('requests').filter((d) => d._id === again._id)).toHaveLength(1)
    expect(outboxFor(OFFICER, again._id)).toHaveLength(1)
  })

  test('the immediate send and the notify timer racing send the alert once', async () => {
    for (let i = 0; i < 3; i++) {
      const [r] = await Promise.all([submit(), cloud.timers.fire('notify'), cloud.timers.fire('notify')])
      const sends = cloud.messages.list({ touser: OFFICER }).filter((m) => String(m.page).includes(r._id))
      expect(sends).toHaveLength(1)
      expect(outboxFor(OFFICER, r._id)).toMatchObject([{ status: 'sent', attempts: 1 }])
    }
  })

  test('with nobody on duty by the roster, the leader is alerted', async () => {
    cloud.clock.set(Date.parse('2026-12-02T12:00:00Z')) // the next evening: no roster day for 12-02
    try {
      const r = await submit()
      expect(outboxFor(LEADER, r._id)).toMatchObject([{ template: 'officerAlert' }])
      expect(outboxFor(OFFICER, r._id)).toEqual([])
    } finally {
      cloud.clock.set(NOW)
    }
  })

  test('an officer without a grant: WeChat refuses (43101), the alert stays in their inbox', async () => {
    cloud.store.commit([
      {
        coll: 'rosters',
        id: `${STATION}_2026-12-03`,
        doc: {
          _id: `${STATION}_2026-12-03`,
          stationId: STATION,
          date: '2026-12-03',
          shifts: [{ start: '08:00', end: '20:00', staffIds: ['staff-officer-sun'] }]
        }
      }
    ])
    cloud.clock.set(Date.parse('2026-12-03T02:00:00Z')) // Thursday 10:00
    try {
      const r = await submit()
      expect(outboxFor(OFFICER_SUN, r._id)).toMatchObject([
        { status: 'failed', lastError: { errCode: 43101 } }
      ])
      const inbox = ok(
        (
          await callFunction<Result<NotifyOutputs['inbox']>>(
            cloud,
            'notify',
            { action: 'inbox', payload: {} },
            OFFICER_SUN
          )
        ).body
      )
      expect(inbox[0]).toMatchObject({
        title: '新的服务申请提醒',
        delivery: 'failed',
        page: `officer/requests/index?id=${r._id}`
      })
      expect(inbox[0]?.lines.map((l) => l.value)).toContain('绿色通道')
    } finally {
      cloud.clock.set(NOW)
    }
  })

  test('bad input is refused and nothing is written', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ description: '' }, 'INVALID_INPUT'],
      [{ description: '急'.repeat(201) }, 'INVALID_INPUT'],
      [{ mobile: '1381234' }, 'MOBILE_INVALID'],
      [{ contactName: '' }, 'NAME_INVALID'],
      [{ kind: 'urgent' }, 'INVALID_INPUT'],
      [{ category: 'id_card' }, 'INVALID_INPUT'], // not an emergency category
      [{ kind: 'home_visit', category: 'id_card' }, 'INVALID_INPUT'], // a home visit needs an address
      [{ wantedAt: '2026-11-01T00:00:00Z' }, 'INVALID_INPUT'], // in the past
      [{ wantedAt: 'tomorrow' }, 'INVALID_INPUT'],
      [{ stationId: 'st-nowhere' }, 'NOT_FOUND'],
      [{ requestId: 'x' }, 'INVALID_INPUT'],
      [{ openid: 'someone-else' }, 'INVALID_INPUT'] // unknown fields: no claiming to be someone
    ]
    for (const [change, expected] of bad) {
      const before = snapshot(cloud)
      const res = await req('submit', { ...EMERGENCY, requestId: requestId(), ...change }, RESIDENT)
      expect([change, code(res)]).toEqual([change, expected])
      expect(snapshot(cloud)).toEqual(before)
    }
    const before = snapshot(cloud)
    expect(code(await req('accept', { id: 'rq-x', agreedAt: 'soon', place: '窗口' }, OFFICER))).toBe(
      'INVALID_INPUT'
    )
    expect(code(await req('nonsense' as 'get', {}, OFFICER))).toBe('UNKNOWN_ACTION')
    expect(snapshot(cloud)).toEqual(before)
  })
})

describe('officers take, decline and finish requests', () => {
  test('two officers accept at once: exactly one wins; the resident is told once', async () => {
    const r = await submit()
    const [a, b] = await Promise.all([
      req('accept', { id: r._id, agreedAt: inAnHour(), place: '城关派出所户政窗口' }, OFFICER),
      req('accept', { id: r._id, agreedAt: inAnHour(), place: '城关派出所值班室' }, OFFICER_SUN)
    ])
    expect([code(a), code(b)].sort()).toEqual(['REQUEST_TAKEN', 'ok'])
    const progress = outboxFor(RESIDENT, r._id)
    expect(progress).toMatchObject([{ template: 'requestProgress', values: { status: '已受理' } }])
    // 更新时间 is when it was accepted (20:00), not the agreed time an hour later, which the note gives.
    expect(progress[0]?.values).toMatchObject({
      time: '2026-12-01 20:00',
      note: expect.stringContaining('约12-01 21:00')
    })
    const winner = a.ok ? a.data : b.ok ? b.data : undefined
    const mine = ok(await req('get', { id: r._id }, RESIDENT))
    expect(mine).toMatchObject({
      status: 'accepted',
      agreedAt: winner?.agreedAt,
      place: winner?.place,
      officerName: winner?.officerName
    })
  })

  test('a retried accept by the same officer returns the accepted request and sends nothing more', async () => {
    const r = await submit()
    const payload = { id: r._id, agreedAt: inAnHour(), place: '城关派出所户政窗口' }
    const first = ok(await req('accept', payload, OFFICER))
    const again = ok(await req('accept', payload, OFFICER))
    expect(again).toEqual(first)
    expect(outboxFor(RESIDENT, r._id)).toHaveLength(1)
    expect(
      code(await req('decline', { id: r._id, reason: '人手不足', alternative: '明天到窗口' }, OFFICER_SUN))
    ).toBe('REQUEST_TAKEN')
  })

  test('declined with a reason and an alternative: the resident sees both', async () => {
    const r = await submit()
    ok(
      await req(
        'decline',
        {
          id: r._id,
          reason: '该事项需本人到场采集指纹',
          alternative: '请明早8:30到窗口，走绿色通道优先办理'
        },
        OFFICER
      )
    )
    const mine = ok(await req('mine', {}, RESIDENT)).find((m) => m._id === r._id)
    expect(mine).toMatchObject({
      status: 'declined',
      statusLabel: '未能受理',
      declineReason: '该事项需本人到场采集指纹',
      alternative: expect.stringContaining('明早')
    })
    expect(outboxFor(RESIDENT, r._id)).toMatchObject([{ values: { status: '未能受理' } }])
    expect(code(await req('accept', { id: r._id, agreedAt: inAnHour(), place: '窗口' }, OFFICER))).toBe(
      'REQUEST_CLOSED'
    )
  })

  test('done by the officer who accepted it; others of the station may not', async () => {
    const r = await submit()
    ok(await req('accept', { id: r._id, agreedAt: inAnHour(), place: '窗口' }, OFFICER))
    expect(code(await req('done', { id: r._id }, OFFICER_SUN))).toBe('FORBIDDEN')
    const done = ok(await req('done', { id: r._id, note: '死亡证明已开具' }, OFFICER))
    expect(done).toMatchObject({ status: 'done', doneNote: '死亡证明已开具' })
    expect(ok(await req('done', { id: r._id, note: '死亡证明已开具' }, OFFICER)).status).toBe('done') // retried
    expect(outboxFor(RESIDENT, r._id).map((m) => (m.values as { status: string }).status)).toEqual([
      '已受理',
      '已办结'
    ])
  })

  test('a home visit: the leader assigns an officer and a time; that officer records it done', async () => {
    const r = await submit(RESIDENT, {
      kind: 'home_visit',
      category: 'id_card',
      description: '母亲92岁卧床，身份证到期需换领',
      address: '云溪县城关镇幸福路8号3单元'
    })
    expect(code(await req('accept', { id: r._id, agreedAt: inAnHour(), place: '窗口' }, OFFICER))).toBe(
      'INVALID_INPUT'
    )
    expect(
      code(
        await req('assign', { id: r._id, officerStaffId: 'staff-officer-sun', visitAt: inAnHour() }, OFFICER)
      )
    ).toBe('FORBIDDEN')
    expect(
      code(
        await req('assign', { id: r._id, officerStaffId: 'staff-officer-other', visitAt: inAnHour() }, LEADER)
      )
    ).toBe('INVALID_INPUT')
    const visitAt = inAnHour()
    const assigned = ok(
      await req('assign', { id: r._id, officerStaffId: 'staff-officer-sun', visitAt }, LEADER)
    )
    expect(assigned).toMatchObject({
      status: 'accepted',
      assignedStaffId: 'staff-officer-sun',
      officerName: '孙警官',
      place: '云溪县城关镇幸福路8号3单元',
      agreedAt: visitAt
    })
    expect(
      outboxFor(OFFICER_SUN, r._id).filter((m) => String(m.dedupeKey).startsWith('assign:'))
    ).toHaveLength(1)
    expect(outboxFor(RESIDENT, r._id)).toMatchObject([{ values: { status: '已安排上门' } }])
    expect(code(await req('done', { id: r._id }, OFFICER))).toBe('FORBIDDEN')
    expect(ok(await req('done', { id: r._id, note: '已上门采集' }, OFFICER_SUN)).status).toBe('done')
    expect(ok(await req('get', { id: r._id }, RESIDENT))).toMatchObject({
      status: 'done',
      officerName: '孙警官'
    })
  })

  test('open: the station’s open requests, emergencies first, newest first', async () => {
    const after = await submit(OTHER_RESIDENT, {
      kind: 'after_hours',
      category: 'certificate',
      description: '白天上班，想晚上开户籍证明'
    })
    const emergency = await submit()
    const { requests } = ok(await req('open', {}, OFFICER))
    const ids = requests.map((x) => x._id)
    expect(ids.indexOf(emergency._id)).toBeLessThan(ids.indexOf(after._id))
    const kinds = requests.filter((x) => x.status === 'submitted').map((x) => x.kind)
    expect(kinds.lastIndexOf('emergency')).toBeLessThan(kinds.indexOf('after_hours'))
    expect(requests.every((x) => x.status === 'submitted' || x.status === 'accepted')).toBe(true)
    expect(requests[0]).toHaveProperty('mobile', '13812345678')
    // A request still waiting says by when the station should take it: sent + its 30 minutes.
    const waiting = requests.find((x) => x._id === emergency._id)
    expect(waiting?.acceptBy).toBe(new Date(Date.parse(emergency.createdAt) + 30 * 60_000).toISOString())
    const taken = requests.find((x) => x.status === 'accepted')
    if (taken) expect(taken.acceptBy).toBeUndefined()
  })

  test('history: requests done or declined today and this week, with their outcome and no personal data', async () => {
    const declined = await submit(OTHER_RESIDENT)
    ok(
      await req(
        'decline',
        { id: declined._id, reason: '不属于户政业务', alternative: '请拨打12345咨询' },
        OFFICER
      )
    )
    const done = await submit()
    ok(await req('accept', { id: done._id, agreedAt: inAnHour(), place: '户政窗口' }, OFFICER))
    ok(await req('done', { id: done._id, note: '死亡证明已开具' }, OFFICER))
    const stillOpen = await submit()
    // Two more closed earlier: on Monday (this week) and on the Sunday before (last week).
    const monday = await submit(OTHER_RESIDENT)
    const sunday = await submit(OTHER_RESIDENT)
    const closeAt = (id: string, at: string) => {
      const doc = cloud.store.docs('requests').find((d) => d._id === id)
      if (!doc) throw new Error(`request ${id} is missing`)
      const when = new Date(Date.parse(`${at}+08:00`))
      cloud.store.commit([
        { coll: 'requests', id, doc: { ...doc, status: 'done', doneAt: when, updatedAt: when } }
      ])
    }
    closeAt(monday._id, '2026-11-30T16:00:00')
    closeAt(sunday._id, '2026-11-29T16:00:00')

    const today = ok(await req('history', { period: 'today' }, OFFICER))
    expect(today).toMatchObject({ stationId: STATION, period: 'today', from: '2026-12-01', truncated: false })
    const ids = today.requests.map((r) => r._id)
    expect(ids).toEqual(expect.arrayContaining([declined._id, done._id]))
    expect(ids).not.toContain(stillOpen._id)
    expect(ids).not.toContain(monday._id)
    expect(today.requests.find((r) => r._id === declined._id)).toMatchObject({
      status: 'declined',
      statusLabel: '未能受理',
      outcome: '不属于户政业务。请拨打12345咨询',
      closedBy: '李警官'
    })
    expect(today.requests.find((r) => r._id === done._id)).toMatchObject({
      status: 'done',
      outcome: '死亡证明已开具',
      officerName: '李警官',
      acceptedAt: expect.any(String)
    })
    // Newest first; no name, mobile, address or the resident's own words.
    const closed = today.requests.map((r) => Date.parse(r.closedAt))
    expect(closed).toEqual([...closed].sort((a, b) => b - a))
    for (const r of today.requests)
      for (const key of ['contactName', 'mobile', 'mobileMasked', 'address', 'description'])
        expect(r).not.toHaveProperty(key)

    const week = ok(await req('history', { period: 'week' }, LEADER))
    expect(week.from).toBe('2026-11-30')
    const weekIds = week.requests.map((r) => r._id)
    expect(weekIds).toEqual(expect.arrayContaining([declined._id, done._id, monday._id]))
    expect(weekIds).not.toContain(sunday._id)

    // Another station's officer sees their own station's (none of these), and may not name this one.
    expect(ok(await req('history', { period: 'week' }, OFFICER_ELSEWHERE)).requests).toEqual([])
    expect(code(await req('history', { stationId: STATION, period: 'week' }, OFFICER_ELSEWHERE))).toBe(
      'FORBIDDEN'
    )
  })
})

describe('authorization matrix: every action × every kind of caller', () => {
  const callers = {
    anonymous: '',
    resident: RESIDENT,
    otherResident: OTHER_RESIDENT,
    officer: OFFICER,
    officerElsewhere: OFFICER_ELSEWHERE,
    leader: LEADER,
    supervisor: SUPERVISOR
  } as const
  type Caller = keyof typeof callers
  type Expect = Record<Caller, string>
  const refusedToResidents = {
    anonymous: 'UNAUTHENTICATED',
    resident: 'FORBIDDEN',
    otherResident: 'FORBIDDEN',
    officerElsewhere: 'FORBIDDEN'
  }

  // Each case prepares a fresh request owned by RESIDENT and returns the payload for the action.
  const cases: { action: keyof RequestsOutputs; prepare: () => Promise<unknown>; expect: Expect }[] = [
    {
      action: 'submit',
      prepare: async () => {
        for (const openid of Object.values(callers)) if (openid) makeRoom(openid)
        return { ...EMERGENCY, requestId: requestId() }
      },
      expect: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'ok',
        otherResident: 'ok',
        officer: 'ok',
        officerElsewhere: 'ok',
        leader: 'ok',
        supervisor: 'ok'
      }
    },
    {
      action: 'mine',
      prepare: async () => ({}),
      expect: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'ok',
        otherResident: 'ok',
        officer: 'ok',
        officerElsewhere: 'ok',
        leader: 'ok',
        supervisor: 'ok'
      }
    },
    {
      action: 'get',
      prepare: async () => ({ id: (await submit())._id }),
      expect: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'ok',
        otherResident: 'NOT_FOUND',
        officer: 'NOT_FOUND',
        officerElsewhere: 'NOT_FOUND',
        leader: 'NOT_FOUND',
        supervisor: 'NOT_FOUND'
      }
    },
    {
      action: 'open',
      prepare: async () => ({ stationId: STATION }),
      expect: { ...refusedToResidents, officer: 'ok', leader: 'ok', supervisor: 'ok' }
    },
    {
      action: 'accept',
      prepare: async () => ({ id: (await submit())._id, agreedAt: inAnHour(), place: '户政窗口' }),
      expect: { ...refusedToResidents, officer: 'ok', leader: 'ok', supervisor: 'FORBIDDEN' }
    },
    {
      action: 'decline',
      prepare: async () => ({
        id: (await submit())._id,
        reason: '不属于户政业务',
        alternative: '请拨打12345咨询'
      }),
      expect: { ...refusedToResidents, officer: 'ok', leader: 'ok', supervisor: 'FORBIDDEN' }
    },
    {
      action: 'done',
      prepare: async () => {
        const r = await submit()
        ok(await req('accept', { id: r._id, agreedAt: inAnHour(), place: '户政窗口' }, OFFICER))
        return { id: r._id }
      },
      expect: { ...refusedToResidents, officer: 'ok', leader: 'ok', supervisor: 'FORBIDDEN' }
    },
    {
      action: 'assign',
      prepare: async () => {
        const r = await submit(RESIDENT, {
          kind: 'home_visit',
          category: 'id_card',
          description: '老人卧床需要上门办理',
          address: '幸福路8号'
        })
        return { id: r._id, officerStaffId: 'staff-officer-li', visitAt: inAnHour() }
      },
      expect: { ...refusedToResidents, officer: 'FORBIDDEN', leader: 'ok', supervisor: 'FORBIDDEN' }
    },
    {
      action: 'history',
      prepare: async () => ({ stationId: STATION, period: 'today' }),
      expect: { ...refusedToResidents, officer: 'ok', leader: 'ok', supervisor: 'ok' }
    }
  ]

  test.each(cases.map((c) => [c.action, c] as const))('%s', async (_name, c) => {
    const seen: Record<string, string> = {}
    for (const caller of Object.keys(callers) as Caller[]) {
      const payload = await c.prepare()
      const before = snapshot(cloud)
      const res = await req(c.action, payload, callers[caller])
      seen[caller] = code(res)
      if (!res.ok) expect(snapshot(cloud)).toEqual(before)
    }
    expect(seen).toEqual(c.expect)
  })

  test('an officer of another station cannot see this station’s queue even by id', async () => {
    const r = await submit()
    expect(code(await req('open', { stationId: STATION }, OFFICER_ELSEWHERE))).toBe('FORBIDDEN')
    const theirs = ok(await req('open', {}, OFFICER_ELSEWHERE))
    expect(theirs.requests.map((x) => x._id)).not.toContain(r._id)
  })
})
